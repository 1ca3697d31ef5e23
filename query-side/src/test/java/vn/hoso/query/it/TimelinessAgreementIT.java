package vn.hoso.query.it;

import vn.hoso.command.it.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One definition of late (DOMAIN.md, time rules): generated dossiers (each kind of history repeated a seeded random
 * number of times) that are late, on time, paused, paused over a weekend and over Tết, extended, backdated by an
 * officer within the allowed lateness, with results on time and late, walked through the real command API on a
 * test clock; then, at one fixed instant, the search {@code late} filter, the officer queue, the search items, the
 * timelines and the timeliness report must all agree with what this test expects from what it generated. The
 * expectations are worked out here by hand (comments), never by a production class.
 */
class TimelinessAgreementIT {

    private static final ZoneId HANOI = ZoneId.of("Asia/Ho_Chi_Minh");
    /** The fixed "now" of every query: Friday 2026-03-20 10:00 in Hanoi. */
    private static final Instant NOW = hanoi("2026-03-20T10:00");
    private static final long SEED = 20260320L;
    private static final String AGENCY = "000.00.01.H22";
    private static final String[] CITIZEN = TestIssuer.bearer("CITIZEN", "citizen-time", null);
    private static final String[] OFFICER = TestIssuer.bearer("OFFICER", "officer-time", AGENCY);
    private static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "inspector-time", null);
    private static final String[] ANALYST = TestIssuer.bearer("ANALYST", "analyst-time", null);

    private static final MovableClock commandClock = new MovableClock(hanoi("2026-02-01T08:00"));
    private static Stack stack;

    /** A clock the test moves forward, as time passes for the command side. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static Instant hanoi(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(HANOI).toInstant();
    }

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack(commandClock, Clock.fixed(NOW, ZoneId.of("UTC")), false);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /**
     * A kind of history: its steps (local Hanoi time, what happens), and what this test expects of it at {@link #NOW}.
     *
     * @param lateNow        in a state that can be late (received, not paused, no result) and past its statutory date
     * @param issued         a result was issued
     * @param onTime         the result was issued by the statutory due date
     * @param statutoryDueAt the statutory due date worked out by hand, where the history moves it (else null)
     */
    record Kind(String name, List<Step> steps, boolean lateNow, boolean issued, boolean onTime, Instant statutoryDueAt) {
    }

    record Step(Instant at, Consumer<Dossier> action) {
    }

    /** One generated dossier: its id once submitted. */
    static final class Dossier {
        final Kind kind;
        final int number;
        String id;

        Dossier(Kind kind, int number) {
            this.kind = kind;
            this.number = number;
        }
    }

    private static Step at(String local, Consumer<Dossier> action) {
        return new Step(hanoi(local), action);
    }

    private static Consumer<Dossier> submit() {
        return d -> {
            Http.Answer answer = stack.commands().post("/api/v1/dossiers", """
                    {"procedureCode":"2.000116","agencyCode":"%s",
                     "applicant":{"kind":"BUSINESS","idNumber":"0100109106","fullName":"Công ty %s %d"},
                     "documents":[{"name":"Hồ sơ","kind":"FORM","contentHash":"sha256:%s","sizeBytes":1}]}
                    """.formatted(AGENCY, d.kind.name(), d.number, "ef".repeat(32)), CITIZEN);
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
            d.id = answer.body().path("dossierId").asText();
        };
    }

    private static Consumer<Dossier> officer(String path, String body) {
        return d -> {
            Http.Answer answer = stack.commands().post("/api/v1/dossiers/" + d.id + path, body, OFFICER);
            assertThat(answer.status()).as(path + " " + answer.body()).isEqualTo(200);
        };
    }

    private static Consumer<Dossier> citizenSupplement() {
        return d -> {
            Http.Answer answer = stack.commands().post("/api/v1/dossiers/" + d.id + "/supplements", """
                    {"documents":[{"name":"Ảnh","kind":"PHOTO","contentHash":"sha256:%s","sizeBytes":1}]}
                    """.formatted("12".repeat(32)), CITIZEN);
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        };
    }

    private static final String PROCESSING = "{\"unit\":\"Phòng một cửa\"}";
    private static final String SUPPLEMENT_REQUEST = "{\"missingItems\":[\"Ảnh\"],\"replyBy\":\"2026-03-31\"}";
    private static final String RESULT = "{\"decision\":\"APPROVED\",\"documents\":[]}";

    /** The kinds of history; 5 working days for procedure 2.000116; working hours 07:30-11:30, 13:00-17:00. */
    private static List<Kind> kinds() {
        return List.of(
                // received Mon 2 Mar 09:00: due Mon 9 Mar 17:00 (Tue 3 .. Mon 9); still processing on Fri 20
                new Kind("late-open", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-02T10:00", officer("/processing", PROCESSING))), true, false, false, null),
                // received Thu 19 Mar: due Thu 26 Mar
                new Kind("on-time-open", List.of(at("2026-03-19T08:00", submit()),
                        at("2026-03-19T09:00", officer("/receipt", "{}"))), false, false, false, null),
                // due Mon 9 Mar, but paused for the applicant since Wed 4 Mar: the applicant's silence is not late
                new Kind("paused", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-04T10:00", officer("/supplement-requests", SUPPLEMENT_REQUEST))),
                        false, false, false, null),
                // received Thu 12: due Thu 19 17:00; paused Fri 13 17:30 .. Mon 16 07:00 holds no working time, so the
                // due date stays Thu 19, and on Fri 20 it is late
                new Kind("weekend-pause-late", List.of(at("2026-03-12T08:00", submit()),
                        at("2026-03-12T09:00", officer("/receipt", "{}")),
                        at("2026-03-13T17:30", officer("/supplement-requests", SUPPLEMENT_REQUEST)),
                        at("2026-03-16T07:00", citizenSupplement())), true, false, false, hanoi("2026-03-19T17:00")),
                // received Thu 12 (due Thu 19 17:00); paused Mon 16 08:00 .. Wed 18 08:00: 31.5 h were left (Mon 7.5,
                // Tue-Thu 24), which from Wed 08:00 run out Mon 23 at 17:00 (Wed 7.5, Thu 8, Fri 8, Mon 8)
                new Kind("working-pause-on-time", List.of(at("2026-03-12T08:00", submit()),
                        at("2026-03-12T09:00", officer("/receipt", "{}")),
                        at("2026-03-16T08:00", officer("/supplement-requests", SUPPLEMENT_REQUEST)),
                        at("2026-03-18T08:00", citizenSupplement())), false, false, false, hanoi("2026-03-23T17:00")),
                // statutory due Mon 9 Mar; extended to Mon 30: an extension never makes it on time, so late now
                new Kind("extended-late", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-02T10:00", officer("/processing", PROCESSING)),
                        at("2026-03-06T10:00", officer("/deadline-extensions",
                                "{\"reason\":\"Cần xác minh\",\"newDueAt\":\"" + hanoi("2026-03-30T17:00") + "\"}"))),
                        true, false, false, hanoi("2026-03-09T17:00")),
                // due Mon 9; result Fri 6: on time, not collected yet: neither late now nor late
                new Kind("issued-on-time", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-02T10:00", officer("/processing", PROCESSING)),
                        at("2026-03-06T10:00", officer("/result", RESULT))), false, true, true, null),
                // due Mon 9; result Wed 11: late, but no longer "late now"
                new Kind("issued-late", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-02T10:00", officer("/processing", PROCESSING)),
                        at("2026-03-11T10:00", officer("/result", RESULT))), false, true, false, null),
                // the receipt reported on Thu 5 as having happened Mon 2 09:00 (3 days late, within the 30 allowed):
                // due Mon 9, late now
                new Kind("backdated-late", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-05T09:00", officer("/receipt",
                                "{\"occurredAt\":\"" + hanoi("2026-03-02T09:00") + "\"}"))),
                        true, false, false, hanoi("2026-03-09T17:00")),
                // received Thu 12 Feb 10:00, due Thu 26 Feb (Tết 16-20 Feb off); paused Thu 12 11:00 .. Mon 23 09:00:
                // 44.5 h were left (Thu 4.5, Fri 8, Mon 23 .. Thu 26 32), which from Mon 23 09:00 run out Mon 2 Mar at
                // 15:00 (Mon 6.5, Tue-Fri 32, Mon 6): due Mon 2 Mar 17:00, late now
                new Kind("tet-pause-late", List.of(at("2026-02-12T08:00", submit()),
                        at("2026-02-12T10:00", officer("/receipt", "{}")),
                        at("2026-02-12T11:00", officer("/supplement-requests",
                                "{\"missingItems\":[\"Ảnh\"],\"replyBy\":\"2026-02-27\"}")),
                        at("2026-02-23T09:00", citizenSupplement())), true, false, false, hanoi("2026-03-02T17:00")));
    }

    @Test
    void searchQueueTimelinesAndReportAgreeOnLateAtOneInstant() {
        Random random = new Random(SEED);
        List<Dossier> dossiers = new ArrayList<>();
        for (Kind kind : kinds()) {
            int copies = 1 + random.nextInt(3);
            for (int i = 0; i < copies; i++) {
                dossiers.add(new Dossier(kind, i));
            }
        }
        // every step of every dossier in time order, the command side's clock at each step's time
        List<Map.Entry<Step, Dossier>> steps = new ArrayList<>();
        for (Dossier dossier : dossiers) {
            dossier.kind.steps().forEach(step -> steps.add(Map.entry(step, dossier)));
        }
        steps.sort(Comparator.comparing(entry -> entry.getKey().at()));
        for (Map.Entry<Step, Dossier> entry : steps) {
            commandClock.set(entry.getKey().at());
            entry.getKey().action().accept(entry.getValue());
        }
        commandClock.set(NOW);
        List<String> ids = dossiers.stream().map(d -> d.id).toList();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(ids));
        // searches see every document (refreshed), not only the store's realtime reads
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            stack.elasticsearchRefresh();
            assertThat(ids(stack.queries().get("/api/v1/search/dossiers?size=200", INSPECTOR).body()))
                    .containsExactlyInAnyOrderElementsOf(ids);
        });

        Set<String> expectedLate = new HashSet<>();
        dossiers.stream().filter(d -> d.kind.lateNow()).forEach(d -> expectedLate.add(d.id));
        long issued = dossiers.stream().filter(d -> d.kind.issued()).count();
        long onTime = dossiers.stream().filter(d -> d.kind.issued() && d.kind.onTime()).count();
        Map<String, Long> byKind = new LinkedHashMap<>();
        dossiers.forEach(d -> byKind.merge(d.kind.name(), 1L, Long::sum));
        System.out.printf("timeliness agreement at %s (seed %d): %d dossiers %s; late now %d, results %d (on time %d)%n",
                NOW, SEED, dossiers.size(), byKind, expectedLate.size(), issued, onTime);
        assertThat(expectedLate).isNotEmpty().hasSizeLessThan(dossiers.size());

        // the search filter and the queue
        assertThat(ids(stack.queries().get("/api/v1/search/dossiers?late=true&size=200", INSPECTOR).body()))
                .as("search late=true").containsExactlyInAnyOrderElementsOf(expectedLate);
        assertThat(ids(stack.queries().get("/api/v1/queue?late=true&size=200", OFFICER).body()))
                .as("queue late=true").containsExactlyInAnyOrderElementsOf(expectedLate);
        Set<String> notLate = new HashSet<>(ids);
        notLate.removeAll(expectedLate);
        assertThat(ids(stack.queries().get("/api/v1/search/dossiers?late=false&size=200", INSPECTOR).body()))
                .as("search late=false").containsExactlyInAnyOrderElementsOf(notLate);

        // every item of a result list, and every timeline
        Map<String, Boolean> itemLate = new HashMap<>();
        for (JsonNode item : stack.queries().get("/api/v1/search/dossiers?size=200", INSPECTOR).body().path("items")) {
            itemLate.put(item.path("dossierId").asText(), item.path("late").asBoolean());
        }
        for (Dossier dossier : dossiers) {
            assertThat(itemLate.get(dossier.id)).as("search item of a %s dossier", dossier.kind.name())
                    .isEqualTo(dossier.kind.lateNow());
            JsonNode timeline = stack.queries().get("/api/v1/dossiers/" + dossier.id + "/timeline", INSPECTOR).body();
            assertThat(timeline.path("lateNow").asBoolean()).as("timeline of a %s dossier", dossier.kind.name())
                    .isEqualTo(dossier.kind.lateNow());
            if (dossier.kind.statutoryDueAt() != null) {
                assertThat(Instant.parse(timeline.path("statutoryDueAt").asText()))
                        .as("statutory due date of a %s dossier", dossier.kind.name())
                        .isEqualTo(dossier.kind.statutoryDueAt());
            }
        }

        // the timeliness report
        JsonNode rows = stack.queries().get("/api/v1/reports/timeliness?groupBy=agency", ANALYST).body().path("rows");
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("group").asText()).isEqualTo(AGENCY);
        assertThat(row.path("dossiers").asLong()).isEqualTo(dossiers.size());
        assertThat(row.path("openAndLateNow").asLong()).isEqualTo(expectedLate.size());
        assertThat(row.path("resultsIssued").asLong()).isEqualTo(issued);
        assertThat(row.path("onTime").asLong()).isEqualTo(onTime);
        assertThat(row.path("late").asLong()).isEqualTo(issued - onTime);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("dossierId").asText()));
        assertThat(page.path("total").asLong()).isEqualTo(ids.size());
        return ids;
    }
}
