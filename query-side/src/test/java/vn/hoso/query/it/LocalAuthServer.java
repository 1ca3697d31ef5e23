package vn.hoso.query.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The development authorization server ({@code deploy/auth-server}'s exec jar, which the reactor build packages first)
 * as a process of its own on a free port, with a data folder of its own: its demo accounts, their passwords, and
 * tokens fetched the way {@code deploy/token.sh} fetches them.
 */
final class LocalAuthServer implements AutoCloseable {

    private static final String JAR = "deploy/auth-server/target/auth-server-0.1.0-SNAPSHOT-exec.jar";

    final String url;
    final int port;
    private final Path repo;
    private final Path data;
    private final Process process;

    /** @param portalOrigins the origins of the pages that sign in there ({@code HOSO_AUTH_PORTAL_ORIGINS}) */
    LocalAuthServer(String portalOrigins) throws IOException {
        repo = repoRoot();
        Path jar = repo.resolve(JAR);
        assertThat(jar).as("the authorization server's exec jar (./mvnw verify packages it before query-side)")
                .isRegularFile();
        data = Files.createTempDirectory("hoso-auth-qit");
        port = freePort();
        url = "http://localhost:" + port;
        ProcessBuilder server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(data.resolve("auth-server.log").toFile());
        server.environment().put("PORT", String.valueOf(port));
        server.environment().put("HOSO_DATA", data.toString());
        server.environment().put("HOSO_AUTH_ISSUER", url);
        server.environment().put("HOSO_AUTH_PORTAL_ORIGINS", portalOrigins);
        process = server.start();
    }

    /** Waits until it answers its readiness probe. */
    LocalAuthServer awaitReady() {
        Http health = new Http("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the authorization server exited:\n" + log());
            }
            try {
                return health.get("/actuator/health/readiness").status() == 200;
            } catch (UncheckedIOException notListeningYet) {
                return false;
            }
        });
        return this;
    }

    /** The settings that make a service trust this server's tokens, replacing the test issuer's. */
    String[] serviceArguments() {
        return new String[]{"--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + url,
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:" + port + "/oauth2/jwks"};
    }

    /** A demo person's password (generated at the server's first start into its data folder). */
    String password(String account) throws IOException {
        Properties credentials = new Properties();
        try (var in = Files.newBufferedReader(data.resolve("auth/demo-credentials.properties"))) {
            credentials.load(in);
        }
        return credentials.getProperty("user." + account);
    }

    /** The Authorization header of a token from {@code deploy/token.sh ACCOUNT URL}. */
    String[] bearer(String account) {
        ProcessBuilder script = new ProcessBuilder("bash", repo.resolve("deploy/token.sh").toString(), account, url);
        script.environment().put("HOSO_DATA", data.toString());
        script.environment().remove("AUTH_URL");
        try {
            Path errors = Files.createTempFile(data, "token", ".err");
            Process run = script.redirectError(errors.toFile()).start();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("token.sh %s ended", account).isTrue();
            assertThat(run.exitValue()).as("token.sh %s: %s", account, Files.readString(errors)).isZero();
            return new String[]{"Authorization", "Bearer " + out};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String log() {
        try {
            return Files.readString(data.resolve("auth-server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The repository: the first folder up from the working directory (failsafe's is query-side/) with deploy/. */
    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/auth-server"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
