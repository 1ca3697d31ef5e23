package vn.hoso.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The portal's mix of work on a running stack ({@code deploy/run.sh}), as Gatling load: citizens submit dossiers and
 * read their timelines, the payment platform pays the submission fee, officers receive and process them (or the
 * agency's own system reports the same through the sync interface), the public looks dossiers up by their receipt,
 * inspectors search and analysts read the reports. Not a test: it prints figures and asserts nothing. Run it with
 * {@code ./mvnw -B -pl deploy/load-test gatling:test -Dtokens=... } (README, Load test); the tokens come from
 * {@code deploy/load-test/tokens.sh} before the run (they live 30 minutes: keep a run shorter).
 *
 * <p>Every command's request name starts with {@code cmd }, every read's with {@code read }, so that a script can
 * count them ({@code measure.sh}, {@code stats.py}). The groups {@code lag timeline} and {@code lag search} are the
 * projection lag: from the submission's answer until the dossier shows in its timeline, or in search; Gatling reports
 * their durations ({@code useGroupDurationMetric} in {@code gatling.conf}) as percentiles. A sampled dossier is probed
 * for one of the two, in turn, right after its submission is answered (20 ms between polls, 30 s at most), so that
 * both lags are measured from the answer; the probes are reads of their own ({@code read lag ...}).
 *
 * <p>One dossier's life (the scenario {@code dossier}): {@code cmd submit} (a load-test citizen, the procedure
 * 1.002804 with its fee due at submission), {@code cmd pay fee} (the payment platform), then either the officer,
 * {@code read officer queue}, {@code cmd receive}, {@code cmd start processing}, {@code cmd complete step},
 * {@code cmd issue result}, {@code cmd return result}, or, for a share of {@link Mix#SYNCED}, the agency's system
 * reporting the same states ({@code cmd sync received}, {@code cmd sync processing}, {@code cmd sync step},
 * {@code cmd sync result ready}, {@code cmd sync result returned}); {@code cmd rate} for a share of
 * {@link Mix#RATED}. Between them the citizen reads its timeline three times ({@code read timeline (minVersion)},
 * waiting for its last command, as the portal does), and the receipt's holder looks the dossier up twice without an
 * account ({@code read public lookup}, each virtual user from an address of its own in {@code X-Forwarded-For}).
 * Seven commands, or eight with the rating: {@link Mix#commandsPerDossier()} on average.
 *
 * <p>Besides, per dossier on average ({@link Mix}): {@value Mix#CITIZEN_VISITS} citizen visits ({@code read my
 * dossiers}, then {@code read timeline} of the newest), {@value Mix#INSPECTOR_VISITS} inspector visits
 * ({@code read search by name}, {@code read search by filter}) and {@value Mix#ANALYST_VISITS} analyst visits
 * ({@code read satisfaction report}, {@code read timeliness report}). Change the proportions in {@link Mix}.
 *
 * <p>System properties:
 * <ul>
 *     <li>{@code command}, {@code query}: the two sides (default {@code http://127.0.0.1:8080} and {@code :8081}; use
 *     127.0.0.1 rather than localhost, so that the query side sees the address it trusts as a proxy)</li>
 *     <li>{@code tokens}: the CSV of {@code tokens.sh}, relative to the folder Maven runs in (default
 *     {@code deploy/load-test/target/tokens.csv}, where {@code tokens.sh} writes it, or {@code target/tokens.csv}
 *     in the module's folder): {@code account,role,token}, roles {@code citizen} (one row per load-test citizen;
 *     each virtual user is one of them, drawn at random), {@code officer}, {@code agency}, {@code payment},
 *     {@code inspector}, {@code analyst}</li>
 *     <li>{@code model}: {@code open} (default: arrivals per second, whatever the stack's latency) or {@code closed}
 *     (a fixed number of clients, each starting its next dossier once the last is done)</li>
 *     <li>{@code rate} (open model): <b>commands per second</b> of the whole mix (default 100); dossiers arrive at
 *     {@code rate / }{@link Mix#commandsPerDossier()} per second, the visits in proportion</li>
 *     <li>{@code ramp}: seconds of ramp first (default 30; open: from {@code min(1, arrivals)} dossiers per second up
 *     to the full rate; closed: from 0 clients up), not part of {@code duration}</li>
 *     <li>{@code duration}: seconds at the full rate or client count (default 120)</li>
 *     <li>{@code clients} (closed model): concurrent clients (default 4); each client's dossier is followed by its
 *     share of the visits</li>
 *     <li>{@code lagProbes}: the share of dossiers probed for projection lag (default {@value Mix#LAG_PROBES});
 *     {@code lagDeadline}: seconds a probe polls at most (default 30), after which it counts as an error</li>
 * </ul>
 */
public class PortalMixSimulation extends Simulation {

    /** The proportions of the mix, per dossier. */
    static final class Mix {
        /** The share of dossiers the agency's own system handles after submission (status reports, not the officer). */
        static final double SYNCED = 0.3;
        /** The share of dossiers whose citizen rates the service once the result is returned. */
        static final double RATED = 0.6;
        /** Visits of a citizen to its dossiers (the list, then the newest one's timeline), per dossier. */
        static final double CITIZEN_VISITS = 1.0;
        /** Visits of an inspector (a search by name and one by filters), per dossier. */
        static final double INSPECTOR_VISITS = 0.25;
        /** Visits of an analyst (the satisfaction and the timeliness report), per dossier. */
        static final double ANALYST_VISITS = 0.05;
        /** The share of dossiers probed for projection lag (timeline and search in turn). */
        static final double LAG_PROBES = 0.1;

        /** submit, pay, receive, start processing, complete a step, issue and return the result; and the rating. */
        static double commandsPerDossier() {
            return 7 + RATED;
        }

        private Mix() {
        }
    }

    private static final String AGENCY = "000.00.01.H22";
    private static final String PROCEDURE = "1.002804";
    private static final long SUBMISSION_FEE = 115_000;
    private static final String UNIT = "Phòng Quản lý phương tiện";
    private static final String STEP = "Thẩm định";
    private static final Duration LAG_POLL = Duration.ofMillis(20);
    private static final List<String> FAMILY = List.of("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi");
    private static final List<String> MIDDLE = List.of("Văn", "Thị", "Minh", "Đức", "Ngọc", "Thanh");
    private static final List<String> GIVEN = List.of("An", "Bình", "Dũng", "Hoa", "Lan", "Tâm", "Hùng", "Mai");
    private static final String RATING = """
            {"level":"SATISFIED","criteria":{"TOTAL_TIME_AGAINST_LIMIT":2,"TIME_AT_EACH_UNIT":2,\
            "NUMBER_OF_CONTACTS":2,"NUMBER_OF_AGENCIES_CONTACTED":2,"HANDLED_AT_ONE_STOP_DESK":2,\
            "PROCEDURE_PUBLISHED":2,"STAFF_ATTITUDE":1,"FEEDBACK_HANDLING":1,"ONLINE_SERVICE_QUALITY":2}}""";

    private final String command = System.getProperty("command", "http://127.0.0.1:8080").replaceAll("/+$", "");
    private final String query = System.getProperty("query", "http://127.0.0.1:8081").replaceAll("/+$", "");
    private final String model = System.getProperty("model", "open").toLowerCase(Locale.ROOT);
    private final double rate = Double.parseDouble(System.getProperty("rate", "100"));
    private final int ramp = Integer.parseInt(System.getProperty("ramp", "30"));
    private final int duration = Integer.parseInt(System.getProperty("duration", "120"));
    private final int clients = Integer.parseInt(System.getProperty("clients", "4"));
    private final double lagProbes =
            Double.parseDouble(System.getProperty("lagProbes", String.valueOf(Mix.LAG_PROBES)));
    private final Duration lagDeadline = Duration.ofMillis(
            Math.round(Double.parseDouble(System.getProperty("lagDeadline", "30")) * 1000));
    private final Tokens tokens = Tokens.read(System.getProperty("tokens"));
    /** The load-test citizens, each virtual user one of them at random. */
    private final FeederBuilder<Object> citizens = listFeeder(tokens.citizens()).random();

    /** This run's names and references: unique across runs, so that a search finds exactly the dossier probed. */
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong dossiers = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    /** Each virtual user's address in X-Forwarded-For: 10.x.y.z, from a random start so that runs differ. */
    private final AtomicLong addresses = new AtomicLong(ThreadLocalRandom.current().nextLong(1 << 24));

    private final HttpProtocolBuilder protocol = http
            .acceptHeader("application/json")
            .acceptLanguageHeader("en")
            .userAgentHeader("hoso-load-test")
            // a timeline polled again must be read again, not answered 304 from a cache
            .disableCaching()
            .disableWarmUp();

    {
        List<PopulationBuilder> populations = switch (model) {
            case "open" -> openModel();
            case "closed" -> closedModel();
            default -> throw new IllegalArgumentException("-Dmodel=open or closed, not " + model);
        };
        setUp(populations).protocols(protocol)
                // users still busy this long after the last arrival are stopped (a probe gives up at its deadline)
                .maxDuration(Duration.ofSeconds(ramp + duration + 30L).plus(lagDeadline));
    }

    private List<PopulationBuilder> openModel() {
        double arrivals = rate / Mix.commandsPerDossier();
        System.out.printf(Locale.ROOT, "open model: %.1f commands/s, %.2f dossiers/s (%.2f commands each), ramp %d s,"
                        + " then %d s; %d load-test citizens; lag probes on %.0f%% of the dossiers%n", rate, arrivals,
                Mix.commandsPerDossier(), ramp, duration, tokens.citizens().size(), lagProbes * 100);
        List<PopulationBuilder> populations = new ArrayList<>();
        populations.add(scenario("dossier").exec(dossierLife()).injectOpen(arrivals(1)));
        populations.add(scenario("citizen").exec(citizenVisit()).injectOpen(arrivals(Mix.CITIZEN_VISITS)));
        populations.add(scenario("inspector").exec(inspectorVisit()).injectOpen(arrivals(Mix.INSPECTOR_VISITS)));
        populations.add(scenario("analyst").exec(analystVisit()).injectOpen(arrivals(Mix.ANALYST_VISITS)));
        return populations;
    }

    /**
     * Arrivals of something done {@code perDossier} times per dossier: a ramp from {@code min(1, dossiers/s)}
     * dossiers per second up to the full rate, then the full rate, in that proportion.
     */
    private OpenInjectionStep[] arrivals(double perDossier) {
        double dossiersPerSecond = rate / Mix.commandsPerDossier();
        double perSecond = dossiersPerSecond * perDossier;
        OpenInjectionStep steady = constantUsersPerSec(perSecond).during(Duration.ofSeconds(duration));
        if (ramp == 0) {
            return new OpenInjectionStep[]{steady};
        }
        double from = Math.min(1, dossiersPerSecond) * perDossier;
        return new OpenInjectionStep[]{rampUsersPerSec(from).to(perSecond).during(Duration.ofSeconds(ramp)), steady};
    }

    private List<PopulationBuilder> closedModel() {
        System.out.printf(Locale.ROOT, "closed model: %d clients, ramp %d s, then %d s; %d load-test citizens;"
                        + " lag probes on %.0f%% of the dossiers%n", clients, ramp, duration, tokens.citizens().size(),
                lagProbes * 100);
        ChainBuilder portal = exec(dossierLife())
                .repeat(session -> draw(Mix.CITIZEN_VISITS)).on(citizenVisit())
                .repeat(session -> draw(Mix.INSPECTOR_VISITS)).on(inspectorVisit())
                .repeat(session -> draw(Mix.ANALYST_VISITS)).on(analystVisit());
        var steady = constantConcurrentUsers(clients).during(Duration.ofSeconds(duration));
        ScenarioBuilder clientsScenario = scenario("portal").exec(portal);
        return List.of(ramp == 0 ? clientsScenario.injectClosed(steady)
                : clientsScenario.injectClosed(rampConcurrentUsers(0).to(clients).during(Duration.ofSeconds(ramp)),
                steady));
    }

    /** How many times something done {@code perDossier} times per dossier on average is done after this one. */
    private static int draw(double perDossier) {
        int whole = (int) Math.floor(perDossier);
        return whole + (ThreadLocalRandom.current().nextDouble() < perDossier - whole ? 1 : 0);
    }

    // ---------------------------------------------------------------- a dossier's life

    private ChainBuilder dossierLife() {
        return feed(citizens)
                .exec(session -> session.set("clientAddress", nextAddress())
                .set("tag", "lt" + run + "x" + Long.toString(dossiers.incrementAndGet(), 36))
                .set("applicantName", randomName())
                .set("synced", ThreadLocalRandom.current().nextDouble() < Mix.SYNCED)
                .set("rates", ThreadLocalRandom.current().nextDouble() < Mix.RATED))
                .exec(command("submit", "/api/v1/dossiers", "#{citizenToken}", """
                        {"procedureCode":"%s","agencyCode":"%s","applicant":{"kind":"CITIZEN",\
                        "idNumber":"#{citizenId}","fullName":"#{applicantName} #{tag}","phone":"0912345678"},\
                        "documents":[{"name":"Đơn đề nghị đổi giấy phép lái xe","kind":"FORM",\
                        "contentHash":"sha256:%s","sizeBytes":2048}]}""".formatted(PROCEDURE, AGENCY, "ab".repeat(32)))
                        .check(status().is(201), jsonPath("$.dossierId").saveAs("dossierId"),
                                jsonPath("$.version").ofLong().saveAs("version")))
                .exitHereIfFailed()
                .doIf(session -> ThreadLocalRandom.current().nextDouble() < lagProbes).then(
                        doIfOrElse(session -> probes.incrementAndGet() % 2 == 1).then(timelineLag())
                                .orElse(searchLag()))
                .exec(command("pay fee", "/api/v1/dossiers/#{dossierId}/payments", tokens.payment(), """
                        {"paymentReference":"LT-#{tag}","method":"ONLINE","amount":%d}""".formatted(SUBMISSION_FEE)))
                .exitHereIfFailed()
                .doIfOrElse(session -> session.getBoolean("synced")).then(
                        exec(sync("received", "{\"statusCode\":2}")
                                .check(jsonPath("$.dossierCode").saveAs("dossierCode"),
                                        jsonPath("$.lookupSecret").saveAs("lookupSecret"))))
                .orElse(
                        forgiving(read("officer queue", query + "/api/v1/queue?status=SUBMITTED&size=20",
                                tokens.officer()))
                                .exec(command("receive", "/api/v1/dossiers/#{dossierId}/receipt", tokens.officer(),
                                        "{}").check(jsonPath("$.dossierCode").saveAs("dossierCode"),
                                                jsonPath("$.lookupSecret").saveAs("lookupSecret"))))
                .exitHereIfFailed()
                .exec(citizenReadsItsTimeline())
                .exec(publicLookup())
                .doIfOrElse(session -> session.getBoolean("synced")).then(
                        exec(sync("processing", "{\"statusCode\":4,\"unit\":\"" + UNIT + "\"}"))
                                .exitHereIfFailed()
                                .exec(sync("step", "{\"statusCode\":4,\"unit\":\"" + UNIT + "\",\"step\":\"" + STEP
                                        + "\"}")))
                .orElse(
                        exec(command("start processing", "/api/v1/dossiers/#{dossierId}/processing", tokens.officer(),
                                "{\"unit\":\"" + UNIT + "\"}"))
                                .exitHereIfFailed()
                                .exec(command("complete step", "/api/v1/dossiers/#{dossierId}/steps", tokens.officer(),
                                        "{\"unit\":\"" + UNIT + "\",\"step\":\"" + STEP + "\"}")))
                .exitHereIfFailed()
                .exec(citizenReadsItsTimeline())
                .doIfOrElse(session -> session.getBoolean("synced")).then(
                        exec(sync("result ready", "{\"statusCode\":9,\"decision\":\"APPROVED\",\"documents\":[]}"))
                                .exitHereIfFailed()
                                .exec(sync("result returned", "{\"statusCode\":10,\"channel\":\"ONLINE\"}")))
                .orElse(
                        exec(command("issue result", "/api/v1/dossiers/#{dossierId}/result", tokens.officer(),
                                "{\"decision\":\"APPROVED\",\"documents\":[]}"))
                                .exitHereIfFailed()
                                .exec(command("return result", "/api/v1/dossiers/#{dossierId}/result-return",
                                        tokens.officer(), "{\"channel\":\"ONLINE\"}")))
                .exitHereIfFailed()
                .doIf(session -> session.getBoolean("rates")).then(
                        exec(command("rate", "/api/v1/dossiers/#{dossierId}/rating", "#{citizenToken}", RATING))
                                .exitHereIfFailed())
                .exec(citizenReadsItsTimeline())
                .exec(publicLookup());
    }

    /**
     * A command: a POST with a fresh {@code Idempotency-Key} (as a client that may retry sends it), answered 2xx; the
     * dossier's version is kept where the answer has one (the payment platform's has none: it sees no dossier).
     */
    private HttpRequestActionBuilder command(String name, String path, String token, String body) {
        return http("cmd " + name).post(command + path)
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", session -> UUID.randomUUID().toString())
                .body(StringBody(body)).asJson()
                .check(status().in(200, 201), jsonPath("$.version").ofLong().optional().saveAs("version"));
    }

    /** An agency system's status report ({@code fields}: a JSON object), its message id fresh. */
    private HttpRequestActionBuilder sync(String name, String fields) {
        return http("cmd sync " + name).post(command + "/api/v1/sync/dossiers/#{dossierId}/status")
                .header("Authorization", "Bearer " + tokens.agency())
                .body(StringBody(session -> "{\"messageId\":\"" + UUID.randomUUID() + "\","
                        + fields.substring(1)))
                .asJson()
                .check(status().is(200), jsonPath("$.version").ofLong().optional().saveAs("version"));
    }

    private HttpRequestActionBuilder read(String name, String url, String token) {
        return http("read " + name).get(url).header("Authorization", "Bearer " + token).check(status().is(200));
    }

    /** A read that fails does not end the dossier's life: its commands go on. */
    private static ChainBuilder forgiving(HttpRequestActionBuilder read) {
        return exec(read).exec(Session::markAsSucceeded);
    }

    /** The citizen's page after a command: its timeline once it shows that command (read your writes). */
    private ChainBuilder citizenReadsItsTimeline() {
        return forgiving(read("timeline (minVersion)",
                query + "/api/v1/dossiers/#{dossierId}/timeline?minVersion=#{version}", "#{citizenToken}"));
    }

    private ChainBuilder publicLookup() {
        return forgiving(http("read public lookup").post(query + "/api/v1/public/dossier-status")
                .header("X-Forwarded-For", "#{clientAddress}")
                .body(StringBody("{\"dossierCode\":\"#{dossierCode}\",\"secret\":\"#{lookupSecret}\"}")).asJson()
                .check(status().is(200), jsonPath("$.status").exists()));
    }

    // ---------------------------------------------------------------- projection lag

    /** Polls the submitted dossier's timeline (as its citizen) until it shows the submission. */
    private ChainBuilder timelineLag() {
        return lag("lag timeline", session -> {
            Long seen = session.getLongWrapper("seenVersion");
            return seen != null && seen >= session.getLong("version");
        }, http("read lag timeline").get(query + "/api/v1/dossiers/#{dossierId}/timeline")
                .header("Authorization", "Bearer #{citizenToken}")
                .check(status().in(200, 404), jsonPath("$.lastSequence").ofLong().optional().saveAs("seenVersion")));
    }

    /** Polls search (as an inspector) by the applicant's name until it finds the submitted dossier. */
    private ChainBuilder searchLag() {
        return lag("lag search", session -> session.getLongWrapper("found") != null && session.getLong("found") > 0,
                http("read lag search").post(query + "/api/v1/search/dossiers")
                        .header("Authorization", "Bearer " + tokens.inspector())
                        .body(StringBody("{\"q\":\"#{tag}\",\"size\":5}")).asJson()
                        .check(status().is(200), jsonPath("$.total").ofLong().saveAs("found")));
    }

    private ChainBuilder lag(String name, Function<Session, Boolean> visible, HttpRequestActionBuilder poll) {
        return group(name).on(
                        exec(session -> session.remove("seenVersion").remove("found")
                                .set("lagDeadline", System.nanoTime() + lagDeadline.toNanos()))
                                .asLongAs(session -> !visible.apply(session)
                                        && System.nanoTime() < session.getLong("lagDeadline")).on(
                                        exec(poll).doIf(session -> !visible.apply(session)).then(pause(LAG_POLL)))
                                // not seen by the deadline: the group fails (and shows in the errors)
                                .doIf(session -> !visible.apply(session)).then(exec(Session::markAsFailed)))
                .exec(Session::markAsSucceeded);
    }

    // ---------------------------------------------------------------- visits

    /** A citizen opens its list of dossiers, then the newest one's timeline. */
    private ChainBuilder citizenVisit() {
        return feed(citizens)
                .exec(forgiving(read("my dossiers", query + "/api/v1/my/dossiers?size=20", "#{citizenToken}")
                        .check(jsonPath("$.items[0].dossierId").optional().saveAs("newest"))))
                .doIf(session -> session.contains("newest")).then(forgiving(
                        read("timeline", query + "/api/v1/dossiers/#{newest}/timeline", "#{citizenToken}")));
    }

    /** An inspector searches by a name (without diacritics, as typed) and by filters. */
    private ChainBuilder inspectorVisit() {
        return exec(session -> session.set("searchedName", folded(FAMILY) + " " + folded(GIVEN)))
                .exec(forgiving(http("read search by name").post(query + "/api/v1/search/dossiers")
                        .header("Authorization", "Bearer " + tokens.inspector())
                        .body(StringBody("{\"q\":\"#{searchedName}\",\"size\":20}")).asJson()
                        .check(status().is(200))))
                .exec(forgiving(read("search by filter",
                        query + "/api/v1/search/dossiers?status=PROCESSING&late=false&size=20", tokens.inspector())));
    }

    /** An analyst reads the satisfaction and the timeliness report, by agency, procedure or month. */
    private ChainBuilder analystVisit() {
        return exec(session -> session.set("groupBy", pick(List.of("agency", "procedure", "month"))))
                .exec(forgiving(read("satisfaction report", query + "/api/v1/reports/satisfaction?groupBy=#{groupBy}",
                        tokens.analyst())))
                .exec(forgiving(read("timeliness report", query + "/api/v1/reports/timeliness?groupBy=#{groupBy}",
                        tokens.analyst())));
    }

    // ---------------------------------------------------------------- data

    private String nextAddress() {
        long n = addresses.incrementAndGet() & 0xFFFFFF;
        return "10." + (n >> 16) + "." + ((n >> 8) & 0xFF) + "." + (n & 0xFF);
    }

    private static String randomName() {
        return pick(FAMILY) + " " + pick(MIDDLE) + " " + pick(GIVEN);
    }

    private static String folded(List<String> names) {
        return java.text.Normalizer.normalize(pick(names), java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "").replace('đ', 'd').replace('Đ', 'D').toLowerCase(Locale.ROOT);
    }

    private static String pick(List<String> values) {
        return values.get(ThreadLocalRandom.current().nextInt(values.size()));
    }
}
