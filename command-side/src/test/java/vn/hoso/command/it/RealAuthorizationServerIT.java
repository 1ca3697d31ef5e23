package vn.hoso.command.it;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.Api.Answer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.hoso.command.it.Api.submitBody;

/**
 * The command side trusting the real development authorization server ({@code deploy/auth-server}, its exec jar run
 * as a child process, as {@code deploy/run.sh} runs it), with tokens got the way a developer gets them
 * ({@code deploy/token.sh}: the portal's authorization code flow with PKCE for people, client credentials for the
 * payment platform): the claims it issues are the ones the access rules read, and its tokens are the only ones
 * the service then accepts. Needs bash, curl and openssl, and the auth server built (the reactor builds
 * {@code deploy/auth-server} before {@code command-side}).
 */
class RealAuthorizationServerIT {

    private static final String AUTH_JAR = "deploy/auth-server/target/auth-server-0.1.0-SNAPSHOT-exec.jar";
    private static final String CITIZEN_AN_ID = "001089012345";

    private static Path repo;
    private static Path data;
    private static Process authServer;
    private static String authUrl;
    private static TestMongo mongo;
    private static CommandSide app;

    @BeforeAll
    static void start() throws IOException {
        repo = repoRoot();
        Path jar = repo.resolve(AUTH_JAR);
        assertThat(jar).as("the authorization server's exec jar %s is missing: the reactor build (./mvnw verify) "
                + "packages deploy/auth-server before command-side; alone: ./mvnw -pl deploy/auth-server package "
                + "-DskipTests", jar).isRegularFile();
        data = Files.createTempDirectory("hoso-auth-it");
        int port = freePort();
        authUrl = "http://localhost:" + port;
        ProcessBuilder server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(data.resolve("auth-server.log").toFile());
        server.environment().put("PORT", String.valueOf(port));
        server.environment().put("HOSO_DATA", data.toString());
        server.environment().put("HOSO_AUTH_ISSUER", authUrl);
        authServer = server.start();

        // the command side meanwhile: it fetches the JWK set on the first token, not at start
        mongo = TestMongo.start();
        app = CommandSide.start(mongo,
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + authUrl,
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:" + port + "/oauth2/jwks");

        Api health = new Api("http://127.0.0.1:" + port);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!authServer.isAlive()) {
                    throw new IllegalStateException("the authorization server exited (" + authServer.exitValue()
                            + "):\n" + authServerLog());
                }
                try {
                    return health.get("/actuator/health/readiness").status() == 200;
                } catch (UncheckedIOException notListeningYet) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the authorization server was not ready within 60 s:\n" + authServerLog(), e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (authServer != null) {
            authServer.destroy();
            if (!authServer.waitFor(15, TimeUnit.SECONDS)) {
                authServer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (data != null) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void theRealServersTokensCarryWhatTheAccessRulesRead() {
        Api api = app.api();
        String[] citizenAn = token("citizen-an");
        String[] citizenBinh = token("citizen-binh");
        String[] officer = token("officer-h22");
        String[] paymentPlatform = token("payment-platform");

        Answer submitted = api.post("/api/v1/dossiers", submitBody("1.002804", "CITIZEN", CITIZEN_AN_ID), citizenAn);
        assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(201);
        String base = "/api/v1/dossiers/" + submitted.body().path("dossierId").asText();

        // the submission fee: online payments are the payment platform's, not the citizen's
        String payment = "{\"paymentReference\":\"VNPAY-REAL-1\",\"method\":\"ONLINE\",\"amount\":115000}";
        Answer byCitizen = api.post(base + "/payments", payment, citizenAn);
        assertThat(byCitizen.status()).as(byCitizen.body().toString()).isEqualTo(403);
        Answer paid = api.post(base + "/payments", payment, paymentPlatform);
        assertThat(paid.status()).as(paid.body().toString()).isEqualTo(200);

        Answer received = api.post(base + "/receipt", "{}", officer);
        assertThat(received.status()).as(received.body().toString()).isEqualTo(200);

        assertThat(api.get(base + "/events", citizenAn).status()).isEqualTo(200);
        Answer foreign = api.get(base + "/events", citizenBinh);
        assertThat(foreign.status()).as("another citizen: as for an absent dossier").isEqualTo(404);
    }

    @Test
    void tokensOfAnotherIssuerAreRefused() {
        Answer answer = app.api().post("/api/v1/dossiers", submitBody("1.002804", "CITIZEN", CITIZEN_AN_ID),
                TestIssuer.bearer("CITIZEN", "citizen-it-1", null, CITIZEN_AN_ID));
        assertThat(answer.status()).isEqualTo(401);
    }

    /** The Authorization header of a token from {@code deploy/token.sh ACCOUNT AUTH_URL}. */
    private static String[] token(String account) {
        ProcessBuilder script = new ProcessBuilder("bash", repo.resolve("deploy/token.sh").toString(), account, authUrl);
        script.environment().put("HOSO_DATA", data.toString());
        script.environment().remove("AUTH_URL");
        try {
            Path errors = Files.createTempFile(data, "token", ".err");
            Process process = script.redirectError(errors.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("token.sh %s ended", account).isTrue();
            assertThat(process.exitValue()).as("token.sh %s: %s", account, Files.readString(errors)).isZero();
            assertThat(out).as("token.sh %s printed one JWT", account).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
            return new String[]{"Authorization", "Bearer " + out};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The repository: the first folder up from the working directory (failsafe's is command-side/) with deploy/. */
    private static Path repoRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/token.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/token.sh in " + cwd + " or above: run from the repository");
    }

    private static String authServerLog() {
        try {
            List<String> lines = Files.readAllLines(data.resolve("auth-server.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
