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

    private static final String CITIZEN_AN_ID = "001089012345";

    private static LocalAuthServer auth;
    private static TestMongo mongo;
    private static CommandSide app;

    @BeforeAll
    static void start() throws IOException {
        auth = new LocalAuthServer(null);
        // the command side meanwhile: it fetches the JWK set on the first token, not at start
        mongo = TestMongo.start();
        app = CommandSide.start(mongo, auth.serviceArguments());
        auth.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (auth != null) {
            auth.close();
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
        return auth.bearer(account);
    }
}
