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
     * @param breaches       the breach lists it belongs on at {@link #NOW} (names of the kinds of breach)
     */
    record Kind(String name, List<Step> steps, boolean lateNow, boolean issued, boolean onTime, Instant statutoryDueAt,
                Set<String> breaches) {
        Kind(String name, List<Step> steps, boolean lateNow, boolean issued, boolean onTime, Instant statutoryDueAt,
             String... breaches) {
            this(name, steps, lateNow, issued, onTime, statutoryDueAt, Set.of(breaches));
        }
    }

    /**
     * One step: when the command side's clock reads it (when it is recorded), what it does ({@code submit} or the
     * path it posts to), and when it happened as reported, if the officer reports an earlier time.
     */
    record Step(Instant at, String what, Instant reported, Consumer<Dossier> action) {
        Instant happened() {
            return reported == null ? at : reported;
        }
    }

    /** What a step does, and the time it reports (null: none, it happened when recorded). */
    record Act(String what, Instant reported, Consumer<Dossier> run) {
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

    private static Step at(String local, Act act) {
        return new Step(hanoi(local), act.what(), act.reported(), act.run());
    }

    private static Act submit() {
        return new Act("submit", null, d -> {
            Http.Answer answer = stack.commands().post("/api/v1/dossiers", """
                    {"procedureCode":"2.000116","agencyCode":"%s",
                     "applicant":{"kind":"BUSINESS","idNumber":"0100109106","fullName":"Công ty %s %d"},
                     "documents":[{"name":"Hồ sơ","kind":"FORM","contentHash":"sha256:%s","sizeBytes":1}]}
                    """.formatted(AGENCY, d.kind.name(), d.number, "ef".repeat(32)), CITIZEN);
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
            d.id = answer.body().path("dossierId").asText();
        });
    }

    private static Act officer(String path, String body) {
        return officer(path, body, null);
    }

    /** An officer's step that reports it happened at {@code reportedLocal} (Hanoi time), when not null. */
    private static Act officer(String path, String body, String reportedLocal) {
        Instant reported = reportedLocal == null ? null : hanoi(reportedLocal);
        String sent = reported == null ? body : body.substring(0, body.lastIndexOf('}')).strip()
                + (body.strip().equals("{}") ? "" : ",") + "\"occurredAt\":\"" + reported + "\"}";
        return new Act(path, reported, d -> {
            Http.Answer answer = stack.commands().post("/api/v1/dossiers/" + d.id + path, sent, OFFICER);
            assertThat(answer.status()).as(path + " " + answer.body()).isEqualTo(200);
        });
    }

    private static Act citizenSupplement() {
        return new Act("/supplements", null, d -> {
            Http.Answer answer = stack.commands().post("/api/v1/dossiers/" + d.id + "/supplements", """
                    {"documents":[{"name":"Ảnh","kind":"PHOTO","contentHash":"sha256:%s","sizeBytes":1}]}
                    """.formatted("12".repeat(32)), CITIZEN);
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        });
    }

    private static final String PROCESSING = "{\"unit\":\"Phòng một cửa\"}";
    private static final String SUPPLEMENT_REQUEST = "{\"missingItems\":[\"Ảnh\"],\"replyBy\":\"2026-03-31\"}";
    private static final String RESULT = "{\"decision\":\"APPROVED\",\"documents\":[]}";
    private static final String EARLY_REPLY = "{\"missingItems\":[\"Ảnh\"],\"replyBy\":\"2026-03-10\",\"reason\":\"Thiếu ảnh\"}";

    /** The kinds of history; 5 working days for procedure 2.000116; working hours 07:30-11:30, 13:00-17:00. */
    private static List<Kind> kinds() {
        return List.of(
                // received Mon 2 Mar 09:00: due Mon 9 Mar 17:00 (Tue 3 .. Mon 9); still processing on Fri 20
                new Kind("late-open", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-02T10:00", officer("/processing", PROCESSING))), true, false, false, null,
                        "LATE_NOW"),
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
                        at("2026-03-16T07:00", citizenSupplement())), true, false, false, hanoi("2026-03-19T17:00"),
                        "LATE_NOW"),
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
                        true, false, false, hanoi("2026-03-09T17:00"), "LATE_NOW", "EXTENDED"),
                // due Mon 9; result Fri 6: on time, not collected yet: neither late now nor late
                new Kind("issued-on-time", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-02T10:00", officer("/processing", PROCESSING)),
                        at("2026-03-06T10:00", officer("/result", RESULT))), false, true, true, null),
                // due Mon 9; result Wed 11: late, but no longer "late now"
                new Kind("issued-late", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-02T10:00", officer("/processing", PROCESSING)),
                        at("2026-03-11T10:00", officer("/result", RESULT))), false, true, false, null, "RESULT_LATE"),
                // the receipt reported on Thu 5 as having happened Mon 2 09:00 (3 days late, within the 30 allowed):
                // due Mon 9, late now; a report 72 hours late, over the 24 allowed before it is flagged
                new Kind("backdated-late", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-05T09:00", officer("/receipt", "{}", "2026-03-02T09:00"))),
                        true, false, false, hanoi("2026-03-09T17:00"), "LATE_NOW", "LATE_REPORT"),
                // received Thu 12 Feb 10:00, due Thu 26 Feb (Tết 16-20 Feb off); paused Thu 12 11:00 .. Mon 23 09:00:
                // 44.5 h were left (Thu 4.5, Fri 8, Mon 23 .. Thu 26 32), which from Mon 23 09:00 run out Mon 2 Mar at
                // 15:00 (Mon 6.5, Tue-Fri 32, Mon 6): due Mon 2 Mar 17:00, late now
                new Kind("tet-pause-late", List.of(at("2026-02-12T08:00", submit()),
                        at("2026-02-12T10:00", officer("/receipt", "{}")),
                        at("2026-02-12T11:00", officer("/supplement-requests",
                                "{\"missingItems\":[\"Ảnh\"],\"replyBy\":\"2026-02-27\"}")),
                        at("2026-02-23T09:00", citizenSupplement())), true, false, false, hanoi("2026-03-02T17:00"),
                        "LATE_NOW"),
                // due Mon 9 17:00; the result recorded Wed 11 10:00, reported as issued Mon 9 16:00 (42 hours late):
                // on time as reported, so counted on time, but recorded after the due date, and a late report
                new Kind("result-reported-late", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-02T10:00", officer("/processing", PROCESSING)),
                        at("2026-03-11T10:00", officer("/result", RESULT, "2026-03-09T16:00"))), false, true, true,
                        null, "RESULT_RECORDED_LATE", "LATE_REPORT"),
                // a second supplement request on one dossier, waiting for the applicant (reply by Tue 31)
                new Kind("second-supplement-request", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-03T10:00", officer("/supplement-requests", SUPPLEMENT_REQUEST)),
                        at("2026-03-04T10:00", citizenSupplement()),
                        at("2026-03-05T10:00", officer("/supplement-requests", SUPPLEMENT_REQUEST))), false, false,
                        false, null, "REPEATED_SUPPLEMENT_REQUEST"),
                // asked to reply by Tue 10; still nothing on Fri 20
                new Kind("waiting-past-reply-by", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-03T10:00", officer("/supplement-requests", EARLY_REPLY))), false, false, false,
                        null, "PAUSED_PAST_REPLY_BY"),
                // asked to reply by Tue 10, supplemented Mon 16 08:00: 37.5 h were left at the pause (Tue 5.5, Wed-Mon
                // 32), which from Mon 16 08:00 run out Fri 20 at 15:00: due Fri 20 17:00, not late at 10:00
                new Kind("supplemented-past-reply-by", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-03T10:00", officer("/supplement-requests", EARLY_REPLY)),
                        at("2026-03-16T08:00", citizenSupplement())), false, false, false, hanoi("2026-03-20T17:00"),
                        "PAUSED_PAST_REPLY_BY"),
                // asked to reply by Tue 10, stopped on Mon 16 without a reply: it stayed paused past its reply-by date
                new Kind("stopped-past-reply-by", List.of(at("2026-03-02T08:00", submit()),
                        at("2026-03-02T09:00", officer("/receipt", "{}")),
                        at("2026-03-03T10:00", officer("/supplement-requests", EARLY_REPLY)),
                        at("2026-03-16T08:00", officer("/stop", "{\"reasons\":[\"Không bổ sung hồ sơ\"]}"))),
                        false, false, false, null, "PAUSED_PAST_REPLY_BY"));
    }

    /** The generated dossiers, walked once through the command API before the tests read them. */
    private static List<Dossier> dossiers;

    private static List<Dossier> dossiers() {
        if (dossiers != null) {
            return dossiers;
        }
        Random random = new Random(SEED);
        List<Dossier> generated = new ArrayList<>();
        for (Kind kind : kinds()) {
            int copies = 1 + random.nextInt(3);
            for (int i = 0; i < copies; i++) {
                generated.add(new Dossier(kind, i));
            }
        }
        // every step of every dossier in time order, the command side's clock at each step's time
        List<Map.Entry<Step, Dossier>> steps = new ArrayList<>();
        for (Dossier dossier : generated) {
            dossier.kind.steps().forEach(step -> steps.add(Map.entry(step, dossier)));
        }
        steps.sort(Comparator.comparing(entry -> entry.getKey().at()));
        for (Map.Entry<Step, Dossier> entry : steps) {
            commandClock.set(entry.getKey().at());
            entry.getKey().action().accept(entry.getValue());
        }
        commandClock.set(NOW);
        List<String> ids = generated.stream().map(d -> d.id).toList();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(ids));
        // searches see every document (refreshed), not only the store's realtime reads
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            stack.elasticsearchRefresh();
            assertThat(ids(stack.queries().get("/api/v1/search/dossiers?size=200", INSPECTOR).body()))
                    .containsExactlyInAnyOrderElementsOf(ids);
        });
        dossiers = generated;
        return dossiers;
    }

    @Test
    void searchQueueTimelinesAndReportAgreeOnLateAtOneInstant() {
        List<Dossier> dossiers = dossiers();
        List<String> ids = dossiers.stream().map(d -> d.id).toList();
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
        assertThat(row.path("onTimeRecordedLate").asLong()).isEqualTo(dossiers.stream()
                .filter(d -> d.kind.breaches().contains("RESULT_RECORDED_LATE")).count());
    }

    // ---- the inspectors' audit ---------------------------------------------------------------------------------------

    /** What this test expects of a dossier at a moment, folded here from the steps it took (no production class). */
    record Expected(boolean existed, String status, int events, int supplementRequests, int extensions) {
    }

    private static Expected expectedAt(Dossier dossier, Instant moment, boolean recorded) {
        String status = null;
        String beforePause = null;
        int events = 0;
        int requests = 0;
        int extensions = 0;
        for (Step step : dossier.kind.steps()) {
            if ((recorded ? step.at() : step.happened()).isAfter(moment)) {
                break;
            }
            events++;
            switch (step.what()) {
                case "submit" -> status = "SUBMITTED";
                case "/receipt" -> status = "RECEIVED";
                case "/processing" -> status = "PROCESSING";
                case "/supplement-requests" -> {
                    beforePause = status;
                    status = "SUPPLEMENT_REQUESTED";
                    requests++;
                }
                case "/supplements" -> status = beforePause;
                case "/deadline-extensions" -> extensions++;
                case "/result" -> status = "RESULT_READY";
                case "/stop" -> status = "STOPPED";
                default -> throw new IllegalStateException("no expectation for " + step.what());
            }
        }
        return new Expected(events > 0, status, events, requests, extensions);
    }

    /**
     * A dossier as it stood at moments around each of its steps, on both clocks (as recorded: what the system knew;
     * as reported: what the agency says happened), equals the fold of its steps worked out here; the last folded event
     * is proven in the sealed log by an inclusion proof checked against the signed checkpoint's root.
     */
    @Test
    void stateAtAnyMomentOnBothClocksEqualsTheStepsFoldedHere() throws Exception {
        Set<String> seen = new HashSet<>();
        int checked = 0;
        for (Dossier dossier : dossiers()) {
            if (!seen.add(dossier.kind.name())) {
                continue; // one dossier of each kind
            }
            List<Instant> moments = new ArrayList<>(List.of(NOW));
            for (Step step : dossier.kind.steps()) {
                for (Instant at : List.of(step.at(), step.happened())) {
                    moments.add(at);
                    moments.add(at.minusSeconds(60));
                }
            }
            for (Instant moment : moments) {
                for (String clock : List.of("RECORDED", "REPORTED")) {
                    Expected expected = expectedAt(dossier, moment, clock.equals("RECORDED"));
                    Http.Answer answer = stack.commands().get("/api/v1/dossiers/" + dossier.id + "/state?at="
                            + Http.encode(moment.toString()) + "&clock=" + clock, INSPECTOR);
                    String what = "%s dossier at %s as %s".formatted(dossier.kind.name(), moment, clock);
                    assertThat(answer.status()).as(what + ": " + answer.body()).isEqualTo(200);
                    JsonNode body = answer.body();
                    assertThat(body.path("clock").asText()).isEqualTo(clock);
                    assertThat(body.path("existed").asBoolean()).as(what).isEqualTo(expected.existed());
                    assertThat(body.path("eventsFolded").asInt()).as(what).isEqualTo(expected.events());
                    assertThat(body.path("eventsAfter").asInt()).as(what)
                            .isEqualTo(dossier.kind.steps().size() - expected.events());
                    if (expected.existed()) {
                        JsonNode state = body.path("state");
                        assertThat(state.path("status").asText()).as(what).isEqualTo(expected.status());
                        assertThat(state.path("supplementRequests").asInt()).as(what)
                                .isEqualTo(expected.supplementRequests());
                        assertThat(state.path("extensions").asInt()).as(what).isEqualTo(expected.extensions());
                        assertThat(body.path("lastEvent").path("sequenceNumber").asInt()).as(what)
                                .isEqualTo(expected.events() - 1);
                        assertThat(state.has("applicantName") || body.toString().contains("0100109106")
                                || body.toString().contains("Công ty")).as("no personal data").isFalse();
                    }
                    checked++;
                }
            }
            JsonNode now = stack.commands().get("/api/v1/dossiers/" + dossier.id + "/state", INSPECTOR).body();
            assertThat(now.path("lateNow").asBoolean()).as(dossier.kind.name()).isEqualTo(dossier.kind.lateNow());
            if (dossier.kind.statutoryDueAt() != null) {
                assertThat(Instant.parse(now.path("state").path("statutoryDueAt").asText())).as(dossier.kind.name())
                        .isEqualTo(dossier.kind.statutoryDueAt());
            }
        }
        System.out.printf("state at a moment: %d answers checked over %d kinds%n", checked, seen.size());

        // the last folded event's proof: its leaf, recomputed here from its position and hash, is in the tree whose
        // root the signed checkpoint carries
        Dossier first = dossiers().get(0);
        String path = "/api/v1/dossiers/" + first.id + "/state?at=" + Http.encode(NOW.toString());
        JsonNode proven = await().atMost(Duration.ofSeconds(30)).until(() -> stack.commands().get(path, INSPECTOR)
                .body(), b -> b.path("lastEvent").path("proof").path("status").asText().equals("PROVEN"));
        JsonNode last = proven.path("lastEvent");
        JsonNode proof = last.path("proof");
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update((byte) 0);
        sha.update(java.nio.ByteBuffer.allocate(8).putLong(last.path("position").asLong()).array());
        sha.update(java.util.HexFormat.of().parseHex(last.path("hash").asText()));
        byte[] leaf = sha.digest();
        assertThat(java.util.Base64.getEncoder().encodeToString(leaf)).isEqualTo(proof.path("leafHash").asText());
        String[] note = proof.path("checkpoint").asText().split("\n");
        assertThat(Long.parseLong(note[1])).isEqualTo(proof.path("treeSize").asLong());
        List<byte[]> path2 = new ArrayList<>();
        proof.path("inclusionProof").forEach(h -> path2.add(java.util.Base64.getDecoder().decode(h.asText())));
        assertThat(vn.hoso.tlog.Merkle.verifyInclusion(proof.path("leafIndex").asLong(), proof.path("treeSize")
                .asLong(), leaf, path2, java.util.Base64.getDecoder().decode(note[2]))).isTrue();

        // moments that cannot be asked about, and a moment before the dossier
        for (String bad : List.of("yesterday", "2026-13-01T00:00:00Z", "9".repeat(60))) {
            Http.Answer refused = stack.commands().get("/api/v1/dossiers/" + first.id + "/state?at="
                    + Http.encode(bad), INSPECTOR);
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.body().path("errors").toString()).as(bad).contains("\"at\"");
        }
        Http.Answer future = stack.commands().get("/api/v1/dossiers/" + first.id + "/state?at="
                + Http.encode(NOW.plusSeconds(3600).toString()), INSPECTOR);
        assertThat(future.status()).isEqualTo(400);
        assertThat(future.body().path("errors").toString()).contains("\"at\"");
        Http.Answer clock = stack.commands().get("/api/v1/dossiers/" + first.id + "/state?clock=WALL", INSPECTOR);
        assertThat(clock.status()).isEqualTo(400);
        assertThat(clock.body().path("errors").toString()).contains("\"clock\"");
        JsonNode before = stack.commands().get("/api/v1/dossiers/" + first.id + "/state?at="
                + Http.encode(hanoi("2026-01-01T00:00").toString()), INSPECTOR).body();
        assertThat(before.path("existed").asBoolean()).isFalse();
        assertThat(before.path("firstEventAt").asText()).isNotEmpty();
    }

    /**
     * Each dossier's audit: its stages in order, with the pauses' reply-by dates and the extensions' reasons; the
     * working time used, worked out by hand for one; each late report flagged; the verdict as this test expects.
     */
    @Test
    void auditOfEachDossierMeasuresItsStagesAndGivesTheExpectedVerdict() {
        for (Dossier dossier : dossiers()) {
            Kind kind = dossier.kind;
            Http.Answer answer = stack.commands().get("/api/v1/dossiers/" + dossier.id + "/audit", INSPECTOR);
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
            JsonNode audit = answer.body();
            JsonNode verdict = audit.path("verdict");
            String what = kind.name();
            assertThat(verdict.path("lateNow").asBoolean()).as(what).isEqualTo(kind.lateNow());
            assertThat(verdict.path("extended").asBoolean()).as(what).isEqualTo(kind.breaches().contains("EXTENDED"));
            assertThat(verdict.path("resultRecordedLate").asBoolean()).as(what)
                    .isEqualTo(kind.breaches().contains("RESULT_RECORDED_LATE"));
            assertThat(verdict.path("repeatedSupplementRequest").asBoolean()).as(what)
                    .isEqualTo(kind.breaches().contains("REPEATED_SUPPLEMENT_REQUEST"));
            assertThat(verdict.path("pausesPastReplyBy").asInt() > 0).as(what)
                    .isEqualTo(kind.breaches().contains("PAUSED_PAST_REPLY_BY"));
            assertThat(verdict.path("lateReports").asInt() > 0).as(what)
                    .isEqualTo(kind.breaches().contains("LATE_REPORT"));
            if (kind.issued()) {
                assertThat(verdict.path("onTime").asBoolean()).as(what).isEqualTo(kind.onTime());
            } else {
                assertThat(verdict.path("onTime").isNull() || verdict.path("onTime").isMissingNode()).as(what).isTrue();
            }
            // each event's two times, and the late ones (recorded over 24 hours after they happened) flagged
            JsonNode events = audit.path("events");
            assertThat(events).hasSize(kind.steps().size());
            for (int i = 0; i < kind.steps().size(); i++) {
                Step step = kind.steps().get(i);
                long lateness = Duration.between(step.happened(), step.at()).toMinutes();
                assertThat(events.get(i).path("latenessMinutes").asLong()).as(what).isEqualTo(lateness);
                assertThat(events.get(i).path("lateReport").asBoolean()).as(what).isEqualTo(lateness > 24 * 60);
                assertThat(Instant.parse(events.get(i).path("recordedAt").asText())).isEqualTo(step.at());
                assertThat(Instant.parse(events.get(i).path("reportedAt").asText())).isEqualTo(step.happened());
            }
            // the stages in order: intake first; a pause per supplement request, with its reply-by date; the extension
            List<String> stageKinds = new ArrayList<>();
            audit.path("stages").forEach(stage -> stageKinds.add(stage.path("kind").asText()));
            assertThat(stageKinds.get(0)).as(what).isEqualTo("INTAKE");
            long requests = kind.steps().stream().filter(s -> s.what().equals("/supplement-requests")).count();
            assertThat(stageKinds.stream().filter("SUPPLEMENT_PAUSE"::equals).count()).as(what).isEqualTo(requests);
            audit.path("stages").forEach(stage -> {
                if (stage.path("kind").asText().equals("SUPPLEMENT_PAUSE")) {
                    assertThat(stage.path("replyBy").asText()).as(what).matches("2026-0[23]-\\d\\d");
                }
                if (stage.path("kind").asText().equals("EXTENSION")) {
                    assertThat(stage.path("reason").asText()).isEqualTo("Cần xác minh");
                    assertThat(Instant.parse(stage.path("newDueAt").asText())).isEqualTo(hanoi("2026-03-30T17:00"));
                }
            });
            assertThat(stageKinds.contains("EXTENSION")).as(what).isEqualTo(kind.breaches().contains("EXTENDED"));
            // a pause past its reply-by date is the one stage that says so
            List<Boolean> pastReplyBy = new ArrayList<>();
            audit.path("stages").forEach(stage -> pastReplyBy.add(stage.path("pastReplyBy").asBoolean(false)));
            assertThat(pastReplyBy.stream().filter(b -> b).count()).as(what)
                    .isEqualTo(kind.breaches().contains("PAUSED_PAST_REPLY_BY") ? 1 : 0);
            if (kind.name().equals("extended-late")) {
                // the extension (Fri 6 10:00) is listed after the unit stage it was given in, which began Mon 2 10:00;
                // counted time to it: 60 minutes at the desk, then Mon 2 10:00-17:00 (5.5 h), Tue 3-Thu 5 (24 h) and
                // Fri 6 07:30-10:00 (2.5 h) at the unit
                assertThat(stageKinds).containsExactly("INTAKE", "RECEIVED", "UNIT", "EXTENSION");
                JsonNode extension = audit.path("stages").get(3);
                assertThat(extension.path("cumulativeWorkingMinutes").asLong()).isEqualTo(60 + 32 * 60);
                assertThat(Instant.parse(extension.path("previousDueAt").asText())).isEqualTo(hanoi("2026-03-09T17:00"));
            }
            if (kind.name().equals("late-open")) {
                // received Mon 2 09:00, at a unit from 10:00: 60 minutes at the desk; then Mon 2 10:00-17:00 (5.5 h),
                // Tue 3 .. Thu 19 (13 working days of 8 h) and Fri 20 07:30-10:00 (2.5 h): 112 h at the unit
                assertThat(stageKinds).containsExactly("INTAKE", "RECEIVED", "UNIT");
                JsonNode desk = audit.path("stages").get(1);
                JsonNode unit = audit.path("stages").get(2);
                assertThat(desk.path("workingMinutes").asLong()).isEqualTo(60);
                assertThat(desk.path("endedByStatutoryDueAt").asBoolean()).isTrue();
                assertThat(unit.path("open").asBoolean()).isTrue();
                assertThat(unit.path("unit").asText()).isEqualTo("Phòng một cửa");
                assertThat(unit.path("workingMinutes").asLong()).isEqualTo(112 * 60);
                assertThat(unit.path("cumulativeWorkingMinutes").asLong()).isEqualTo(60 + 112 * 60);
                assertThat(verdict.path("workingMinutesUsed").asLong()).isEqualTo(60 + 112 * 60);
                assertThat(verdict.path("unmeasuredParts").asInt()).isZero();
            }
        }
    }

    private static final List<String> BREACHES = List.of("LATE_NOW", "RESULT_LATE", "EXTENDED", "PAUSED_PAST_REPLY_BY",
            "REPEATED_SUPPLEMENT_REQUEST", "LATE_REPORT", "RESULT_RECORDED_LATE");

    /**
     * Each breach list holds exactly the dossiers this test expects, as JSON and CSV, without any applicant's name or
     * ID; pages walk the whole list newest first; the late-report threshold is applied when read; and the totals agree
     * with the timeliness report for the same filters at the same instant.
     */
    @Test
    void breachListsHoldExactlyTheExpectedDossiersAndAgreeWithTheReport() {
        List<Dossier> dossiers = dossiers();
        Map<String, Long> totals = new HashMap<>();
        for (String breach : BREACHES) {
            Set<String> expected = new HashSet<>();
            dossiers.stream().filter(d -> d.kind.breaches().contains(breach)).forEach(d -> expected.add(d.id));
            assertThat(expected).as(breach).isNotEmpty();
            String query = "/api/v1/audit/breaches?kind=" + breach + "&agency=" + AGENCY;
            Http.Answer answer = stack.queries().get(query + "&size=200", INSPECTOR);
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
            assertThat(ids(answer.body())).as(breach).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(answer.body().toString()).doesNotContain("Công ty").doesNotContain("0100109106");
            totals.put(breach, answer.body().path("total").asLong());
            String csv = stack.queries().getText(query + "&format=csv", INSPECTOR);
            List<String> lines = csv.lines().toList();
            assertThat(lines.get(0)).startsWith("dossierId,dossierCode,agencyCode,procedureCode,status");
            assertThat(lines.get(lines.size() - 1)).as("the last line of a whole list").isEqualTo("TOTAL,"
                    + expected.size());
            assertThat(lines.subList(1, lines.size() - 1).stream().map(l -> l.substring(0, l.indexOf(','))).toList())
                    .as(breach + " as CSV").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(csv).doesNotContain("Công ty").doesNotContain("0100109106");
        }
        // two at a time, newest submission first, to the end
        List<String> walked = new ArrayList<>();
        List<Instant> submitted = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = stack.queries().get("/api/v1/audit/breaches?kind=LATE_NOW&size=2"
                    + (next == null ? "" : "&after=" + next), INSPECTOR).body();
            assertThat(page.path("total").asLong()).isEqualTo(totals.get("LATE_NOW"));
            page.path("items").forEach(item -> {
                walked.add(item.path("dossierId").asText());
                submitted.add(Instant.parse(item.path("submittedAt").asText()));
                assertThat(item.path("lateNow").asBoolean()).isTrue();
            });
            next = page.hasNonNull("next") ? page.path("next").asText() : null;
        } while (next != null);
        assertThat(walked).doesNotHaveDuplicates().hasSize(totals.get("LATE_NOW").intValue());
        assertThat(submitted).isSortedAccordingTo(Comparator.reverseOrder());
        // the threshold of a late report is applied when read: over 50 hours, only the receipt reported 72 hours late
        Set<String> over50Hours = new HashSet<>();
        dossiers.stream().filter(d -> d.kind.name().equals("backdated-late")).forEach(d -> over50Hours.add(d.id));
        assertThat(ids(stack.queries().get("/api/v1/audit/breaches?kind=LATE_REPORT&lateReportThresholdMinutes=3000"
                + "&size=200", INSPECTOR).body())).containsExactlyInAnyOrderElementsOf(over50Hours);
        // one Timeliness: the report's counts are the lists' totals, for the same agency at the same instant
        JsonNode row = stack.queries().get("/api/v1/reports/timeliness?groupBy=agency", ANALYST).body().path("rows")
                .get(0);
        assertThat(row.path("openAndLateNow").asLong()).isEqualTo(totals.get("LATE_NOW"));
        assertThat(row.path("late").asLong()).isEqualTo(totals.get("RESULT_LATE"));
        assertThat(row.path("onTimeRecordedLate").asLong()).isEqualTo(totals.get("RESULT_RECORDED_LATE"));
        // by procedure too
        JsonNode byProcedure = stack.queries().get("/api/v1/reports/timeliness?groupBy=procedure", ANALYST).body()
                .path("rows").get(0);
        assertThat(byProcedure.path("group").asText()).isEqualTo("2.000116");
        for (Map.Entry<String, String> column : Map.of("LATE_NOW", "openAndLateNow", "RESULT_LATE", "late",
                "RESULT_RECORDED_LATE", "onTimeRecordedLate").entrySet()) {
            assertThat(stack.queries().get("/api/v1/audit/breaches?kind=" + column.getKey() + "&procedure=2.000116",
                    INSPECTOR).body().path("total").asLong()).as(column.getKey())
                    .isEqualTo(byProcedure.path(column.getValue()).asLong()).isPositive();
        }
        // and for a period: submissions of Thu 12 Feb only (the Tết pause), in both
        JsonNode feb = stack.queries().get("/api/v1/reports/timeliness?groupBy=agency&from=2026-02-12&to=2026-02-12",
                ANALYST).body().path("rows").get(0);
        JsonNode febLate = stack.queries().get("/api/v1/audit/breaches?kind=LATE_NOW&from=2026-02-12&to=2026-02-12",
                INSPECTOR).body();
        assertThat(febLate.path("total").asLong()).isEqualTo(feb.path("openAndLateNow").asLong()).isPositive();
        // refused: an unknown kind, a malformed cursor, a threshold out of bounds
        for (String bad : List.of("kind=EVERYTHING", "kind=LATE_NOW&after=bm90LWEtY3Vyc29y",
                "kind=LATE_REPORT&lateReportThresholdMinutes=-1", "kind=LATE_NOW&size=0")) {
            Http.Answer refused = stack.queries().get("/api/v1/audit/breaches?" + bad, INSPECTOR);
            assertThat(refused.status()).as(bad).isEqualTo(400);
        }
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("dossierId").asText()));
        assertThat(page.path("total").asLong()).isEqualTo(ids.size());
        return ids;
    }
}
