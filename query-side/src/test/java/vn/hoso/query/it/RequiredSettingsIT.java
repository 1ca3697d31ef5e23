package vn.hoso.query.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing fails open: each service's jar, started as production starts it (no profile), without its security
 * settings refuses to start and names each missing one with its environment variable; the query side also without
 * a key file that does not exist (outside the development profile no key is ever generated).
 */
class RequiredSettingsIT {

    private static final String UNREACHABLE_STORE = "--spring.data.mongodb.uri=mongodb://127.0.0.1:9/hoso";

    @Test
    void theCommandSideRefusesToStartWithoutItsIssuerAndKeys() throws Exception {
        Started started = start(jar("../command-side/target", "command-side-"), Map.of());
        assertThat(started.exitCode()).as(started.output()).isNotZero();
        assertThat(started.output()).contains("refuses to start", "HOSO_AUTH_ISSUER", "HOSO_AUTH_JWK_SET_URI",
                "HOSO_LOOKUP_KEY").doesNotContain("Tomcat started");
    }

    @Test
    void theQuerySideRefusesToStartWithoutItsIssuerKeysAndIdHashKey() throws Exception {
        Path jar = jar("target", "query-side-");
        Started bare = start(jar, Map.of());
        assertThat(bare.exitCode()).as(bare.output()).isNotZero();
        assertThat(bare.output()).contains("refuses to start", "HOSO_AUTH_ISSUER", "HOSO_AUTH_JWK_SET_URI",
                "HOSO_ID_HASH_KEY", "HOSO_LOG_SIGNING_KEY", "HOSO_LOOKUP_KEY");

        Map<String, String> issuer = Map.of("HOSO_AUTH_ISSUER", "https://issuer.example.invalid",
                "HOSO_AUTH_JWK_SET_URI", "https://issuer.example.invalid/jwks");
        Started noKey = start(jar, issuer);
        assertThat(noKey.exitCode()).as(noKey.output()).isNotZero();
        assertThat(noKey.output()).contains("refuses to start", "HOSO_ID_HASH_KEY").doesNotContain("- HOSO_AUTH_ISSUER");

        Path absent = Files.createTempDirectory("hoso-no-key").resolve("id-hash.key");
        Started noKeyFile = start(jar, issuer, "--hoso.search.id-hash-key-file=" + absent);
        assertThat(noKeyFile.exitCode()).as(noKeyFile.output()).isNotZero();
        assertThat(noKeyFile.output()).contains("refuses to start", "HOSO_ID_HASH_KEY", "it is never generated");
        assertThat(absent).as("no key generated outside the development profile").doesNotExist();

        // the sealed log's signing key: a key file that does not exist is never filled outside development either
        Map<String, String> withIdKey = new java.util.HashMap<>(issuer);
        withIdKey.put("HOSO_ID_HASH_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        Path noSigningKey = absent.resolveSibling("log-signing.key");
        Started noLogKey = start(jar, withIdKey, "--hoso.log.signing-key-file=" + noSigningKey);
        assertThat(noLogKey.exitCode()).as(noLogKey.output()).isNotZero();
        assertThat(noLogKey.output()).contains("refuses to start", "HOSO_LOG_SIGNING_KEY", "it is never generated")
                .doesNotContain("- HOSO_ID_HASH_KEY");
        assertThat(noSigningKey).as("no signing key generated outside the development profile").doesNotExist();
    }

    private record Started(int exitCode, String output) {
    }

    private static Path jar(String folder, String prefix) throws IOException {
        try (var files = Files.list(Path.of(folder))) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                            && f.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + prefix + "*-exec.jar in " + folder
                            + ": the reactor build (./mvnw verify) packages it before the integration tests"));
        }
    }

    /** Starts the jar with a clean environment (no HOSO_ settings, no profile) and waits for it to stop. */
    private static Started start(Path jar, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--server.port=0", UNREACHABLE_STORE, "--spring.main.banner-mode=off",
                "--logging.structured.format.console="));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("HOSO_") || name.startsWith("SPRING_")
                || name.equals("MONGODB_URI") || name.equals("ELASTICSEARCH_URL"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes(); // until it exits
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service started instead of refusing:\n" + new String(output, StandardCharsets.UTF_8));
        }
        return new Started(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
