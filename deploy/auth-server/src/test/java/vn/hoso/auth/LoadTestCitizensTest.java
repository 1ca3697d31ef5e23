package vn.hoso.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code HOSO_AUTH_LOAD_TEST_CITIZENS} set, the server also signs in that many load-test citizens, the way it
 * signs in the demo people ({@code deploy/token.sh load-citizen-7}): their passwords are in the same credentials file,
 * their tokens carry a subject and a citizen ID of their own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LoadTestCitizensTest {

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("HOSO_DATA", data::toString);
        registry.add("HOSO_AUTH_LOAD_TEST_CITIZENS", () -> "3");
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void theirPasswordsJoinTheDemoCredentials() throws Exception {
        Properties credentials = AuthServerTest.read(data.resolve("auth/demo-credentials.properties"));

        assertThat(credentials.stringPropertyNames()).contains("user.citizen-an", "client.payment-platform",
                "user.load-citizen-1", "user.load-citizen-2", "user.load-citizen-3")
                .doesNotContain("user.load-citizen-0", "user.load-citizen-4");
        assertThat(credentials.values().stream().distinct()).hasSize(credentials.size());
    }

    @Test
    void aLoadTestCitizenSignsInLikeADemoPersonAndGetsItsOwnIdentity() throws Exception {
        String base = "http://127.0.0.1:" + port;
        Properties credentials = AuthServerTest.read(data.resolve("auth/demo-credentials.properties"));

        Map<String, Object> third = AuthServerTest.payload(AuthServerTest.signIn(base, "load-citizen-3",
                credentials.getProperty("user.load-citizen-3")).orElseThrow());
        Map<String, Object> first = AuthServerTest.payload(AuthServerTest.signIn(base, "load-citizen-1",
                credentials.getProperty("user.load-citizen-1")).orElseThrow());

        String subject = UUID.nameUUIDFromBytes("load-citizen-3".getBytes(StandardCharsets.UTF_8)).toString();
        assertThat(third).containsEntry("role", "CITIZEN").containsEntry("aud", "hoso-api")
                .containsEntry("sub", subject).containsEntry("citizen_id", "001090000003");
        assertThat(first).containsEntry("citizen_id", "001090000001").doesNotContainEntry("sub", third.get("sub"));
        assertThat(AuthServerTest.signIn(base, "load-citizen-2", credentials.getProperty("user.load-citizen-3")))
                .as("another load-test citizen's password").isEmpty();
        assertThat(AuthServerTest.signIn(base, "citizen-an", credentials.getProperty("user.citizen-an"))).isPresent();
    }
}
