package vn.hoso.query.it;

import vn.hoso.command.it.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import vn.hoso.events.Actor;
import vn.hoso.events.ActorRole;
import vn.hoso.events.Applicant;
import vn.hoso.events.ApplicantKind;
import vn.hoso.events.Channel;
import vn.hoso.events.DocumentRef;
import vn.hoso.events.DossierStatus;
import vn.hoso.events.DossierSubmitted;
import vn.hoso.events.ProcessingStarted;
import vn.hoso.events.ProcessingStepCompleted;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One bad event parks one dossier, never the stream; operators see it, retry it after a fix; a completeness check
 * finds exactly the read-model entries removed by hand and repairs them; and the extreme values the command side
 * accepts flow through every projection.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLettersAndCompletenessIT {

    private static final String AGENCY = "000.00.01.H22";
    private static final String[] CITIZEN = TestIssuer.bearer("CITIZEN", "citizen-dl", null);
    private static final String[] OFFICER = TestIssuer.bearer("OFFICER", "officer-dl", AGENCY);
    private static final String[] OPERATOR = TestIssuer.bearer("OPERATOR", "operator-dl", null);
    private static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "inspector-dl", null);
    private static final Actor OFFICER_ACTOR = new Actor(ActorRole.OFFICER, "officer-dl", AGENCY);
    private static final String POISON_APPLICANT = "Công ty Độc Hại";

    /**
     * Parked dossiers retried on their own after 1 s, then 2, 4, 8 s (30 s, then doubling up to 1 h, by default); the
     * automatic completeness check runs when the query side starts, and then only an hour later.
     */
    private static final String[] ARGUMENTS = {"--hoso.dead-letters.retry-after=1s",
            "--hoso.dead-letters.retry-at-most=8s", "--hoso.completeness.every=1h"};
    private static Stack stack;
    private static final List<String> dossiers = new ArrayList<>();
    private static String poisoned;

    @BeforeAll
    static void start() throws Exception {
        // parked dossiers retried on their own after 1 s, then 2, 4, 8 s (30 s, then doubling up to 1 h, by default)
        stack = new Stack(false, ARGUMENTS);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    @Order(1)
    void aPoisonEventParksItsDossierAloneUntilAnOperatorRetriesItAfterTheFix() {
        EventStorageEngine engine = stack.commandSide.getBean(EventStorageEngine.class);
        poisoned = UUID.randomUUID().toString();
        // one append of 22 events, the poison in the middle: a unit name no command accepts (40,000 characters), which
        // Elasticsearch refuses as a keyword; written straight into the store, as only a forged event could be
        List<DomainEventMessage<?>> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(submitted(UUID.randomUUID().toString(), "Công ty " + i));
        }
        batch.add(submitted(poisoned, POISON_APPLICANT));
        batch.add(message(poisoned, 1, new ProcessingStarted(poisoned, "P".repeat(40_000), TestTime.CLOCK.instant(),
                OFFICER_ACTOR, DossierStatus.PROCESSING)));
        for (int i = 10; i < 20; i++) {
            batch.add(submitted(UUID.randomUUID().toString(), "Công ty " + i));
        }
        engine.appendEvents(batch);
        batch.forEach(event -> {
            if (!dossiers.contains(event.getAggregateIdentifier()) && !event.getAggregateIdentifier().equals(poisoned)) {
                dossiers.add(event.getAggregateIdentifier());
            }
        });
        for (int i = 0; i < 100; i++) {
            dossiers.add(submit("Hộ kinh doanh " + i));
        }
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(dossiers));
        // the timeline took it (MongoDB has no such limit); search parked the dossier, and parks what follows
        stack.assertTimelineMatchesTheStore(poisoned);
        engine.appendEvents(message(poisoned, 2, new ProcessingStepCompleted(poisoned, "Phòng một cửa", "Kiểm tra",
                null, TestTime.CLOCK.instant(), OFFICER_ACTOR, DossierStatus.PROCESSING)));
        // the dossier's events of the refused batch are parked (its submission too, when the same batch held it) and
        // so is every later one
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode listing = stack.queries().get("/api/v1/operator/dead-letters", OPERATOR).body();
            assertThat(types(listing)).isIn(List.of("ProcessingStarted#1", "ProcessingStepCompleted#2"),
                    List.of("DossierSubmitted#0", "ProcessingStarted#1", "ProcessingStepCompleted#2"));
        });
        // an automatic retry (1 s after the dossier was first seen parked) applies what it can, in order: the
        // submission, when it was parked with the poison, then the poison is refused again and stays parked with
        // what follows it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode letter = stack.queries().get("/api/v1/operator/dead-letters", OPERATOR).body().path("letters").get(0);
            assertThat(letter.path("automaticRetries").asInt()).as(letter.toString()).isPositive();
        });
        JsonNode listing = stack.queries().get("/api/v1/operator/dead-letters", OPERATOR).body();
        List<String> types = types(listing);
        assertThat(types).containsExactly("ProcessingStarted#1", "ProcessingStepCompleted#2");
        int parked = types.size();
        assertThat(listing.path("readModels").path("search-index").path("dossiers").asLong()).isEqualTo(1);
        assertThat(listing.path("readModels").path("timelines").path("events").asLong()).isZero();
        for (JsonNode letter : listing.path("letters")) {
            assertThat(letter.path("readModel").asText()).isEqualTo("search-index");
            assertThat(letter.path("dossierId").asText()).isEqualTo(poisoned);
            assertThat(letter.path("position").asLong()).isPositive();
        }
        assertThat(listing.path("letters").get(0).path("cause").asText()).contains("currentUnit");
        assertThat(listing.toString()).doesNotContain(POISON_APPLICANT).doesNotContain("PPPPPPPP");
        JsonNode searchDocument = new Http(stack.elasticsearch.url()).get("/" + stack.alias + "/_doc/" + poisoned).body();
        assertThat(searchDocument.path("_source").path("lastSequence").asLong(-1)).isEqualTo(0);
        JsonNode readiness = stack.queries().get("/actuator/health/readiness", OPERATOR).body();
        assertThat(readiness.path("status").asText()).isEqualTo("UP");
        assertThat(readiness.path("components").path("deadLetters").path("details").path("search-index")
                .path("events").asLong()).isEqualTo(parked);
        assertThat(stack.queries().getText("/actuator/prometheus", TestIssuer.operator()))
                .containsPattern("hoso_dead_letters\\{[^}]*readModel=\"search-index\"[^}]*} " + parked + ".0");
        // only operators
        assertThat(stack.queries().get("/api/v1/operator/dead-letters", INSPECTOR).status()).isEqualTo(403);

        // an operator's retry before the fix changes nothing, and neither do the automatic ones, which back off
        JsonNode early = stack.queries().post("/api/v1/operator/dead-letters/search-index/" + poisoned + "/retry", "{}",
                OPERATOR).body();
        assertThat(early.path("parked").asBoolean()).as(early.toString()).isTrue();
        assertThat(types(stack.queries().get("/api/v1/operator/dead-letters", OPERATOR).body()))
                .containsExactly("ProcessingStarted#1", "ProcessingStepCompleted#2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode letter = stack.queries().get("/api/v1/operator/dead-letters", OPERATOR).body().path("letters").get(0);
            assertThat(letter.path("automaticRetries").asInt()).as(letter.toString()).isGreaterThanOrEqualTo(2);
            assertThat(letter.path("nextAutomaticRetryAt").isTextual()).isTrue();
        });
        assertThat(stack.queries().getText("/actuator/prometheus", TestIssuer.operator())).containsPattern(
                "hoso_dead_letters_retries_total\\{[^}]*outcome=\"still-parked\"[^}]*readModel=\"search-index\"[^}]*} [1-9]");
        // the fix (the field no longer indexes terms that long) frees it with no operator: the next automatic retry
        assertThat(new Http(stack.elasticsearch.url()).put("/" + stack.alias + "/_mapping",
                "{\"properties\":{\"currentUnit\":{\"type\":\"keyword\",\"ignore_above\":1024}}}").status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(stack.queries().get("/api/v1/operator/dead-letters", OPERATOR).body().path("letters")).isEmpty());
        stack.assertReadModelsMatchTheStore(List.of(poisoned));
        // and its next event flows, on this instance's fresh view of what is parked
        engine.appendEvents(message(poisoned, 3, new ProcessingStepCompleted(poisoned, "Phòng một cửa", "Đối chiếu",
                null, TestTime.CLOCK.instant(), OFFICER_ACTOR, DossierStatus.PROCESSING)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(List.of(poisoned)));
        assertThat(stack.queries().get("/api/v1/operator/dead-letters", OPERATOR).body().path("letters")).isEmpty();
        dossiers.add(poisoned);
    }

    @Test
    @Order(2)
    void theCompletenessCheckFindsExactlyTheEntriesRemovedByHandAndRepairsThem() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(dossiers));
        // the tombstones stay for index.gc_deletes (60 s): a repair at the same version is written over them
        List<String> lostFromSearch = dossiers.subList(3, 10);
        List<String> lostTimelines = dossiers.subList(7, 12);
        for (String id : lostFromSearch) {
            loseSearchDocument(id);
        }
        stack.elasticsearchRefresh();
        for (String id : lostTimelines) {
            assertThat(stack.database().getCollection("timelines").deleteOne(new Document("_id", id))
                    .getDeletedCount()).isEqualTo(1);
        }

        JsonNode first = stack.queries().post("/api/v1/operator/completeness-checks", "", OPERATOR).body();
        assertThat(first.path("dossiers").asLong()).isEqualTo(stack.storedLastSequences().size());
        assertThat(first.path("readModels").path("search-index").path("missing").asLong()).as(first.toString())
                .isEqualTo(lostFromSearch.size());
        assertThat(first.path("readModels").path("search-index").path("repaired").asLong()).as(first.toString())
                .isEqualTo(lostFromSearch.size());
        assertThat(first.path("readModels").path("timelines").path("missing").asLong()).isEqualTo(lostTimelines.size());
        assertThat(first.path("readModels").path("timelines").path("repaired").asLong()).isEqualTo(lostTimelines.size());
        stack.elasticsearchRefresh();
        stack.assertReadModelsMatchTheStore(dossiers);

        JsonNode second = stack.queries().post("/api/v1/operator/completeness-checks", "", OPERATOR).body();
        assertThat(second.path("readModels").path("search-index").path("missing").asLong()).isZero();
        assertThat(second.path("readModels").path("timelines").path("missing").asLong()).isZero();
        // events are recorded on the command side's clock (the tests' fixed day), which "since" is about
        JsonNode recent = stack.queries().post("/api/v1/operator/completeness-checks?since="
                + TestTime.CLOCK.instant().minus(1, ChronoUnit.HOURS), "", OPERATOR).body();
        assertThat(recent.path("readModels").path("timelines").path("checked").asLong()).isPositive();
        assertThat(stack.queries().getText("/actuator/prometheus", TestIssuer.operator()))
                .containsPattern("hoso_completeness_missing\\{[^}]*readModel=\"timelines\"[^}]*} 0.0")
                .containsPattern("hoso_completeness_repaired_total\\{[^}]*readModel=\"timelines\"[^}]*} 5.0");
        assertThat(stack.queries().post("/api/v1/operator/completeness-checks", "", OFFICER).status()).isEqualTo(403);
    }

    @Test
    @Order(3)
    void theExtremeValuesTheCommandSideAcceptsFlowThroughEveryProjection() {
        Http commands = stack.commands();
        String owner = "owner-" + "x".repeat(94);
        String[] ownerHeaders = TestIssuer.bearer("CITIZEN", owner, null);
        Instant start = TestTime.CLOCK.instant().minus(Duration.ofDays(30)).plus(Duration.ofMinutes(10)); // at the allowed lateness
        String longText = "Đ".repeat(1000);
        String documents = documents(100, 300);
        Http.Answer submitted = commands.post("/api/v1/dossiers", """
                {"procedureCode":"2.000116","agencyCode":"%s","channel":"DESK","ownerId":"%s",
                 "applicant":{"kind":"BUSINESS","idNumber":"0100109106-001","fullName":"%s","phone":"%s",
                              "email":"%s","address":"%s"},
                 "documents":%s,"occurredAt":"%s"}
                """.formatted(AGENCY, owner, "Ư".repeat(200), "9".repeat(20), "e".repeat(200), "Ơ".repeat(500),
                documents, start), OFFICER);
        assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(201);
        String id = submitted.body().path("dossierId").asText();
        String base = "/api/v1/dossiers/" + id;
        List<String[]> steps = new ArrayList<>();
        steps.add(new String[]{"/receipt", "{\"dossierCode\":\"" + "C".repeat(60) + "\",\"occurredAt\":\"%s\"}"});
        steps.add(new String[]{"/supplement-requests", "{\"missingItems\":" + strings(50, 500)
                + ",\"replyBy\":\"2027-12-31\",\"reason\":\"" + longText + "\",\"occurredAt\":\"%s\"}"});
        steps.add(new String[]{"/supplements", "{\"documents\":" + documents + ",\"occurredAt\":\"%s\"}"});
        steps.add(new String[]{"/processing", "{\"unit\":\"" + "U".repeat(200) + "\",\"occurredAt\":\"%s\"}"});
        steps.add(new String[]{"/transfers", "{\"fromUnit\":\"" + "U".repeat(200) + "\",\"toUnit\":\"" + "V".repeat(200)
                + "\",\"note\":\"" + longText + "\",\"occurredAt\":\"%s\"}"});
        steps.add(new String[]{"/steps", "{\"unit\":\"" + "V".repeat(200) + "\",\"step\":\"" + "S".repeat(200)
                + "\",\"note\":\"" + longText + "\",\"occurredAt\":\"%s\"}"});
        StringBuilder items = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            items.append(i == 0 ? "" : ",").append("{\"code\":\"").append("F".repeat(48))
                    .append(String.format("%02d", i)).append("\",\"name\":\"").append("N".repeat(300))
                    .append("\",\"amount\":1000000000000}");
        }
        steps.add(new String[]{"/payment-requests", "{\"feeItems\":" + items + "],\"occurredAt\":\"%s\"}"});
        for (int i = 0; i < 20; i++) {
            steps.add(new String[]{"/payments", "{\"paymentReference\":\"" + "R".repeat(96) + String.format("%04d", i)
                    + "\",\"method\":\"AT_DESK\",\"amount\":1000000000000,\"occurredAt\":\"%s\"}"});
        }
        steps.add(new String[]{"/result", "{\"decision\":\"APPROVED\",\"documents\":" + documents(50, 300)
                + ",\"note\":\"" + "Đ".repeat(2000) + "\",\"occurredAt\":\"%s\"}"});
        steps.add(new String[]{"/result-return", "{\"channel\":\"POST\",\"occurredAt\":\"%s\"}"});
        Instant at = start;
        for (String[] step : steps) {
            at = at.plus(Duration.ofMinutes(30));
            Http.Answer answer = commands.post(base + step[0], step[1].formatted(at), OFFICER);
            assertThat(answer.status()).as(step[0] + ": " + answer.body()).isEqualTo(200);
        }
        Http.Answer rated = commands.post(base + "/rating", """
                {"level":"VERY_SATISFIED","comment":"%s","criteria":{"TOTAL_TIME_AGAINST_LIMIT":2,"TIME_AT_EACH_UNIT":2,
                "NUMBER_OF_CONTACTS":2,"NUMBER_OF_AGENCIES_CONTACTED":2,"HANDLED_AT_ONE_STOP_DESK":2,
                "PROCEDURE_PUBLISHED":2,"STAFF_ATTITUDE":2,"FEEDBACK_HANDLING":2,"ONLINE_SERVICE_QUALITY":2}}
                """.formatted("Đ".repeat(2000)), ownerHeaders);
        assertThat(rated.status()).as(rated.body().toString()).isEqualTo(200);
        dossiers.add(id);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(List.of(id)));
        JsonNode doc = new Http(stack.elasticsearch.url()).get("/" + stack.alias + "/_doc/" + id).body().path("_source");
        assertThat(doc.path("feesPaid").asLong()).isEqualTo(20_000_000_000_000L);
        assertThat(doc.path("ratingPoints").asInt()).isEqualTo(18);
        JsonNode timeline = stack.queries().get(base + "/timeline", INSPECTOR).body();
        assertThat(timeline.path("steps")).hasSize(steps.size() + 2);
        assertThat(stack.queries().get("/api/v1/reports/satisfaction?groupBy=agency", INSPECTOR).status()).isEqualTo(200);
    }

    private static String documents(int count, int nameLength) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append("T".repeat(nameLength))
                    .append("\",\"kind\":\"").append("K".repeat(100)).append("\",\"contentHash\":\"sha256:")
                    .append("ab".repeat(32)).append("\",\"sizeBytes\":1099511627776}");
        }
        return json.append("]").toString();
    }

    private static String strings(int count, int length) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("\"").append("M".repeat(length)).append("\"");
        }
        return json.append("]").toString();
    }

    /**
     * Entries lost after their events were projected (removed by hand here) are found by the automatic check that a
     * query side runs when it starts, over what was appended since the last run ended, and repaired with no operator;
     * the next run goes on from where that one ended.
     */
    @Test
    @Order(4)
    void theAutomaticCheckRepairsWhatWasLostSinceItsLastRunWithNoOperator() throws Exception {
        JsonNode before = stack.queries().get("/api/v1/operator/completeness-checks/last", OPERATOR).body();
        long checkedBefore = before.path("checkedUpToPosition").asLong();
        String lostTimeline = submit("Tự động 1");
        String lostDocument = submit("Tự động 2");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> stack.assertReadModelsMatchTheStore(List.of(lostTimeline, lostDocument)));
        assertThat(stack.database().getCollection("timelines").deleteOne(new Document("_id", lostTimeline))
                .getDeletedCount()).isEqualTo(1);
        loseSearchDocument(lostDocument);
        // a run checks up to what every processor has delivered (a segment without events of its own stores its
        // token with its next claim extension): until the stored tokens pass these positions, a query side started
        // now would leave them to its next run
        long appended = stack.querySide.getBean(PositionedMongoEventStorageEngine.class).lastAllocatedPosition();
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.storedDeliveredPosition() >= appended);

        stack.restartQuerySide(ARGUMENTS);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode last = stack.queries().get("/api/v1/operator/completeness-checks/last", OPERATOR).body();
            assertThat(last.path("lastRun").path("fromPosition").asLong()).as(last.toString())
                    .isEqualTo(checkedBefore + 1);
            assertThat(last.path("lastRun").path("readModels").path("timelines").path("repaired").asLong()).isEqualTo(1);
            assertThat(last.path("lastRun").path("readModels").path("search-index").path("repaired").asLong())
                    .isEqualTo(1);
        });
        stack.elasticsearchRefresh();
        stack.assertReadModelsMatchTheStore(dossiers);
        stack.assertReadModelsMatchTheStore(List.of(lostTimeline, lostDocument));
        JsonNode readiness = stack.queries().get("/actuator/health/readiness", OPERATOR).body();
        assertThat(readiness.path("status").asText()).isEqualTo("UP");
        long checkedUpTo = readiness.path("components").path("completeness").path("details")
                .path("checkedUpToPosition").asLong();
        assertThat(checkedUpTo).isGreaterThan(checkedBefore);

        // the next start goes on from there: nothing checked twice, nothing found
        stack.restartQuerySide(ARGUMENTS);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode last = stack.queries().get("/api/v1/operator/completeness-checks/last", OPERATOR).body();
            assertThat(last.path("lastRun").path("fromPosition").asLong()).as(last.toString()).isEqualTo(checkedUpTo + 1);
            assertThat(last.path("lastRun").path("readModels").path("timelines").path("missing").asLong()).isZero();
        });
        dossiers.add(lostTimeline);
        dossiers.add(lostDocument);
    }

    @Test
    @Order(5)
    void afterAllThatNothingIsParkedAndNoPositionWasGivenUp() {
        assertThat(stack.queries().get("/api/v1/operator/dead-letters", OPERATOR).body().path("letters")).isEmpty();
        stack.assertReadModelsEqualTheStore(stack.storedLastSequences().keySet());
        assertThat(stack.querySide.getBean(PositionedMongoEventStorageEngine.class).gapTimeouts()).isZero();
    }

    /**
     * Removes a dossier's search document as a lost one would be, leaving a tombstone at the document's own version
     * (a plain DELETE would leave one at the next version, and refuse the repair at the same version until
     * index.gc_deletes prunes it: a race with the check, not a loss it has to find).
     */
    private static void loseSearchDocument(String id) {
        Http elasticsearch = new Http(stack.elasticsearch.url());
        long version = elasticsearch.get("/" + stack.alias + "/_doc/" + id).body().path("_version").asLong();
        assertThat(elasticsearch.delete("/" + stack.alias + "/_doc/" + id + "?version=" + version
                + "&version_type=external_gte").status()).isEqualTo(200);
    }

    private static List<String> types(JsonNode listing) {
        List<String> types = new ArrayList<>();
        listing.path("letters").forEach(letter -> types.add(letter.path("eventType").asText() + "#"
                + letter.path("sequenceNumber").asLong()));
        return types;
    }

    private static String submit(String name) {
        Http.Answer submitted = stack.commands().post("/api/v1/dossiers", """
                {"procedureCode":"2.000116","agencyCode":"%s",
                 "applicant":{"kind":"BUSINESS","idNumber":"0100109106","fullName":"%s"},
                 "documents":[{"name":"Hồ sơ","kind":"FORM","contentHash":"sha256:%s","sizeBytes":1}]}
                """.formatted(AGENCY, name, "ab".repeat(32)), CITIZEN);
        assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(201);
        return submitted.body().path("dossierId").asText();
    }

    private static DomainEventMessage<?> submitted(String id, String name) {
        return message(id, 0, new DossierSubmitted(id, "2.000116", "Đăng ký khuyến mại", 1, AGENCY, "citizen-dl",
                new Applicant(ApplicantKind.BUSINESS, "0100109106", name, null, null, null), Channel.ONLINE,
                List.of(new DocumentRef("Hồ sơ", "FORM", "sha256:" + "ef".repeat(32), 1)), List.of(), TestTime.CLOCK.instant(),
                new Actor(ActorRole.CITIZEN, "citizen-dl", null), DossierStatus.SUBMITTED));
    }

    private static DomainEventMessage<?> message(String id, long sequence, Object payload) {
        return new GenericDomainEventMessage<>("Dossier", id, sequence, payload, MetaData.emptyInstance(),
                UUID.randomUUID().toString(), Instant.now());
    }
}
