package vn.hoso.query.it;

import vn.hoso.command.it.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.mongodb.client.model.Sorts;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;
import vn.hoso.events.Actor;
import vn.hoso.events.ActorRole;
import vn.hoso.events.DossierStatus;
import vn.hoso.events.ProcessingStepCompleted;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The query side end to end: dossiers generated through varied lifecycles over the command API, projected by the
 * real query side into a real Elasticsearch and the embedded MongoDB, and read back over HTTP. Every expected figure
 * is computed here from the generated data, with no production class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryEndToEndIT {

    private static final String[] AGENCIES = {"000.00.01.H22", "000.00.02.H22"};
    private static final String[] NAMES = {"Nguyễn Văn Dũng", "Trần Thị Hoà", "Lê Văn Đức", "Phạm Thị Lan",
            "Đặng Quốc Bảo", "Hoàng Minh Tuấn"};
    private static final String[] PROCEDURES = {"2.000116", "2.000038", "1.002804"};
    private static final List<String> LEVELS = List.of("VERY_SATISFIED", "SATISFIED", "DISSATISFIED");
    private static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "inspector-q", null);
    private static final int DOSSIERS = 28;

    /** What the test generated, and what it expects the read models to say about it. */
    record Generated(String id, String owner, String name, String idNumber, String procedure, String agency,
                     DossierStatus status, long version, String code, String ratingLevel, int steps) {
    }

    private static Stack stack;
    private static final List<Generated> generated = new ArrayList<>();

    @BeforeAll
    static void generate() throws Exception {
        stack = new Stack();
        Http commands = stack.commands();
        for (int i = 0; i < DOSSIERS; i++) {
            String owner = "citizen-q-" + (i % 4);
            String[] citizen = TestIssuer.bearer("CITIZEN", owner, null);
            String agency = AGENCIES[i % 2];
            String[] officer = TestIssuer.bearer("OFFICER", "officer-q", agency);
            String name = NAMES[i % NAMES.length];
            String idNumber = "001089" + String.format("%06d", i);
            String procedure = PROCEDURES[(i / 7) % PROCEDURES.length];
            int lifecycle = i % 7;
            Http.Answer submitted = commands.post("/api/v1/dossiers", """
                    {"procedureCode":"%s","agencyCode":"%s","applicant":{"kind":"CITIZEN","idNumber":"%s","fullName":"%s"},
                     "documents":[{"name":"Tờ khai","kind":"FORM","contentHash":"sha256:%s","sizeBytes":100}]}
                    """.formatted(procedure, agency, idNumber, name, "ab".repeat(32)), citizen);
            assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(201);
            String id = submitted.body().path("dossierId").asText();
            String base = "/api/v1/dossiers/" + id;
            List<Http.Answer> answers = new ArrayList<>();
            String level = null;
            DossierStatus status = DossierStatus.SUBMITTED;
            if (procedure.equals("1.002804") && lifecycle == 5) {
                answers.add(commands.post(base + "/payments",
                        "{\"paymentReference\":\"P-" + i + "\",\"method\":\"ONLINE\",\"amount\":115000}",
                        TestIssuer.bearer("PAYMENT_PLATFORM", "payment-platform", null)));
            }
            switch (lifecycle) {
                case 0 -> { }
                case 1 -> {
                    answers.add(commands.post(base + "/receipt", "{}", officer));
                    status = DossierStatus.RECEIVED;
                }
                case 2 -> {
                    answers.add(commands.post(base + "/receipt", "{}", officer));
                    answers.add(commands.post(base + "/processing", "{\"unit\":\"Phòng một cửa\"}", officer));
                    status = DossierStatus.PROCESSING;
                }
                case 3 -> {
                    answers.add(commands.post(base + "/intake-refusal", "{\"reasons\":[\"Thiếu tờ khai\"]}", officer));
                    status = DossierStatus.INTAKE_REFUSED;
                }
                case 4 -> {
                    answers.add(commands.post(base + "/withdrawal", "{\"reason\":\"Nộp nhầm\"}", citizen));
                    status = DossierStatus.WITHDRAWN;
                }
                case 5 -> {
                    level = LEVELS.get((i / 7) % LEVELS.size());
                    answers.add(commands.post(base + "/receipt", "{}", officer));
                    answers.add(commands.post(base + "/processing", "{\"unit\":\"Phòng chuyên môn\"}", officer));
                    answers.add(commands.post(base + "/result", "{\"decision\":\"APPROVED\",\"documents\":[]}", officer));
                    answers.add(commands.post(base + "/result-return", "{\"channel\":\"ONLINE\"}", officer));
                    answers.add(commands.post(base + "/rating", rating(level), citizen));
                    status = DossierStatus.RESULT_RETURNED;
                }
                case 6 -> {
                    answers.add(commands.post(base + "/receipt", "{}", officer));
                    answers.add(commands.post(base + "/supplement-requests",
                            "{\"missingItems\":[\"Ảnh 3x4\"],\"replyBy\":\"2027-01-10\"}", officer));
                    status = DossierStatus.SUPPLEMENT_REQUESTED;
                }
                default -> throw new IllegalStateException();
            }
            String code = null;
            for (Http.Answer answer : answers) {
                assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
                if (answer.body().hasNonNull("dossierCode")) {
                    code = answer.body().path("dossierCode").asText();
                }
            }
            generated.add(new Generated(id, owner, name, idNumber, procedure, agency, status, answers.size(), code,
                    level, answers.size() + 1));
        }
        awaitProjected();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    private static void awaitProjected() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode page = stack.queries().get("/api/v1/search/dossiers?size=200&sort=submittedAt&order=asc",
                    INSPECTOR).body();
            assertThat(page.path("total").asLong()).isEqualTo(DOSSIERS);
            Map<String, Long> versions = new LinkedHashMap<>();
            page.path("items").forEach(item -> versions.put(item.path("dossierId").asText(), item.path("version").asLong()));
            for (Generated g : generated) {
                assertThat(versions).containsEntry(g.id(), g.version());
            }
            for (Generated g : generated) {
                Document timeline = stack.database().getCollection("timelines").find(new Document("_id", g.id())).first();
                assertThat(timeline).isNotNull();
                assertThat(timeline.get("lastSequence", Number.class).longValue()).isEqualTo(g.version());
            }
        });
    }

    @Test
    @Order(1)
    void namesAreFoundWithAndWithoutDiacritics() {
        for (String query : List.of("nguyen van dung", "Nguyễn Văn Dũng", "NGUYEN VAN DUNG")) {
            assertThat(textSearchIds(query, INSPECTOR))
                    .containsExactlyInAnyOrderElementsOf(ids(g -> g.name().equals("Nguyễn Văn Dũng")));
        }
        assertThat(textSearchIds("dang quoc bao", INSPECTOR))
                .containsExactlyInAnyOrderElementsOf(ids(g -> g.name().equals("Đặng Quốc Bảo")));
        assertThat(textSearchIds("duc", INSPECTOR))
                .containsExactlyInAnyOrderElementsOf(ids(g -> g.name().equals("Lê Văn Đức")));
    }

    @Test
    @Order(1)
    void anApplicantIsFoundByIdNumberButTheIndexNeverHoldsIt() {
        Generated one = generated.get(9);
        Http.Answer byId = stack.queries().post("/api/v1/search/dossiers/by-applicant-id",
                "{\"applicantId\":\"" + one.idNumber() + "\",\"size\":200}", INSPECTOR);
        assertThat(byId.status()).isEqualTo(200);
        List<String> found = new ArrayList<>();
        byId.body().path("items").forEach(item -> found.add(item.path("dossierId").asText()));
        assertThat(found).containsExactly(one.id());
        JsonNode raw = stack.queries().get("/api/v1/search/dossiers?size=200", INSPECTOR).body();
        assertThat(raw.toString()).doesNotContain(one.idNumber());
        String index = new Http(stack.elasticsearch.url()).get("/" + stack.alias + "/_search?size=200").body().toString();
        for (Generated g : generated) {
            assertThat(index).doesNotContain(g.idNumber());
        }
    }

    @Test
    @Order(1)
    void facetsAndFiltersMatchTheGeneratedData() {
        JsonNode page = stack.queries().get("/api/v1/search/dossiers?size=1", INSPECTOR).body();
        Map<String, Long> expectedByStatus = generated.stream()
                .collect(Collectors.groupingBy(g -> g.status().name(), Collectors.counting()));
        Map<String, Long> byStatus = new LinkedHashMap<>();
        page.path("facets").path("status").fields().forEachRemaining(e -> byStatus.put(e.getKey(), e.getValue().asLong()));
        assertThat(byStatus).isEqualTo(expectedByStatus);
        Map<String, Long> expectedByProcedure = generated.stream()
                .collect(Collectors.groupingBy(Generated::procedure, Collectors.counting()));
        Map<String, Long> byProcedure = new LinkedHashMap<>();
        page.path("facets").path("procedureCode").fields()
                .forEachRemaining(e -> byProcedure.put(e.getKey(), e.getValue().asLong()));
        assertThat(byProcedure).isEqualTo(expectedByProcedure);

        assertThat(searchIds("status=4&status=5", INSPECTOR)).containsExactlyInAnyOrderElementsOf(ids(g ->
                g.status() == DossierStatus.PROCESSING || g.status() == DossierStatus.SUPPLEMENT_REQUESTED));
        assertThat(searchIds("open=true&procedure=2.000038", INSPECTOR)).containsExactlyInAnyOrderElementsOf(ids(g ->
                g.procedure().equals("2.000038") && !g.status().isFinal()));
    }

    @Test
    @Order(1)
    void officersSeeTheirOwnAgencyOnlyAndPagesAreStable() {
        String[] officerA = TestIssuer.bearer("OFFICER", "o", AGENCIES[0]);
        assertThat(searchIds("", officerA)).containsExactlyInAnyOrderElementsOf(ids(g -> g.agency().equals(AGENCIES[0])));
        assertThat(stack.queries().get("/api/v1/search/dossiers?agency=" + AGENCIES[1], officerA).status()).isEqualTo(403);
        String[] citizen = TestIssuer.bearer("CITIZEN", "citizen-q-1", null);
        assertThat(stack.queries().get("/api/v1/search/dossiers", citizen).status()).isEqualTo(403);

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = stack.queries().get("/api/v1/search/dossiers?size=5&sort=submittedAt&order=asc"
                    + (cursor == null ? "" : "&cursor=" + cursor), INSPECTOR).body();
            page.path("items").forEach(item -> paged.add(item.path("dossierId").asText()));
            cursor = page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode()
                    ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        assertThat(paged).containsExactlyElementsOf(generated.stream().map(Generated::id).toList());
    }

    @Test
    @Order(1)
    void theOfficerQueueListsOpenDossiersSoonestDueFirst() {
        String[] officerB = TestIssuer.bearer("OFFICER", "o", AGENCIES[1]);
        JsonNode queue = stack.queries().get("/api/v1/queue?size=200", officerB).body();
        List<String> ids = new ArrayList<>();
        List<String> dueDates = new ArrayList<>();
        queue.path("items").forEach(item -> {
            ids.add(item.path("dossierId").asText());
            dueDates.add(item.path("dueAt").isMissingNode() || item.path("dueAt").isNull() ? null : item.path("dueAt").asText());
        });
        assertThat(ids).containsExactlyInAnyOrderElementsOf(ids(g -> g.agency().equals(AGENCIES[1]) && !g.status().isFinal()));
        List<Instant> due = dueDates.stream().filter(java.util.Objects::nonNull).map(Instant::parse).toList();
        assertThat(due).isSorted();
        int firstWithout = dueDates.indexOf(null);
        if (firstWithout >= 0) {
            assertThat(dueDates.subList(firstWithout, dueDates.size())).containsOnlyNulls();
        }
        List<String> received = ids(g -> g.agency().equals(AGENCIES[1]) && !g.status().isFinal()
                && g.status() != DossierStatus.SUBMITTED);
        JsonNode within = stack.queries().get("/api/v1/queue?size=200&dueWithinWorkingDays=30", officerB).body();
        List<String> withinIds = new ArrayList<>();
        within.path("items").forEach(item -> withinIds.add(item.path("dossierId").asText()));
        assertThat(withinIds).containsExactlyInAnyOrderElementsOf(received);
        assertThat(stack.queries().get("/api/v1/queue?late=true", officerB).body().path("total").asLong()).isZero();
        assertThat(stack.queries().get("/api/v1/queue", INSPECTOR).status()).isEqualTo(403);
    }

    @Test
    @Order(1)
    void badQueriesGetProblemsNamingTheField() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("/api/v1/search/dossiers?sort=applicantName", "sort");
        bad.put("/api/v1/search/dossiers?order=sideways", "order");
        bad.put("/api/v1/search/dossiers?size=0", "size");
        bad.put("/api/v1/search/dossiers?size=abc", "size");
        bad.put("/api/v1/search/dossiers?status=11", "status");
        bad.put("/api/v1/search/dossiers?cursor=not-a-cursor", "cursor");
        bad.put("/api/v1/reports/satisfaction?groupBy=weekday", "groupBy");
        bad.put("/api/v1/reports/timeliness?format=xml", "format");
        bad.put("/api/v1/reports/timeliness?from=yesterday", "from");
        for (Map.Entry<String, String> entry : bad.entrySet()) {
            Http.Answer answer = stack.queries().get(entry.getKey(), INSPECTOR);
            assertThat(answer.status()).as(entry.getKey()).isEqualTo(400);
            assertThat(answer.body().path("code").asText()).isEqualTo("VALIDATION_FAILED");
            assertThat(answer.body().path("errors").get(0).path("field").asText()).as(entry.getKey())
                    .isEqualTo(entry.getValue());
        }
        assertThat(stack.queries().get("/api/v1/search/dossiers").body().path("code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(stack.queries().get("/api/v1/dossiers/unknown/timeline", INSPECTOR).body().path("code").asText())
                .isEqualTo("DOSSIER_NOT_FOUND");
    }

    @Test
    @Order(1)
    void citizensListTheirOwnDossiers() {
        String[] citizen = TestIssuer.bearer("CITIZEN", "citizen-q-2", null);
        JsonNode mine = stack.queries().get("/api/v1/my/dossiers?size=200", citizen).body();
        List<String> ids = new ArrayList<>();
        mine.path("items").forEach(item -> ids.add(item.path("dossierId").asText()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(ids(g -> g.owner().equals("citizen-q-2")));
    }

    @Test
    @Order(1)
    void timelinesTellTheHistoryByIdAndByCode() {
        Generated rated = generated.stream().filter(g -> g.status() == DossierStatus.RESULT_RETURNED).findFirst().orElseThrow();
        String[] owner = TestIssuer.bearer("CITIZEN", rated.owner(), null);
        JsonNode timeline = stack.queries().get("/api/v1/dossiers/" + rated.id() + "/timeline", owner).body();
        assertThat(timeline.path("steps")).hasSize(rated.steps());
        assertThat(timeline.path("statusCode").asInt()).isEqualTo(10);
        JsonNode steps = timeline.path("steps");
        assertThat(steps.get(0).path("labelVi").asText()).startsWith("Nộp hồ sơ");
        assertThat(steps.get(steps.size() - 1).path("labelEn").asText()).startsWith("Rated");
        assertThat(steps.get(steps.size() - 1).path("labelVi").asText()).contains("hài lòng");
        for (int i = 0; i < steps.size() - 1; i++) {
            assertThat(steps.get(i).path("workingMinutesInStage").isNumber()).as("step %d has its stage's time", i).isTrue();
            assertThat(steps.get(i).path("workingMinutesInStage").asLong()).isGreaterThanOrEqualTo(0);
        }
        assertThat(steps.get(steps.size() - 1).has("workingMinutesInStage")).as("the current stage is still open").isFalse();
        JsonNode byCode = stack.queries().get("/api/v1/dossier-codes/" + rated.code() + "/timeline", owner).body();
        assertThat(byCode).isEqualTo(timeline);
        String[] stranger = TestIssuer.bearer("CITIZEN", "someone-else", null);
        // for a stranger the dossier does not exist
        assertThat(stack.queries().get("/api/v1/dossiers/" + rated.id() + "/timeline", stranger).status()).isEqualTo(404);
        Generated paused = generated.stream().filter(g -> g.status() == DossierStatus.SUPPLEMENT_REQUESTED)
                .findFirst().orElseThrow();
        JsonNode pausedTimeline = stack.queries().get("/api/v1/dossiers/" + paused.id() + "/timeline", INSPECTOR).body();
        JsonNode last = pausedTimeline.path("steps").get(pausedTimeline.path("steps").size() - 1);
        assertThat(last.path("missingItems").get(0).asText()).isEqualTo("Ảnh 3x4");
        assertThat(last.path("dueAt").asText()).isNotBlank();
    }

    @Test
    @Order(1)
    void satisfactionPerAgencyMatchesTheRatingsGiven() {
        String[] analyst = TestIssuer.bearer("ANALYST", "analyst-q", null);
        JsonNode rows = stack.queries().get("/api/v1/reports/satisfaction?groupBy=agency", analyst).body().path("rows");
        Map<String, List<Generated>> rated = generated.stream().filter(g -> g.ratingLevel() != null)
                .collect(Collectors.groupingBy(Generated::agency));
        assertThat(rows).hasSize(rated.size());
        for (JsonNode row : rows) {
            List<Generated> expected = rated.get(row.path("group").asText());
            assertThat(row.path("ratings").asLong()).isEqualTo(expected.size());
            for (String level : LEVELS) {
                long count = expected.stream().filter(g -> level.equals(g.ratingLevel())).count();
                assertThat(row.path(level).asLong()).isEqualTo(count);
                assertThat(row.path(level + "_share").asDouble())
                        .isEqualTo(Math.round(1000.0 * count / expected.size()) / 10.0);
            }
            // every rating in this test gives 1 point for contacts and attitude, 2 for the other seven criteria
            assertThat(row.path("STAFF_ATTITUDE").asDouble()).isEqualTo(1.0);
            assertThat(row.path("ONLINE_SERVICE_QUALITY").asDouble()).isEqualTo(2.0);
            assertThat(row.path("averagePoints").asDouble()).isEqualTo(16.0);
        }
        String csv = stack.queries().getText("/api/v1/reports/satisfaction?groupBy=agency&format=csv", analyst);
        assertThat(csv.lines().count()).as("header, a line per agency, the total").isEqualTo(rated.size() + 2);
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("group,ratings,VERY_SATISFIED");
        long ratings = rated.values().stream().mapToLong(List::size).sum();
        assertThat(csv.lines().reduce((a, b) -> b).orElseThrow()).startsWith("TOTAL," + ratings + ",");
        String[] officer = TestIssuer.bearer("OFFICER", "o", AGENCIES[0]);
        assertThat(stack.queries().get("/api/v1/reports/satisfaction", officer).status()).isEqualTo(403);
    }

    @Test
    @Order(1)
    void timelinessPerProcedureMatchesTheGeneratedData() {
        String[] analyst = TestIssuer.bearer("ANALYST", "analyst-q", null);
        JsonNode rows = stack.queries().get("/api/v1/reports/timeliness?groupBy=procedure", analyst).body().path("rows");
        Map<String, List<Generated>> byProcedure = generated.stream().collect(Collectors.groupingBy(Generated::procedure));
        assertThat(rows).hasSize(byProcedure.size());
        for (JsonNode row : rows) {
            List<Generated> expected = byProcedure.get(row.path("group").asText());
            long issued = expected.stream().filter(g -> g.ratingLevel() != null).count();
            assertThat(row.path("dossiers").asLong()).isEqualTo(expected.size());
            assertThat(row.path("resultsIssued").asLong()).isEqualTo(issued);
            // results were issued minutes after receipt, well within every statutory time
            assertThat(row.path("onTime").asLong()).isEqualTo(issued);
            assertThat(row.path("late").asLong()).isZero();
            assertThat(row.path("onlineSubmissionRate").asDouble()).isEqualTo(100.0);
            if (issued > 0) {
                // receipt and result came seconds apart: well under a tenth of a working hour
                assertThat(row.path("averageWorkingHoursToResult").asDouble(-1)).isBetween(0.0, 0.1);
            }
            long paid = expected.stream().filter(g -> g.procedure().equals("1.002804") && g.ratingLevel() != null).count();
            assertThat(row.path("dossiersWithPayments").asLong()).isEqualTo(paid);
            assertThat(row.path("paidOnline").asLong()).isEqualTo(paid);
        }
        JsonNode byMonth = stack.queries().get("/api/v1/reports/timeliness?groupBy=month", analyst).body().path("rows");
        assertThat(byMonth).hasSize(1);
        assertThat(byMonth.get(0).path("dossiers").asLong()).isEqualTo(DOSSIERS);
    }

    @Test
    @Order(2)
    void aClientReadsItsOwnWrite() {
        Generated processing = generated.stream().filter(g -> g.status() == DossierStatus.PROCESSING).findFirst().orElseThrow();
        String[] officer = TestIssuer.bearer("OFFICER", "officer-q", processing.agency());
        Http.Answer step = stack.commands().post("/api/v1/dossiers/" + processing.id() + "/steps",
                "{\"unit\":\"Phòng chuyên môn\",\"step\":\"Thẩm định\"}", officer);
        long version = step.body().path("version").asLong();
        JsonNode timeline = stack.queries().get("/api/v1/dossiers/" + processing.id() + "/timeline?minVersion=" + version,
                officer).body();
        assertThat(timeline.path("lastSequence").asLong()).isEqualTo(version);
        Http.Answer tooEarly = stack.queries().get("/api/v1/dossiers/" + processing.id() + "/timeline?minVersion="
                + (version + 5), officer);
        assertThat(tooEarly.status()).isEqualTo(503);
        assertThat(tooEarly.body().path("code").asText()).isEqualTo("READ_MODEL_BEHIND");
        generated.set(generated.indexOf(processing), new Generated(processing.id(), processing.owner(), processing.name(),
                processing.idNumber(), processing.procedure(), processing.agency(), processing.status(), version,
                processing.code(), null, processing.steps() + 1));
    }

    @Test
    @Order(3)
    void aReplayRebuildsTheSameReadModelsAndARedeliveredBatchChangesNothing() {
        awaitProjected();
        List<String> searchBefore = searchDump();
        List<String> timelinesBefore = timelineDump();

        EventProcessingConfiguration processing = stack.querySide.getBean(EventProcessingConfiguration.class);
        for (String group : List.of("search-index", "timelines")) {
            StreamingEventProcessor processor = processing.eventProcessor(group, StreamingEventProcessor.class).orElseThrow();
            processor.shutDown();
            processor.resetTokens();
            processor.start();
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(searchDump()).isEqualTo(searchBefore);
            assertThat(timelineDump()).isEqualTo(timelinesBefore);
        });

        // redeliver everything after the middle of the stream, without a reset: nothing may change
        TokenStore tokens = stack.querySide.getBean(TokenStore.class);
        EventStore events = stack.querySide.getBean(EventStore.class);
        TrackingToken middle = events.createTailToken();
        StreamingEventProcessor search = processing.eventProcessor("search-index", StreamingEventProcessor.class).orElseThrow();
        search.shutDown();
        for (int segment : tokens.fetchSegments("search-index")) {
            tokens.storeToken(middle, "search-index", segment);
            tokens.releaseClaim("search-index", segment);
        }
        search.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> search.processingStatus().values().stream()
                .allMatch(status -> status.isCaughtUp()));
        stack.elasticsearchRefresh();
        assertThat(searchDump()).isEqualTo(searchBefore);
        stack.assertReadModelsEqualTheStore(generated.stream().map(Generated::id).toList());
    }

    @Test
    @Order(4)
    void anEventStampedLongBeforeItIsCommittedIsDeliveredInOrderWithoutRepair() {
        Generated victim = generated.stream().filter(g -> g.status() == DossierStatus.RECEIVED).findFirst().orElseThrow();
        MeterRegistry meters = stack.querySide.getBean(MeterRegistry.class);
        double searchRepairs = repairs(meters, "search-index");
        double timelineRepairs = repairs(meters, "timelines");
        EventStorageEngine engine = stack.commandSide.getBean(EventStorageEngine.class);
        Actor officer = new Actor(ActorRole.OFFICER, "officer-q", victim.agency());
        long late = victim.version() + 1;
        long next = victim.version() + 2;
        // committed now, but stamped a minute ago: a timestamp-based tracking token would have skipped it
        engine.appendEvents(new GenericDomainEventMessage<>("Dossier", victim.id(), late,
                new ProcessingStepCompleted(victim.id(), "Phòng một cửa", "Kiểm tra", null, TestTime.CLOCK.instant(), officer,
                        DossierStatus.RECEIVED), MetaData.emptyInstance(), UUID.randomUUID().toString(),
                Instant.now().minusSeconds(60)));
        engine.appendEvents(new GenericDomainEventMessage<>("Dossier", victim.id(), next,
                new ProcessingStepCompleted(victim.id(), "Phòng một cửa", "Đối chiếu", null, TestTime.CLOCK.instant(), officer,
                        DossierStatus.RECEIVED)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode timeline = stack.queries().get("/api/v1/dossiers/" + victim.id() + "/timeline", INSPECTOR).body();
            assertThat(timeline.path("lastSequence").asLong()).isEqualTo(next);
            List<String> labels = new ArrayList<>();
            timeline.path("steps").forEach(s -> labels.add(s.path("labelEn").asText()));
            assertThat(labels).contains("Step completed: Kiểm tra", "Step completed: Đối chiếu");
            JsonNode doc = new Http(stack.elasticsearch.url()).get("/" + stack.alias + "/_doc/" + victim.id()).body();
            assertThat(doc.path("_source").path("lastSequence").asLong()).isEqualTo(next);
        });
        // delivered by its position, in order: nothing had to be read back from the store
        assertThat(repairs(meters, "search-index")).isEqualTo(searchRepairs);
        assertThat(repairs(meters, "timelines")).isEqualTo(timelineRepairs);
    }

    @Test
    @Order(5)
    void operatorsSeeHealthLagRepairsAndTheApi() {
        JsonNode anonymous = stack.queries().get("/actuator/health/readiness").body();
        assertThat(anonymous.path("status").asText()).isEqualTo("UP");
        assertThat(anonymous.has("components")).as("status only, without a token").isFalse();
        JsonNode readiness = stack.queries().get("/actuator/health/readiness", TestIssuer.operator()).body();
        assertThat(readiness.path("components").path("mongo").path("status").asText()).isEqualTo("UP");
        assertThat(readiness.path("components").path("elasticsearch").path("status").asText()).isEqualTo("UP");
        String metrics = stack.queries().getText("/actuator/prometheus", TestIssuer.operator());
        assertThat(metrics).contains("hoso_events_gap_timeouts_total{").contains("hoso_events_position_allocated{")
                .contains("eventProcessor_latency").contains("processorName=\"search-index\"")
                .contains("processorName=\"timelines\"");
        assertThat(stack.querySide.getBean(PositionedMongoEventStorageEngine.class).gapTimeouts())
                .as("positions given up after the gap timeout").isZero();
        JsonNode api = stack.queries().get("/v3/api-docs").body();
        assertThat(api.path("paths").has("/api/v1/queue")).isTrue();
        assertThat(api.path("paths").has("/api/v1/reports/timeliness")).isTrue();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static double repairs(MeterRegistry meters, String readModel) {
        var counter = meters.find("hoso.projection.repairs").tag("readModel", readModel).counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<String> ids(Predicate<Generated> filter) {
        return generated.stream().filter(filter).map(Generated::id).toList();
    }

    /** A search by name: the text goes in the body, never in the URL. */
    private static List<String> textSearchIds(String text, String[] caller) {
        Http.Answer answer = stack.queries().post("/api/v1/search/dossiers", "{\"q\":\"" + text + "\",\"size\":200}",
                caller);
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.body().path("items").forEach(item -> ids.add(item.path("dossierId").asText()));
        return ids;
    }

    private static List<String> searchIds(String query, String[] caller) {
        JsonNode page = stack.queries().get("/api/v1/search/dossiers?size=200&" + query, caller).body();
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("dossierId").asText()));
        return ids;
    }

    private static List<String> searchDump() {
        JsonNode hits = new Http(stack.elasticsearch.url()).get("/" + stack.alias
                + "/_search?size=1000&sort=dossierId:asc&seq_no_primary_term=false").body().path("hits").path("hits");
        List<String> docs = new ArrayList<>();
        hits.forEach(hit -> docs.add(hit.path("_source").toString()));
        return docs;
    }

    /** Every timeline as JSON with its fields in a fixed order: MongoDB keeps fields in the order writes left them. */
    private static List<String> timelineDump() {
        List<String> docs = new ArrayList<>();
        ObjectMapper sorted = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        stack.database().getCollection("timelines").find().sort(Sorts.ascending("_id")).forEach(d -> {
            try {
                docs.add(sorted.writeValueAsString(sorted.readValue(d.toJson(), java.util.Map.class)));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return docs;
    }

    private static String rating(String level) {
        return """
                {"level":"%s","criteria":{"TOTAL_TIME_AGAINST_LIMIT":2,"TIME_AT_EACH_UNIT":2,"NUMBER_OF_CONTACTS":1,
                "NUMBER_OF_AGENCIES_CONTACTED":2,"HANDLED_AT_ONE_STOP_DESK":2,"PROCEDURE_PUBLISHED":2,"STAFF_ATTITUDE":1,
                "FEEDBACK_HANDLING":2,"ONLINE_SERVICE_QUALITY":2}}""".formatted(level);
    }
}
