package vn.hoso.command.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.Api.Answer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.*;

/**
 * Optimistic concurrency through {@code If-Match}: two requests carrying the same version, released together through
 * a barrier, must end with one appended event and one 409, round after round; the stored sequence numbers, read
 * with the raw driver, stay contiguous.
 */
class ConcurrentIfMatchIT {

    private static final int PAIRS = 24;

    private static TestMongo mongo;
    private static CommandSide app;

    @BeforeAll
    static void start() {
        mongo = TestMongo.start();
        app = CommandSide.start(mongo);
    }

    @AfterAll
    static void stop() {
        app.close();
        mongo.close();
    }

    @Test
    void ofTwoWritersWithTheSameVersionExactlyOneWins() throws Exception {
        Api api = app.api();
        String id = api.post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"), CITIZEN)
                .body().path("dossierId").asText();
        String base = "/api/v1/dossiers/" + id;
        assertThat(api.post(base + "/receipt", "{}", OFFICER).status()).isEqualTo(200);
        long version = api.post(base + "/processing", "{\"unit\":\"Phòng Quản lý thương mại\"}", OFFICER).version();

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int pair = 0; pair < PAIRS; pair++) {
                CyclicBarrier barrier = new CyclicBarrier(2);
                String ifMatch = "\"" + version + "\"";
                List<Future<Answer>> answers = new ArrayList<>();
                for (int writer = 0; writer < 2; writer++) {
                    String body = "{\"unit\":\"Phòng %d\",\"step\":\"Bước %d\"}".formatted(writer, pair);
                    answers.add(pool.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        return api.post(base + "/steps", body, with(OFFICER, "If-Match", ifMatch));
                    }));
                }
                Answer first = answers.get(0).get(30, TimeUnit.SECONDS);
                Answer second = answers.get(1).get(30, TimeUnit.SECONDS);
                List<Integer> statuses = new ArrayList<>(List.of(first.status(), second.status()));
                statuses.sort(null);
                assertThat(statuses).as("pair %d", pair).containsExactly(200, 409);
                Answer loser = first.status() == 409 ? first : second;
                Answer winner = first.status() == 200 ? first : second;
                assertThat(loser.code()).isEqualTo("CONCURRENT_MODIFICATION");
                assertThat(loser.contentType()).startsWith("application/problem+json");
                assertThat(winner.version()).isEqualTo(version + 1);
                version = winner.version();
            }
        } finally {
            pool.shutdownNow();
        }

        List<Long> stored = mongo.sequenceNumbers(id);
        assertThat(stored).containsExactlyElementsOf(LongStream.rangeClosed(0, version).boxed().toList());
        assertThat(stored).hasSize(3 + PAIRS);
    }
}
