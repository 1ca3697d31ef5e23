package vn.hoso.command.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.Api.Answer;

import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.*;

/** One dossier through its whole life over HTTP, then the command side (and the embedded MongoDB) restarted. */
class DossierLifecycleIT {

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
    void aDossierLivesFromSubmissionToRatingAndSurvivesARestart() {
        String id;
        String code;
        try (CommandSide app = CommandSide.start(mongo)) {
            Api api = app.api();

            Answer submitted = api.post("/api/v1/dossiers", submitBody("1.002804", "CITIZEN", "001089012345"), CITIZEN);
            assertThat(submitted.status()).isEqualTo(201);
            assertThat(submitted.version()).isZero();
            assertThat(submitted.etag()).isEqualTo("\"0\"");
            id = submitted.body().path("dossierId").asText();
            assertThat(submitted.raw().headers().firstValue("Location")).hasValue("/api/v1/dossiers/" + id);

            String base = "/api/v1/dossiers/" + id;
            expectTakenBlind(api.post(base + "/payments",
                    "{\"paymentReference\":\"VNPAY-1\",\"method\":\"ONLINE\",\"amount\":115000}", PAYMENT_PLATFORM));
            Answer received = api.post(base + "/receipt", "{}", OFFICER);
            expectVersion(received, 2);
            code = received.body().path("dossierCode").asText();
            assertThat(code).matches("000\\.00\\.01\\.H22-\\d{6}-\\d{4}");
            expectVersion(api.post(base + "/supplement-requests",
                    "{\"missingItems\":[\"Giấy khám sức khỏe\"],\"replyBy\":\"2027-01-15\",\"reason\":\"Thiếu giấy tờ\"}",
                    with(OFFICER, "If-Match", "\"2\"")), 3);
            expectVersion(api.post(base + "/supplements", """
                    {"documents":[{"name":"Giấy khám sức khỏe","kind":"HEALTH","contentHash":"sha256:%s","sizeBytes":99}]}
                    """.formatted("cd".repeat(32)), CITIZEN), 4);
            expectVersion(api.post(base + "/processing", "{\"unit\":\"Phòng Quản lý phương tiện\"}", OFFICER), 5);
            // a second receipt is refused by the dossier, and no dossier code is reserved (and released) for it
            long codesBefore = mongo.db().getCollection("dossier_codes").countDocuments();
            org.bson.Document sequencesBefore = mongo.db().getCollection("dossier_code_sequences").find().first();
            Answer again = api.post(base + "/receipt", "{}", OFFICER);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body().path("code").asText()).isEqualTo("ILLEGAL_TRANSITION");
            assertThat(mongo.db().getCollection("dossier_codes").countDocuments()).isEqualTo(codesBefore);
            assertThat(mongo.db().getCollection("dossier_code_sequences").find().first()).isEqualTo(sequencesBefore);
            expectVersion(api.post(base + "/transfers",
                    "{\"fromUnit\":\"Phòng Quản lý phương tiện\",\"toUnit\":\"Lãnh đạo Sở\"}", OFFICER), 6);
            expectVersion(api.post(base + "/steps", "{\"unit\":\"Lãnh đạo Sở\",\"step\":\"Phê duyệt\"}", OFFICER), 7);
            expectVersion(api.post(base + "/payment-requests",
                    "{\"feeItems\":[{\"code\":\"PHI-IN\",\"name\":\"Phí in thẻ\",\"amount\":50000}]}", OFFICER), 8);
            expectVersion(api.post(base + "/payments",
                    "{\"paymentReference\":\"QUAY-7\",\"method\":\"AT_DESK\",\"amount\":50000}", OFFICER), 9);

            JsonNode clock = lastClock(api, id);
            Instant later = Instant.parse(clock.path("dueAt").asText()).plusSeconds(7 * 24 * 3600);
            expectVersion(api.post(base + "/deadline-extensions",
                    "{\"reason\":\"Cần xác minh\",\"newDueAt\":\"" + later + "\"}", OFFICER), 10);
            JsonNode extended = lastClock(api, id);
            assertThat(extended.path("dueAt").asText()).isEqualTo(later.toString());
            assertThat(extended.path("statutoryDueAt").asText()).isEqualTo(clock.path("statutoryDueAt").asText());

            expectVersion(api.post(base + "/result", "{\"decision\":\"APPROVED\",\"documents\":[]}", OFFICER), 11);
            expectVersion(api.post(base + "/result-return", "{\"channel\":\"ONLINE\"}", OFFICER), 12);
            expectVersion(api.post(base + "/rating", ratingBody(), CITIZEN), 13);

            // the same payment reference again is one payment: taken, nothing appended
            expectTakenBlind(api.post(base + "/payments",
                    "{\"paymentReference\":\"VNPAY-1\",\"method\":\"ONLINE\",\"amount\":115000}", PAYMENT_PLATFORM));

            assertThat(mongo.eventTypes(id)).containsExactly("DossierSubmitted", "FeePaid", "DossierReceived",
                    "SupplementRequested", "DossierSupplemented", "ProcessingStarted", "DossierTransferred",
                    "ProcessingStepCompleted", "PaymentRequested", "FeePaid", "DeadlineExtended", "ResultIssued",
                    "ResultReturned", "DossierRated");
            assertThat(mongo.sequenceNumbers(id)).containsExactlyElementsOf(LongStream.rangeClosed(0, 13).boxed().toList());
        }

        mongo.restartEmbedded();

        try (CommandSide app = CommandSide.start(mongo)) {
            Api api = app.api();
            String base = "/api/v1/dossiers/" + id;
            Answer history = api.get(base + "/events", INSPECTOR);
            assertThat(history.status()).isEqualTo(200);
            assertThat(history.body().path("version").asLong()).isEqualTo(13);
            assertThat(history.body().path("events")).hasSize(14);
            assertThat(history.body().path("events").get(2).path("payload").path("dossierCode").asText()).isEqualTo(code);
            for (JsonNode event : history.body().path("events")) {
                // recorded on the command side's clock (the tests' fixed day), the clock reported times are taken on
                Instant recorded = Instant.parse(event.path("recordedAt").asText());
                assertThat(recorded).isBetween(TestTime.START, TestTime.CLOCK.instant());
                // every event in revision 2, a receipt in 3 (it keeps its lookup secret's digest)
                String current = event.path("type").asText().equals("DossierReceived") ? "3" : "2";
                assertThat(event.path("revision").asText()).isEqualTo(current);
                assertThat(event.path("storedRevision").asText()).isEqualTo(current);
            }
            assertThat(history.body().path("events").get(3).path("payload").path("workingMinutesInStage").isNumber())
                    .as("the working time of a stage, in the payload").isTrue();

            // the reloaded dossier still knows it was rated
            Answer again = api.post(base + "/rating", ratingBody(), CITIZEN);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.code()).isEqualTo("ALREADY_RATED");
            assertThat(again.body().path("currentState").asText()).isEqualTo("RESULT_RETURNED");

            // and dossier codes keep counting where they were
            Answer next = api.post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"), CITIZEN);
            Answer nextReceived = api.post("/api/v1/dossiers/" + next.body().path("dossierId").asText() + "/receipt",
                    "{}", OFFICER);
            assertThat(nextReceived.status()).isEqualTo(200);
            String nextCode = nextReceived.body().path("dossierCode").asText();
            assertThat(nextCode).isNotEqualTo(code);
            if (nextCode.substring(0, nextCode.lastIndexOf('-')).equals(code.substring(0, code.lastIndexOf('-')))) {
                assertThat(Integer.parseInt(nextCode.substring(nextCode.lastIndexOf('-') + 1)))
                        .isEqualTo(Integer.parseInt(code.substring(code.lastIndexOf('-') + 1)) + 1);
            }
        }
        assertThat(mongo.eventTypes(id)).hasSize(14);
    }

    /** The payment platform does not see the dossier: its payment is taken, with no version and no ETag. */
    /**
     * Events stored in revision 1 (the golden corpus's documents, as a store written before revision 2 holds them) are
     * shown by the raw history upcast, with the revision they were stored in; the stored documents stay as they were.
     */
    @Test
    void theRawHistoryShowsStoredRevisionOneEventsUpcastAndSaysSo() throws Exception {
        var events = mongo.db().getCollection("events");
        java.util.List<org.bson.Document> stored = new java.util.ArrayList<>();
        for (String type : List.of("DossierSubmitted", "DossierReceived")) {
            org.bson.Document document = org.bson.Document.parse(java.nio.file.Files.readString(java.nio.file.Path.of(
                    "../shared-events/src/test/resources/golden/" + type + "-r1.json")));
            document.put("_id", 900_000L + document.getLong("sequenceNumber")); // free positions of this store
            stored.add(document);
        }
        // the corpus's received event is its dossier's sequence 1
        stored.get(1).put("sequenceNumber", 1L);
        String dossier = stored.get(0).getString("aggregateIdentifier");
        events.insertMany(stored);
        try (CommandSide app = CommandSide.start(mongo)) {
            Answer history = app.api().get("/api/v1/dossiers/" + dossier + "/events", INSPECTOR);
            assertThat(history.status()).as(history.body().toString()).isEqualTo(200);
            JsonNode received = history.body().path("events").get(1);
            assertThat(received.path("type").asText()).isEqualTo("DossierReceived");
            assertThat(received.path("storedRevision").asText()).isEqualTo("1");
            assertThat(received.path("revision").asText()).isEqualTo("3");
            assertThat(received.path("payload").path("lookupDigest").isTextual()).as("no secret was given then").isFalse();
            assertThat(received.path("payload").path("workingMinutesInStage").asLong()).isEqualTo(60);
            assertThat(received.path("payload").path("dossierCode").asText()).isEqualTo("000.00.01.H22-260302-0001");
        }
        assertThat(events.find(new org.bson.Document("_id", stored.get(1).get("_id"))).first())
                .as("the stored document is never rewritten").isEqualTo(stored.get(1));
    }

    private static void expectTakenBlind(Answer answer) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.body().has("version")).isFalse();
        assertThat(answer.etag()).isNull();
    }

    private static void expectVersion(Answer answer, long version) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.version()).isEqualTo(version);
        assertThat(answer.etag()).isEqualTo("\"" + version + "\"");
    }

    private static JsonNode lastClock(Api api, String id) {
        JsonNode events = api.get("/api/v1/dossiers/" + id + "/events", OFFICER).body().path("events");
        JsonNode clock = null;
        for (JsonNode event : events) {
            if (event.path("payload").has("clock") && !event.path("payload").path("clock").isNull()) {
                clock = event.path("payload").path("clock");
            }
        }
        assertThat(clock).isNotNull();
        return clock;
    }

    static String ratingBody() {
        List<String> criteria = List.of("TOTAL_TIME_AGAINST_LIMIT", "TIME_AT_EACH_UNIT", "NUMBER_OF_CONTACTS",
                "NUMBER_OF_AGENCIES_CONTACTED", "HANDLED_AT_ONE_STOP_DESK", "PROCEDURE_PUBLISHED", "STAFF_ATTITUDE",
                "FEEDBACK_HANDLING", "ONLINE_SERVICE_QUALITY");
        StringBuilder json = new StringBuilder("{\"level\":\"VERY_SATISFIED\",\"criteria\":{");
        for (int i = 0; i < criteria.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(criteria.get(i)).append("\":2");
        }
        return json.append("}}").toString();
    }
}
