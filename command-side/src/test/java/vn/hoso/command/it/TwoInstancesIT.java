package vn.hoso.command.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.Api.Answer;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.*;

/**
 * Two command-side instances on one store, without routing by dossier: each keeps dossiers warm in its own cache, and
 * a dossier another instance changed since must never be answered from a stale copy.
 */
class TwoInstancesIT {

    private static TestMongo mongo;
    private static CommandSide first;
    private static CommandSide second;

    @BeforeAll
    static void start() {
        mongo = TestMongo.start();
        first = CommandSide.start(mongo);
        second = CommandSide.start(mongo);
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
        mongo.close();
    }

    @Test
    void aDossierChangedOnOneInstanceIsCurrentOnTheOther() {
        Api a = first.api();
        Api b = second.api();
        String id = a.post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"), CITIZEN)
                .body().path("dossierId").asText();
        String base = "/api/v1/dossiers/" + id;
        assertThat(a.post(base + "/receipt", "{}", OFFICER).version()).isEqualTo(1); // warm on the first
        assertThat(b.post(base + "/processing", "{\"unit\":\"Phòng một cửa\"}", OFFICER).version()).isEqualTo(2);

        Answer step = a.post(base + "/steps", "{\"unit\":\"Phòng một cửa\",\"step\":\"Kiểm tra\"}",
                with(OFFICER, "If-Match", "\"2\""));
        assertThat(step.status()).as(step.body().toString()).isEqualTo(200);
        assertThat(step.version()).isEqualTo(3);

        // a retry that reaches the other instance gets the first answer, and appends nothing
        String transfer = "{\"fromUnit\":\"Phòng một cửa\",\"toUnit\":\"Lãnh đạo\"}";
        Answer original = b.post(base + "/transfers", transfer, with(OFFICER, "Idempotency-Key", "transfer-2i"));
        assertThat(original.version()).isEqualTo(4);
        long stored = mongo.eventCount();
        Answer retried = a.post(base + "/transfers", transfer, with(OFFICER, "Idempotency-Key", "transfer-2i"));
        assertThat(retried.status()).as(retried.body().toString()).isEqualTo(200);
        assertThat(retried.version()).isEqualTo(4);
        assertThat(retried.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(mongo.eventCount()).isEqualTo(stored);
        assertThat(mongo.sequenceNumbers(id)).containsExactly(0L, 1L, 2L, 3L, 4L);
    }
}
