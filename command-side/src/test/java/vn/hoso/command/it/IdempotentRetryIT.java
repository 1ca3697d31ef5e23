package vn.hoso.command.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.Api.Answer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.*;

/**
 * {@code Idempotency-Key}: a retry gets the first answer and appends nothing, across restarts of the command side and
 * of the embedded MongoDB; the same key with another body gets 422.
 */
class IdempotentRetryIT {

    private static TestMongo mongo;

    @BeforeAll
    static void startMongo() {
        mongo = TestMongo.start();
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
    }

    @Test
    void retriesAreAnsweredWithTheFirstAnswerEvenAfterARestart() {
        String submit = submitBody("1.002804", "CITIZEN", "001089012345");
        String[] submitKey = with(CITIZEN, "Idempotency-Key", "submit-7f3a");
        String[] receiveKey = with(OFFICER, "Idempotency-Key", "receive-7f3a");
        Answer first;
        Answer received;
        try (CommandSide app = CommandSide.start(mongo)) {
            Api api = app.api();
            first = api.post("/api/v1/dossiers", submit, submitKey);
            assertThat(first.status()).isEqualTo(201);
            String id = first.body().path("dossierId").asText();
            long stored = mongo.eventCount();

            Answer retry = api.post("/api/v1/dossiers", submit, submitKey);
            assertThat(retry.status()).isEqualTo(201);
            assertThat(retry.body()).isEqualTo(first.body());
            assertThat(retry.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
            assertThat(mongo.eventCount()).isEqualTo(stored);

            Answer otherBody = api.post("/api/v1/dossiers", submitBody("1.002793", "CITIZEN", "001089012345"),
                    submitKey);
            assertThat(otherBody.status()).isEqualTo(422);
            assertThat(otherBody.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
            assertThat(mongo.eventCount()).isEqualTo(stored);

            Answer otherOwner = api.post("/api/v1/dossiers", submit, with(OTHER_CITIZEN, "Idempotency-Key", "submit-7f3a"));
            assertThat(otherOwner.status()).isEqualTo(201);
            assertThat(otherOwner.body().path("dossierId").asText()).isNotEqualTo(id);

            received = api.post("/api/v1/dossiers/" + id + "/receipt", "{}", receiveKey);
            assertThat(received.status()).isEqualTo(200);
            long afterReceipt = mongo.eventCount();
            Answer receivedAgain = api.post("/api/v1/dossiers/" + id + "/receipt", "{}", receiveKey);
            assertThat(receivedAgain.status()).isEqualTo(200);
            // the same answer, but for the lookup secret: given once, never to a replay (only its digest is kept)
            assertThat(received.body().path("lookupSecret").asText()).isNotEmpty();
            assertThat(receivedAgain.body().has("lookupSecret")).isFalse();
            assertThat(receivedAgain.body()).isEqualTo(((com.fasterxml.jackson.databind.node.ObjectNode) received.body()
                    .deepCopy()).without("lookupSecret"));
            assertThat(mongo.eventCount()).isEqualTo(afterReceipt);
        }

        mongo.restartEmbedded();
        long stored = mongo.eventCount();

        try (CommandSide app = CommandSide.start(mongo)) {
            Api api = app.api();
            Answer retry = api.post("/api/v1/dossiers", submit, submitKey);
            assertThat(retry.status()).isEqualTo(201);
            assertThat(retry.body()).isEqualTo(first.body());
            String id = first.body().path("dossierId").asText();
            Answer receivedAgain = api.post("/api/v1/dossiers/" + id + "/receipt", "{}", receiveKey);
            assertThat(receivedAgain.status()).isEqualTo(200);
            assertThat(receivedAgain.body()).isEqualTo(((com.fasterxml.jackson.databind.node.ObjectNode) received.body()
                    .deepCopy()).without("lookupSecret"));
            assertThat(mongo.eventCount()).isEqualTo(stored);
        }
    }

    @Test
    void concurrentRetriesOfOneSubmissionCreateOneDossier() throws Exception {
        try (CommandSide app = CommandSide.start(mongo)) {
            Api api = app.api();
            String body = submitBody("2.000116", "BUSINESS", "0100109106");
            String[] headers = with(CITIZEN, "Idempotency-Key", "burst-submit-1");
            int writers = 8;
            CyclicBarrier barrier = new CyclicBarrier(writers);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<Answer>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < writers; i++) {
                    answers.add(pool.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        return api.post("/api/v1/dossiers", body, headers);
                    }));
                }
                Set<String> ids = new HashSet<>();
                for (Future<Answer> future : answers) {
                    Answer answer = future.get(30, TimeUnit.SECONDS);
                    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
                    ids.add(answer.body().path("dossierId").asText());
                }
                assertThat(ids).hasSize(1);
                assertThat(mongo.eventTypes(ids.iterator().next())).containsExactly("DossierSubmitted");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
