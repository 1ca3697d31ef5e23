package vn.hoso.command.it;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every other integration test of this module (junit-platform.properties orders classes): nothing the
 * services logged meanwhile holds a citizen ID, tax code or name the tests sent (DOMAIN.md: personal data).
 */
@Order(Integer.MAX_VALUE)
class PersonalDataInLogsIT {

    private static final Path SOURCES = Path.of("src", "test", "java");

    @Test
    void theLogsHoldNoCitizenIdTaxCodeOrName() throws Exception {
        assertThat(LogCapture.files()).as("captured logs").isNotEmpty();
        assertThat(LogCapture.personalDataIn(SOURCES, LogCapture.files())).isEmpty();
    }

    @Test
    void theCheckFindsANameOrAnIdTheTestsSent(@TempDir Path folder) throws Exception {
        LogCapture.SentData sent = LogCapture.sentIn(SOURCES);
        assertThat(sent.idNumbers()).isNotEmpty();
        assertThat(sent.names()).isNotEmpty();
        Path log = folder.resolve("canary.log");
        Files.writeString(log, "{\"message\":\"submitted by " + sent.names().get(0) + "\"}\n"
                + "{\"message\":\"lookup of " + sent.idNumbers().get(0) + "\"}\n");
        List<String> findings = LogCapture.personalDataIn(SOURCES, List.of(log));
        assertThat(findings).anyMatch(f -> f.contains(sent.names().get(0)));
        assertThat(findings).anyMatch(f -> f.contains(sent.idNumbers().get(0)));
    }
}
