package vn.hoso.command.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import vn.hoso.command.it.Api.Answer;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.*;

/** What an operator sees: health and readiness with MongoDB, Prometheus metrics, the OpenAPI description, JSON logs. */
@ExtendWith(OutputCaptureExtension.class)
class OperabilityIT {

    private static TestMongo mongo;
    private static CommandSide app;

    @BeforeAll
    static void start() {
        mongo = TestMongo.start();
        app = CommandSide.start(mongo, "--logging.level.vn.hoso=INFO");
    }

    @AfterAll
    static void stop() {
        app.close();
        mongo.close();
    }

    @Test
    void readinessIncludesMongo() {
        // anyone (a load balancer) gets the status only; an operator sees what it is made of
        Answer anonymous = app.api().get("/actuator/health/readiness");
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body().path("status").asText()).isEqualTo("UP");
        assertThat(anonymous.body().has("components")).isFalse();
        Answer readiness = app.api().get("/actuator/health/readiness", TestIssuer.operator());
        assertThat(readiness.body().path("components").path("mongo").path("status").asText()).isEqualTo("UP");
        assertThat(app.api().get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(app.api().get("/actuator/prometheus").status()).isEqualTo(401);
        assertThat(app.api().get("/actuator/prometheus", CITIZEN).status()).isEqualTo(403);
    }

    @Test
    void prometheusShowsAxonAndCacheMetrics() {
        app.api().post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"), CITIZEN);
        var response = app.api().getText("/actuator/prometheus", TestIssuer.operator());
        assertThat(response).contains("hoso_aggregate_cache_size");
        assertThat(response).contains("commandBus_successCounter_total");
        assertThat(response).contains("http_server_requests_seconds_count");
        // an Accept header sent empty is taken as absent (the scrape found no format for it: a 500, found by the fuzz)
        assertThat(app.api().getText("/actuator/prometheus", with(TestIssuer.operator(), "Accept", "")))
                .contains("http_server_requests_seconds_count").doesNotContain("INTERNAL_ERROR");
    }

    @Test
    void theOpenApiDescriptionListsTheCommands() {
        Answer docs = app.api().get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().path("paths").has("/api/v1/dossiers/{dossierId}/receipt")).isTrue();
        assertThat(docs.body().path("paths").has("/api/v1/sync/dossiers/{dossierId}/status")).isTrue();
        assertThat(app.api().getText("/swagger-ui/index.html")).contains("Swagger UI");
    }

    @Test
    void logsAreJsonWithTheRequestIdAndNoPersonalData(CapturedOutput output) {
        Answer answer = app.api().post("/api/v1/dossiers", submitBody("1.002804", "CITIZEN", "001089012345"),
                with(CITIZEN, "X-Request-Id", "req-ops-test-0001"));
        assertThat(answer.status()).isEqualTo(201);
        Answer refused = app.api().post("/api/v1/dossiers", submitBody("1.002804", "CITIZEN", "003089012345"),
                with(CITIZEN, "X-Request-Id", "req-ops-test-0002"));
        assertThat(refused.status()).isEqualTo(400);
        String dossierId = answer.body().path("dossierId").asText();
        String logLine = output.getOut().lines().filter(l -> l.contains(dossierId)).findFirst().orElseThrow();
        assertThat(logLine).startsWith("{").contains("\"requestId\":\"req-ops-test-0001\"");
        assertThat(output.getAll()).doesNotContain("001089012345").doesNotContain("003089012345")
                .doesNotContain("Nguyễn Văn Dũng");
    }
}
