package vn.hoso.command.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check of what a module's services logged during its integration tests: nothing holds a citizen ID, tax code or
 * name the module's tests send (DOMAIN.md: personal data). Each module runs it last, as {@code PersonalDataInLogsIT}.
 */
public abstract class PersonalDataInLogsCheck {

    private static final Path SOURCES = Path.of("src", "test", "java");

    @Test
    public void theLogsHoldNoCitizenIdTaxCodeOrName() throws Exception {
        assertThat(LogCapture.files()).as("captured logs").isNotEmpty();
        assertThat(LogCapture.personalDataIn(SOURCES, LogCapture.files())).isEmpty();
    }

    @Test
    public void theCheckFindsANameOrAnIdTheTestsSent(@TempDir Path folder) throws Exception {
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
