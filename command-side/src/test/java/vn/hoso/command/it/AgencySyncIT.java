package vn.hoso.command.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.Api.Answer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.*;

/**
 * An agency system's reports arrive in bursts, duplicated and out of order, as real systems that retry send them.
 * Every message is applied exactly once, a duplicate gets the original answer, a report that does not fit yet gets a
 * problem naming the state, and once the system has retried everything the history is the one the agency lived.
 */
class AgencySyncIT {

    private static final String[] SYSTEM = TestIssuer.bearer("AGENCY_SYSTEM", "motcua-hanoi", AGENCY);

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
    void duplicatedAndReorderedNumberedReportsAreAppliedOnceInTheAgencysOrder() throws Exception {
        Api api = app.api();
        String id = api.post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"), CITIZEN)
                .body().path("dossierId").asText();
        String path = "/api/v1/sync/dossiers/" + id + "/status";

        Map<String, String> messages = new LinkedHashMap<>();
        messages.put("m-1", "{\"messageId\":\"m-1\",\"sequence\":1,\"statusCode\":2,\"dossierCode\":\"HN-SYNC-0001\"}");
        messages.put("m-2", "{\"messageId\":\"m-2\",\"sequence\":2,\"statusCode\":4,\"unit\":\"Phòng Xúc tiến\"}");
        messages.put("m-3", "{\"messageId\":\"m-3\",\"sequence\":3,\"statusCode\":4,\"unit\":\"Phòng Xúc tiến\",\"step\":\"Thẩm định\"}");
        messages.put("m-4", "{\"messageId\":\"m-4\",\"sequence\":4,\"statusCode\":4,\"fromUnit\":\"Phòng Xúc tiến\",\"toUnit\":\"Lãnh đạo\"}");
        messages.put("m-5", "{\"messageId\":\"m-5\",\"sequence\":5,\"statusCode\":9,\"decision\":\"APPROVED\",\"documents\":[]}");
        messages.put("m-6", "{\"messageId\":\"m-6\",\"sequence\":6,\"statusCode\":10,\"channel\":\"ONLINE\"}");

        Map<String, Answer> firstSuccess = new HashMap<>();
        List<Answer> refusals = new ArrayList<>();
        Random random = new Random(20261123);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 12 && firstSuccess.size() < messages.size(); round++) {
                // every message not yet acknowledged, plus duplicates of acknowledged ones, shuffled
                List<String> burst = new ArrayList<>();
                for (String messageId : messages.keySet()) {
                    burst.add(messageId);
                    burst.add(messageId);
                }
                Collections.shuffle(burst, random);
                List<Map.Entry<String, Future<Answer>>> sent = new ArrayList<>();
                for (String messageId : burst) {
                    sent.add(Map.entry(messageId, pool.submit(() -> api.post(path, messages.get(messageId), SYSTEM))));
                }
                for (Map.Entry<String, Future<Answer>> entry : sent) {
                    Answer answer = entry.getValue().get();
                    if (answer.status() == 200) {
                        Answer original = firstSuccess.putIfAbsent(entry.getKey(), answer);
                        if (original != null) {
                            // a receipt's lookup secret is answered once, to whichever of the two came first
                            assertThat(withoutSecret(answer.body())).as("duplicate of %s", entry.getKey())
                                    .isEqualTo(withoutSecret(original.body()));
                            assertThat(answer.body().has("lookupSecret") && original.body().has("lookupSecret"))
                                    .as("a secret answered twice for %s", entry.getKey()).isFalse();
                        }
                    } else {
                        refusals.add(answer);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(firstSuccess).containsOnlyKeys(messages.keySet());
        for (Answer refusal : refusals) {
            assertThat(refusal.status()).as(refusal.body().toString()).isIn(409);
            assertThat(refusal.contentType()).startsWith("application/problem+json");
            assertThat(refusal.code()).isEqualTo("SYNC_OUT_OF_ORDER");
        }
        assertThat(refusals).as("out-of-order reports are refused, naming the state").isNotEmpty()
                .allSatisfy(r -> assertThat(r.body().path("currentState").asText()).isNotBlank());
        assertThat(mongo.eventTypes(id)).containsExactly("DossierSubmitted", "DossierReceived", "ProcessingStarted",
                "ProcessingStepCompleted", "DossierTransferred", "ResultIssued", "ResultReturned");
        assertThat(mongo.sequenceNumbers(id)).containsExactlyElementsOf(LongStream.rangeClosed(0, 6).boxed().toList());
        assertThat(firstSuccess.get("m-1").body().path("dossierCode").asText()).isEqualTo("HN-SYNC-0001");
        assertThat(firstSuccess.get("m-6").version()).isEqualTo(6);
    }

    /**
     * Numbering that cannot wedge: a desk payment resent under a new message id changes nothing but uses its number;
     * the same payment reference with another amount is refused; a number that will never come is skipped by an
     * operator, and the reports after it are taken.
     */
    @Test
    void aNumberThatChangesNothingOrNeverComesDoesNotWedgeTheDossier() {
        Api api = app.api();
        String id = api.post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"), CITIZEN)
                .body().path("dossierId").asText();
        String path = "/api/v1/sync/dossiers/" + id + "/status";
        String[] operator = TestIssuer.bearer("OPERATOR", "operator-it-1", null);
        assertThat(api.post(path, "{\"messageId\":\"w-1\",\"sequence\":1,\"statusCode\":2}", SYSTEM).status())
                .isEqualTo(200);
        assertThat(api.post(path, "{\"messageId\":\"w-2\",\"sequence\":2,\"statusCode\":6,\"feeItems\":"
                + "[{\"code\":\"PHI\",\"name\":\"Phí thẩm định\",\"amount\":50000}]}", SYSTEM).status())
                .isEqualTo(200);
        // 20,000 of the 50,000 paid at the desk: the request stays open
        String paid = "{\"messageId\":\"%s\",\"sequence\":%d,\"statusCode\":2,\"paymentReference\":\"%s\","
                + "\"amount\":%d}";
        assertThat(api.post(path, paid.formatted("w-3", 3, "QUAY-7", 20000), SYSTEM).version()).isEqualTo(3);

        // the same payment again under a new message id: nothing changes, but number 4 is recorded
        Answer resent = api.post(path, paid.formatted("w-4", 4, "QUAY-7", 20000), SYSTEM);
        assertThat(resent.status()).as(resent.body().toString()).isEqualTo(200);
        assertThat(resent.version()).isEqualTo(4);
        // the same reference with another amount is another payment wrongly labelled: refused, nothing appended
        long stored = mongo.eventCount();
        Answer reused = api.post(path, paid.formatted("w-5", 5, "QUAY-7", 30000), SYSTEM);
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.code()).isEqualTo("PAYMENT_REFERENCE_REUSED");
        assertThat(mongo.eventCount()).isEqualTo(stored);

        // number 5 will never come: an officer may not skip it, an operator may, with a reason
        String skip = "{\"sequence\":5,\"reason\":\"Báo cáo số 5 bị mất ở hệ thống một cửa\"}";
        assertThat(api.post("/api/v1/sync/dossiers/" + id + "/skipped-numbers", skip, OFFICER).code())
                .isEqualTo("NOT_ALLOWED");
        assertThat(api.post("/api/v1/sync/dossiers/" + id + "/skipped-numbers",
                "{\"sequence\":6,\"reason\":\"x\"}", operator).code()).isEqualTo("SYNC_OUT_OF_ORDER");
        Answer skipped = api.post("/api/v1/sync/dossiers/" + id + "/skipped-numbers", skip, operator);
        assertThat(skipped.status()).as(skipped.body().toString()).isEqualTo(200);
        Answer next = api.post(path, paid.formatted("w-6", 6, "QUAY-8", 30000), SYSTEM);
        assertThat(next.status()).as(next.body().toString()).isEqualTo(200);
        assertThat(mongo.eventTypes(id)).containsExactly("DossierSubmitted", "DossierReceived", "PaymentRequested",
                "FeePaid", "SyncReportRecorded", "SyncNumberSkipped", "FeePaid");
    }

    @Test
    void unnumberedReportsThatDoNotFitTheStateAreRefusedNamingIt() {
        Api api = app.api();
        String id = api.post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"), CITIZEN)
                .body().path("dossierId").asText();
        String path = "/api/v1/sync/dossiers/" + id + "/status";
        Answer early = api.post(path, "{\"messageId\":\"u-9\",\"statusCode\":9,\"decision\":\"APPROVED\"}", SYSTEM);
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.code()).isEqualTo("ILLEGAL_TRANSITION");
        assertThat(early.body().path("currentState").asText()).isEqualTo("SUBMITTED");
        assertThat(api.post(path, "{\"messageId\":\"u-2\",\"statusCode\":2}", SYSTEM).status()).isEqualTo(200);
        assertThat(api.post(path, "{\"messageId\":\"u-4\",\"statusCode\":4,\"unit\":\"A\"}", SYSTEM).status())
                .isEqualTo(200);
        assertThat(api.post(path, "{\"messageId\":\"u-9\",\"statusCode\":9,\"decision\":\"APPROVED\"}", SYSTEM)
                .version()).isEqualTo(3);
    }

    @Test
    void aMessageIdReusedForAnotherReportIsRefused() {
        Api api = app.api();
        String id = api.post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"), CITIZEN)
                .body().path("dossierId").asText();
        String path = "/api/v1/sync/dossiers/" + id + "/status";
        assertThat(api.post(path, "{\"messageId\":\"x-1\",\"statusCode\":2}", SYSTEM).status()).isEqualTo(200);
        long stored = mongo.eventCount();
        Answer reused = api.post(path, "{\"messageId\":\"x-1\",\"statusCode\":3,\"reasons\":[\"Thiếu\"]}", SYSTEM);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        Answer missing = api.post(path, "{\"messageId\":\"x-2\",\"statusCode\":5}", SYSTEM);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.fieldsAtFault()).contains("missingItems", "replyBy");
        Answer officer = api.post(path, "{\"messageId\":\"x-3\",\"statusCode\":4,\"unit\":\"A\"}", OFFICER);
        assertThat(officer.status()).isEqualTo(403);
        assertThat(mongo.eventCount()).isEqualTo(stored);
    }

    private static com.fasterxml.jackson.databind.JsonNode withoutSecret(com.fasterxml.jackson.databind.JsonNode body) {
        return ((com.fasterxml.jackson.databind.node.ObjectNode) body.deepCopy()).without("lookupSecret");
    }
}
