package vn.hoso.command.it;

import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The development authorization server ({@code deploy/auth-server}'s exec jar, which the reactor build packages before
 * the services) as a child process on a free port, as {@code deploy/run.sh} runs it, with a data folder of its own:
 * its demo accounts, their passwords, and tokens got the way a developer gets them ({@code deploy/token.sh}). Needs
 * bash, curl and openssl.
 */
public final class LocalAuthServer implements AutoCloseable {

    private static final String JAR = "deploy/auth-server/target/auth-server-0.1.0-SNAPSHOT-exec.jar";

    public final String url;
    public final int port;
    private final Path repo;
    private final Path data;
    private final Process process;

    /** @param portalOrigins the origins of the pages that sign in there ({@code HOSO_AUTH_PORTAL_ORIGINS}), or null */
    public LocalAuthServer(String portalOrigins) throws IOException {
        repo = repoRoot();
        Path jar = repo.resolve(JAR);
        assertThat(jar).as("the authorization server's exec jar %s is missing: the reactor build (./mvnw verify) "
                + "packages deploy/auth-server before the services; alone: ./mvnw -pl deploy/auth-server package "
                + "-DskipTests", jar).isRegularFile();
        data = Files.createTempDirectory("hoso-auth-it");
        port = freePort();
        url = "http://localhost:" + port;
        ProcessBuilder server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(data.resolve("auth-server.log").toFile());
        server.environment().put("PORT", String.valueOf(port));
        server.environment().put("HOSO_DATA", data.toString());
        server.environment().put("HOSO_AUTH_ISSUER", url);
        if (portalOrigins != null) {
            server.environment().put("HOSO_AUTH_PORTAL_ORIGINS", portalOrigins);
        }
        process = server.start();
    }

    /** Waits until it answers its readiness probe (the last lines of its log if it does not, or exits). */
    public LocalAuthServer awaitReady() {
        Api health = new Api("http://127.0.0.1:" + port);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the authorization server exited (" + process.exitValue()
                            + "):\n" + log());
                }
                try {
                    return health.get("/actuator/health/readiness").status() == 200;
                } catch (UncheckedIOException notListeningYet) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the authorization server was not ready within 90 s:\n" + log(), e);
        }
        return this;
    }

    /** The settings that make a service trust this server's tokens, replacing the test issuer's. */
    public String[] serviceArguments() {
        return new String[]{"--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + url,
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:" + port + "/oauth2/jwks"};
    }

    /** A demo person's password (generated at the server's first start into its data folder). */
    public String password(String account) throws IOException {
        Properties credentials = new Properties();
        try (var in = Files.newBufferedReader(data.resolve("auth/demo-credentials.properties"))) {
            credentials.load(in);
        }
        return credentials.getProperty("user." + account);
    }

    /** The Authorization header of a token from {@code deploy/token.sh ACCOUNT URL}. */
    public String[] bearer(String account) {
        ProcessBuilder script = new ProcessBuilder("bash", repo.resolve("deploy/token.sh").toString(), account, url);
        script.environment().put("HOSO_DATA", data.toString());
        script.environment().remove("AUTH_URL");
        try {
            Path errors = Files.createTempFile(data, "token", ".err");
            Process run = script.redirectError(errors.toFile()).start();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("token.sh %s ended", account).isTrue();
            assertThat(run.exitValue()).as("token.sh %s: %s", account, Files.readString(errors)).isZero();
            assertThat(out).as("token.sh %s printed one JWT", account).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
            return new String[]{"Authorization", "Bearer " + out};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last 40 lines of its log. */
    public String log() {
        try {
            List<String> lines = Files.readAllLines(data.resolve("auth-server.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops it and deletes its data folder. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    public static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The repository: the first folder up from the working directory (failsafe's is the module's) with deploy/. */
    private static Path repoRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/token.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/token.sh in " + cwd + " or above: run from the repository");
    }
}
