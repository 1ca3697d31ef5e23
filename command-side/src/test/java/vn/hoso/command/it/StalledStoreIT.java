package vn.hoso.command.it;

import org.junit.jupiter.api.Test;
import vn.hoso.deploy.EmulatorProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.CITIZEN;
import static vn.hoso.command.it.Api.OFFICER;
import static vn.hoso.command.it.Api.submitBody;

/**
 * A store that stops answering (the emulator process stopped with SIGSTOP: its connections stay open, nothing comes
 * back) costs a command its bounded time, never more: it is answered 503 with {@code Retry-After} within
 * {@code hoso.commands.timeout} (plus the store's socket timeout of the worker's last read), the problem says whether
 * it may still be applied, and once the store answers again the same request under the same {@code Idempotency-Key}
 * is applied exactly once.
 */
class StalledStoreIT {

    @Test
    void aCommandOnAStalledStoreIsAnsweredInBoundedTimeAndAppliedOnceAfterwards() throws Exception {
        Path file = Files.createTempDirectory("hoso-stall").resolve("mongo.mv");
        try (EmulatorProcess emulator = EmulatorProcess.start(file, true);
             TestMongo mongo = TestMongo.on(emulator.uri());
             CommandSide app = CommandSide.start(mongo, "--hoso.commands.timeout=2s",
                     "--hoso.store.socket-timeout=1s", "--hoso.store.server-selection-timeout=1s",
                     "--hoso.store.aggregate-cache-size=0")) {
            Api api = app.api();
            Api.Answer submitted = api.post("/api/v1/dossiers", submitBody("2.000116", "CITIZEN", "079190001234"),
                    CITIZEN);
            assertThat(submitted.status()).isEqualTo(201);
            String dossier = submitted.body().path("dossierId").asText();
            String[] receipt = {OFFICER[0], OFFICER[1], "Idempotency-Key", "receipt-on-a-stalled-store",
                    "X-Request-Id", "stalled-store-0001"};

            emulator.stall();
            long start = System.nanoTime();
            Api.Answer stalled = api.post("/api/v1/dossiers/" + dossier + "/receipt", "{}", receipt);
            long millis = (System.nanoTime() - start) / 1_000_000;
            emulator.resume();

            assertThat(stalled.status()).as(stalled.body().toString()).isEqualTo(503);
            assertThat(stalled.raw().headers().firstValue("Retry-After")).isPresent();
            assertThat(stalled.body().path("code").asText()).isIn("COMMAND_TIMEOUT", "STORE_UNAVAILABLE",
                    "OUTCOME_UNKNOWN");
            assertThat(stalled.body().path("mayHaveBeenApplied").isBoolean()).isTrue();
            assertThat(stalled.body().path("requestId").asText()).isEqualTo("stalled-store-0001");
            assertThat(millis).as("answered within the command's 2 s and one 1 s socket timeout").isLessThan(3_500);

            // the store answers again: the same request is applied once, whatever became of the first
            Api.Answer retried = api.post("/api/v1/dossiers/" + dossier + "/receipt", "{}", receipt);
            assertThat(retried.status()).as(retried.body().toString()).isEqualTo(200);
            Api.Answer history = api.get("/api/v1/dossiers/" + dossier + "/events", Api.INSPECTOR);
            List<String> types = new java.util.ArrayList<>();
            history.body().path("events").forEach(event -> types.add(event.path("type").asText()));
            assertThat(types).containsExactly("DossierSubmitted", "DossierReceived");
            assertThat(history.body().path("version").asLong()).isEqualTo(1);
        }
    }
}
