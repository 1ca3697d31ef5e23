package vn.hoso.query.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.TestIssuer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A seeded fuzzer of hostile requests over every endpoint of both running services: odd paths (encoded NULs and
 * slashes, broken escapes, dot segments, overlong segments, invalid UTF-8), query strings at every edge (dates,
 * numbers, forged cursors), every kind of {@code Accept}, {@code Content-Type} and {@code Accept-Language}, valid and
 * invalid tokens, bodies of the wrong type, huge, deeply nested, broken or full of injection-looking text. Sent over a
 * raw socket, exactly as generated. Every answer must be under 500 (a 503 only for the read-your-writes bound, with
 * {@code Retry-After}), every refusal a problem document in the language asked for, echoing no personal data; the
 * event store holds exactly the events it held before; and the services still answer a normal request. The seed
 * ({@code -Dhoso.fuzz.seed}) and the request count ({@code -Dhoso.fuzz.requests}) reproduce a run.
 */
class HostileInputIT {

    /** The run's seed: {@code -Dhoso.fuzz.seed=N}, or {@code random} for a new one (printed). */
    private static final long SEED = "random".equals(System.getProperty("hoso.fuzz.seed"))
            ? new java.security.SecureRandom().nextLong() : Long.getLong("hoso.fuzz.seed", 20261126L);
    private static final int REQUESTS = Integer.getInteger("hoso.fuzz.requests", 3000);
    private static final String AGENCY = "000.00.01.H22";
    private static final String CITIZEN_ID = "079190001234";
    private static final String NAME = "Trần Thị Bích Ngọc";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Stack stack;
    private static final List<String[]> CALLERS = new ArrayList<>();
    private static String closedDossier;
    private static String closedCode;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        String[] citizen = TestIssuer.bearer("CITIZEN", "fuzz-citizen", null, CITIZEN_ID);
        String[] officer = TestIssuer.bearer("OFFICER", "fuzz-officer", AGENCY);
        CALLERS.add(citizen);
        CALLERS.add(officer);
        CALLERS.add(TestIssuer.bearer("AGENCY_SYSTEM", "fuzz-system", AGENCY));
        CALLERS.add(TestIssuer.bearer("PAYMENT_PLATFORM", "payment-platform", null));
        CALLERS.add(TestIssuer.bearer("INSPECTOR", "fuzz-inspector", null));
        CALLERS.add(TestIssuer.bearer("ANALYST", "fuzz-analyst", null));
        CALLERS.add(TestIssuer.operator());
        CALLERS.add(new String[0]);
        for (TestIssuer.BadToken bad : TestIssuer.BadToken.values()) {
            CALLERS.add(bad.bearer("OFFICER", "fuzz-officer", AGENCY));
        }
        // a dossier in a final state, rated: any command on it is refused, whoever sends it
        Http commands = stack.commands();
        Http.Answer submitted = commands.post("/api/v1/dossiers", """
                {"procedureCode":"2.000116","agencyCode":"%s",
                 "applicant":{"kind":"CITIZEN","idNumber":"%s","fullName":"%s"},
                 "documents":[{"name":"Đơn","kind":"FORM","contentHash":"sha256:%s","sizeBytes":2048}]}"""
                .formatted(AGENCY, CITIZEN_ID, NAME, "ab".repeat(32)), citizen);
        assertThat(submitted.status()).isEqualTo(201);
        closedDossier = submitted.body().path("dossierId").asText();
        String base = "/api/v1/dossiers/" + closedDossier;
        closedCode = commands.post(base + "/receipt", "{}", officer).body().path("dossierCode").asText();
        assertThat(commands.post(base + "/processing", "{\"unit\":\"Phòng A\"}", officer).status()).isEqualTo(200);
        assertThat(commands.post(base + "/result", "{\"decision\":\"APPROVED\",\"documents\":[]}", officer).status())
                .isEqualTo(200);
        assertThat(commands.post(base + "/result-return", "{\"channel\":\"ONLINE\"}", officer).status()).isEqualTo(200);
        assertThat(commands.post(base + "/rating", RATING, citizen).status()).isEqualTo(200);
        // the operator's skip of report number 1, so that no other number can be skipped
        assertThat(commands.post("/api/v1/sync/dossiers/" + closedDossier + "/skipped-numbers",
                "{\"sequence\":1,\"reason\":\"mất\"}", TestIssuer.operator()).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(List.of(closedDossier)));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void noHostileRequestBreaksAnythingOrGetsAServerError() throws Exception {
        List<String> endpoints = stack.endpoints();
        long eventsBefore = eventCount();
        Random random = new Random(SEED);
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Request request = generate(random, endpoints);
            Response response = send(request);
            byStatus.merge(response.status(), 1, Integer::sum);
            String problem = check(request, response);
            if (problem != null && failures.size() < 40) {
                failures.add("#" + i + " " + request.describe() + "\n      -> " + response.status() + " "
                        + response.contentType() + " " + response.bodyText(300) + "\n      " + problem);
            }
        }
        System.out.printf("hostile input: %d requests (seed %d) against %d endpoints; answers by status %s%n",
                REQUESTS, SEED, endpoints.size(), byStatus);
        assertThat(failures).as("hostile requests answered wrongly (seed %d)", SEED).isEmpty();
        assertThat(eventCount()).as("events in the store").isEqualTo(eventsBefore);
        // and the services still serve a normal request
        String[] inspector = TestIssuer.bearer("INSPECTOR", "fuzz-inspector", null);
        assertThat(stack.queries().get("/api/v1/dossiers/" + closedDossier + "/timeline", inspector).status())
                .isEqualTo(200);
        assertThat(stack.commands().get("/api/v1/dossiers/" + closedDossier + "/events", inspector).status())
                .isEqualTo(200);
    }

    /**
     * The classes of hostile input earlier fuzz runs found answered with 5xx, sent literally: each is a 4xx problem
     * (or served) naming the field the client sent, and every problem carries the request's {@code X-Request-Id}.
     */
    @Test
    void inputsThatOnceReachedServerErrorsAreRefusedAsTheClientsFault() {
        String[] officer = TestIssuer.bearer("OFFICER", "fuzz-officer", AGENCY);
        String[] system = TestIssuer.bearer("AGENCY_SYSTEM", "fuzz-system", AGENCY);
        // an Accept-Language the JDK's parser fails on with an ArrayIndexOutOfBoundsException: readiness and APIs
        for (String language : List.of("-", "-,en", "--,x")) {
            assertThat(stack.queries().get("/actuator/health/readiness", "Accept-Language", language).status())
                    .as("query readiness, Accept-Language %s", language).isEqualTo(200);
            assertThat(stack.commands().get("/actuator/health/readiness", "Accept-Language", language).status())
                    .as("command readiness, Accept-Language %s", language).isLessThan(500);
            Http.Answer refused = stack.queries().get("/api/v1/dossiers/" + closedDossier + "/timeline",
                    "Accept-Language", language, "X-Request-Id", "literal-language-1");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body().path("requestId").asText()).isEqualTo("literal-language-1");
            assertThat(refused.body().path("instance").asText()).isEqualTo("urn:hoso:request:literal-language-1");
        }
        // null members in the arrays of a search body
        for (String body : List.of("{\"status\":[null]}", "{\"status\":[\"RECEIVED\",null]}")) {
            Http.Answer refused = stack.queries().post("/api/v1/search/dossiers", body, concat(officer,
                    "X-Request-Id", "literal-null-member"));
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.body().path("errors").get(0).path("field").asText()).isEqualTo("status");
            assertThat(refused.body().path("requestId").asText()).isEqualTo("literal-null-member");
        }
        // forged cursors, null members above all: the cursor is at fault, in the body and in the query string
        for (String cursor : FORGED_CURSORS) {
            Http.Answer inBody = stack.queries().post("/api/v1/search/dossiers", "{\"cursor\":\"" + cursor + "\"}",
                    officer);
            assertThat(inBody.status()).as("cursor %s", cursor).isEqualTo(400);
            assertThat(inBody.body().path("errors").get(0).path("field").asText()).isEqualTo("cursor");
            assertThat(stack.queries().get("/api/v1/queue?cursor=" + cursor, officer).status())
                    .as("queue cursor %s", cursor).isEqualTo(400);
        }
        // an agency message id past its 200 characters is refused as messageId, the field the agency sent
        Http.Answer longMessageId = stack.commands().post("/api/v1/sync/dossiers/" + closedDossier + "/status",
                "{\"messageId\":\"" + "m".repeat(201) + "\",\"statusCode\":4,\"unit\":\"A\",\"sequence\":7}", system);
        assertThat(longMessageId.status()).isEqualTo(400);
        assertThat(longMessageId.body().path("errors").findValuesAsText("field")).containsExactly("messageId");
        // one of 196 to 200 characters is the agency's to send: it is taken as a message id, not refused as a header
        Http.Answer fullLength = stack.commands().post("/api/v1/sync/dossiers/" + closedDossier + "/status",
                "{\"messageId\":\"" + "m".repeat(198) + "\",\"statusCode\":4,\"unit\":\"A\",\"sequence\":7}", system);
        assertThat(fullLength.body().path("errors").findValuesAsText("field")).doesNotContain("Idempotency-Key");
        assertThat(fullLength.status()).as(fullLength.body().toString()).isEqualTo(409); // the closed dossier refuses it
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /**
     * Reads waiting for a version the read model does not have hold no request thread, and are bounded: past
     * {@code hoso.read-your-writes.max-waiting} (100) at once, one more is told {@code 503 BUSY} with
     * {@code Retry-After} at once (before any waiting read is answered), and a normal request is served meanwhile.
     */
    @Test
    void readsWaitingForTheirWriteAreBoundedAndHoldNoThread() throws Exception {
        String[] inspector = TestIssuer.bearer("INSPECTOR", "fuzz-inspector", null);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .executor(java.util.concurrent.Executors.newFixedThreadPool(16)).build();
        java.net.http.HttpRequest waiting = java.net.http.HttpRequest.newBuilder(URI.create(stack.queries().base()
                        + "/api/v1/dossiers/" + closedDossier + "/timeline?minVersion=999999"))
                .headers(inspector).timeout(Duration.ofSeconds(30)).build();
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> answers = new ArrayList<>();
        List<Long> finished = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Long> firstAnswerOf = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < 130; i++) {
            answers.add(client.sendAsync(waiting, java.net.http.HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        if (r != null) {
                            long at = System.nanoTime();
                            finished.add(at);
                            firstAnswerOf.merge(r.statusCode() * 1000 + (r.body().contains("BUSY") ? 1 : 0), at,
                                    Math::min);
                        }
                    }));
        }
        // while they wait, a normal request is served
        await().atMost(Duration.ofSeconds(2)).until(() -> firstAnswerOf.containsKey(503_001));
        assertThat(stack.queries().get("/api/v1/dossiers/" + closedDossier + "/timeline", inspector).status())
                .isEqualTo(200);
        Map<String, Integer> byCode = new TreeMap<>();
        for (var answer : answers) {
            var response = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            byCode.merge(JSON.readTree(response.body()).path("code").asText(), 1, Integer::sum);
        }
        System.out.printf("read-your-writes: 130 reads waiting for a version that never comes: %s%n", byCode);
        assertThat(byCode.get("BUSY")).as("reads past the bound").isGreaterThanOrEqualTo(30);
        assertThat(byCode.get("READ_MODEL_BEHIND")).as("reads within the bound").isPositive();
        // the busy ones were told at once: before any waiting one was answered
        assertThat(firstAnswerOf.get(503_001)).isLessThan(firstAnswerOf.get(503_000));
    }

    // ---- what an answer must be ------------------------------------------------------------------------------------

    private static String check(Request request, Response response) {
        int status = response.status();
        if (status == 0) {
            return "no answer at all";
        }
        boolean health = request.target().startsWith("/actuator/health")
                && (response.bodyText(200).startsWith("{\"status\":\"DOWN\"")
                || request.method().equals("HEAD") && status == 503); // (a HEAD has the status without the body)
        if (status >= 500 && !(status == 503 && (response.header("retry-after") != null || health))) {
            // (a health endpoint tells a component that is down with a 503: in this JVM the command side also checks
            // an Elasticsearch of its own, which the tests do not run)
            return "a server error for a client's request";
        }
        if (health) {
            return null;
        }
        if (status < 400) {
            return null;
        }
        if (request.method().equals("HEAD")) {
            return null; // no body to judge
        }
        String contentType = response.contentType();
        if (!contentType.startsWith("application/problem+json") && !contentType.startsWith("application/json")) {
            return "a refusal that is not a problem document";
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            return "a problem document that is not JSON";
        }
        if (!body.path("code").isTextual() || body.path("status").asInt() != status) {
            return "a problem document without a stable code or with another status";
        }
        String language = response.header("content-language");
        // a request line or headers past Tomcat's limit (8 kB) are refused while the headers are read: in the language
        // of the headers read by then, or Vietnamese, the default
        String wanted = request.language();
        boolean oversized = request.headSize() > 8000;
        if (language == null || !language.startsWith(wanted) && !(oversized && language.startsWith("vi"))
                && !(oversized && language.startsWith("en"))) {
            return "a problem in " + language + ", not in " + wanted;
        }
        String requestId = response.header("x-request-id");
        String sentId = request.headers().get("X-Request-Id");
        if (requestId == null || !requestId.equals(body.path("requestId").asText(null))
                || !("urn:hoso:request:" + requestId).equals(body.path("instance").asText(null))) {
            return "a problem whose requestId or instance is not the X-Request-Id header's " + requestId;
        }
        // (a head past Tomcat's limit is refused before its headers are read: the id sent is unknown then)
        if (sentId != null && sentId.matches("[A-Za-z0-9._-]{8,64}") && !sentId.equals(requestId)
                && request.headSize() <= 8000) {
            return "a problem with another request id than the one sent";
        }
        String text = response.bodyText(Integer.MAX_VALUE);
        if (text.contains(CITIZEN_ID) || text.contains(NAME) || text.contains("Bích Ngọc")) {
            return "a problem that echoes personal data";
        }
        return null;
    }

    // ---- generating ------------------------------------------------------------------------------------------------

    private record Request(String side, String method, String target, Map<String, String> headers, byte[] body) {
        String describe() {
            String shownTarget = target.length() > 160 ? target.substring(0, 160) + "...(" + target.length() + ")" : target;
            return side + " " + method + " " + shownTarget + " " + headers.keySet() + " accept="
                    + headers.get("Accept") + " lang=" + headers.get("Accept-Language") + " ct="
                    + headers.get("Content-Type") + " body=" + (body == null ? 0 : body.length) + "B";
        }

        /** The request line and headers, in bytes (roughly). */
        int headSize() {
            return target.length() + headers.entrySet().stream()
                    .mapToInt(h -> h.getKey().length() + h.getValue().length() + 4).sum();
        }

        /** The language a problem must be in: Vietnamese unless English is the first of the two asked for. */
        String language() {
            String asked = headers.getOrDefault("Accept-Language", "").toLowerCase();
            try {
                Locale.LanguageRange.parse(asked.isEmpty() ? "*" : asked);
            } catch (RuntimeException malformed) {
                return "vi"; // a header that cannot be read asks for nothing: the default
            }
            int en = asked.indexOf("en");
            int vi = asked.indexOf("vi");
            return en >= 0 && (vi < 0 || en < vi) && !asked.contains(";;") ? "en" : "vi";
        }
    }

    private static final String[] ODD_SEGMENTS = {"%00", "%2F", "%2f..%2f", "%ZZ", "%", "..", "..%2f..%2fetc%2fpasswd",
            "%ED%A0%80", "%C0%AF", "%F0%9F%98%80", "x".repeat(3000), "%20", "%27%20OR%201%3D1--", "%7B%22%24gt%22%3A1%7D",
            "null", "-1", "0", "00000000-0000-0000-0000-000000000000", "%3Cscript%3E", "a;b=c", "%E2%80%AE",
            "000.00.01.H22-260302-0001", CITIZEN_ID};
    private static final String[] ACCEPTS = {"application/json", "application/problem+json", "application/xml",
            "text/html", "image/png", "text/csv", "*/*;q=abc", "*/*", "", "application/json;charset=ebcdic",
            "text/*;q=0.1", "application/*", "garbage", "application/json, text/plain;q=0.5"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json;charset=UTF-8",
            "application/json;charset=UTF-16", "text/plain", "application/xml", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "garbage", "application/problem+json", "application/json;charset=ebcdic"};
    private static final String[] LANGUAGES = {"vi", "en", "en-US,en;q=0.9", "vi-VN", "fr", "*", "xx;;q=abc", "",
            "zh-Hant-TW", "fr;q=0.9, en;q=0.8", "-", "-,en", "en;q=2", "en-", "x-", "*;q=x", ",", ";q=1", "en;q=0.5.5",
            "en,".repeat(400), "i-klingon", "vi-VN-u-ca-"};
    /** Search cursors as a client could forge them (base64url of JSON), none issued by the service. */
    private static final String[] FORGED_CURSORS = cursors("[null,null]", "[null]", "[1,null]",
                    "[null,\"a\"]", "[{\"a\":1},\"x\"]", "[true,\"x\"]", "[\"x\",\"y\"]", "[]",
                    "[1,\"a\",2]", "[[1],\"a\"]", "{\"a\":1}");
    /** Cursors of the right shape with extreme members: served (or refused), never a server error. */
    private static final String[] ODD_CURSORS = cursors("[1e400,\"a\"]",
                    "[9223372036854775807,\"\\u0000\"]");
    /** Cursors as a client would make them: base64url of JSON. */
    private static String[] cursors(String... json) {
        return java.util.Arrays.stream(json).map(text -> Base64.getUrlEncoder().withoutPadding()
                .encodeToString(text.getBytes(StandardCharsets.UTF_8))).toArray(String[]::new);
    }

    private static final String[] PARAMETERS = {"size", "cursor", "after", "from", "to", "groupBy", "format", "status",
            "late", "open", "dueWithinWorkingDays", "minVersion", "sort", "order", "agency", "procedure", "readModel",
            "limit", "since", "q", "applicantId"};
    private static final String[] VALUES = {"", "-1", "0", "1", "5001", "2147483648", "99999999999999999999", "1e309",
            "NaN", "9999-12-31", "%2B10000-01-01", "0000-01-01", "2026-02-30", "%2B999999999-12-31", "-999999999-01-01",
            "2026-03-02T09:00:00Z", "9999-12-31T23:59:59Z", "abc", "%00", "x".repeat(5000), "%E2%80%AE", "true",
            "year", "csv", "json", "xml", "RECEIVED", "11", "timelines", "eyJ4IjoxfQ", "WyJhIiwxXQ", "W251bGxd",
            "bm90IGpzb24", "%27%20OR%201%3D1", CITIZEN_ID, FORGED_CURSORS[0], FORGED_CURSORS[2], FORGED_CURSORS[3]};

    private static Request generate(Random random, List<String> endpoints) {
        String endpoint = endpoints.get(random.nextInt(endpoints.size()));
        String[] parts = endpoint.split(" ");
        String side = parts[0];
        String method = random.nextInt(12) == 0 ? pick(random, "PUT", "DELETE", "PATCH", "GET", "POST", "HEAD")
                : parts[1];
        String path = fill(random, parts[2]);
        StringBuilder target = new StringBuilder(path);
        int parameters = random.nextInt(4);
        for (int p = 0; p < parameters; p++) {
            target.append(p == 0 ? '?' : '&').append(pick(random, PARAMETERS)).append('=').append(pick(random, VALUES));
        }
        if (random.nextInt(40) == 0) {
            target.append(target.indexOf("?") < 0 ? '?' : '&').append("pad=").append("y".repeat(9000));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String[] caller = CALLERS.get(random.nextInt(CALLERS.size()));
        if (caller.length == 2) {
            headers.put(caller[0], caller[1]);
        } else if (random.nextInt(6) == 0) {
            headers.put("Authorization", pick(random, "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer "
                    + "A".repeat(9000), "Bearer a.b.c", "bearer x"));
        }
        if (random.nextBoolean()) {
            headers.put("Accept", pick(random, ACCEPTS));
        }
        if (random.nextInt(3) > 0) {
            headers.put("Accept-Language", pick(random, LANGUAGES));
        }
        if (random.nextInt(4) == 0) {
            headers.put("X-Request-Id", pick(random, "fuzz-" + Long.toHexString(random.nextLong()), "short", "x".repeat(65),
                    "a b c d e f g h", "ÿÿÿÿÿÿÿÿÿ", ""));
        }
        if (random.nextInt(8) == 0) {
            headers.put("If-Match", pick(random, "\"0\"", "W/\"99999999999999999999\"", "*", "garbage", "\"-1\""));
        }
        if (random.nextInt(8) == 0) {
            headers.put("Idempotency-Key", pick(random, "k", "x".repeat(3000), "ключ", "a b"));
        }
        byte[] body = null;
        if (!method.equals("GET") && !method.equals("HEAD")) {
            body = body(random, parts[2]);
            headers.put("Content-Type", random.nextInt(3) == 0 ? pick(random, CONTENT_TYPES) : "application/json");
        }
        return new Request(side, method, target.toString(), headers, body);
    }

    /** A path with its variables filled in: the closed dossier, an absent one, or something odd. */
    private static String fill(Random random, String pattern) {
        String path = pattern.replace("/**", "/{rest}").replace("{*path}", "{rest}");
        StringBuilder filled = new StringBuilder();
        int at = 0;
        while (true) {
            int open = path.indexOf('{', at);
            if (open < 0) {
                filled.append(path.substring(at));
                break;
            }
            int close = path.indexOf('}', open);
            filled.append(path, at, open);
            String variable = path.substring(open + 1, close);
            int choice = random.nextInt(4);
            filled.append(switch (variable) {
                case "dossierId" -> choice == 0 ? closedDossier : choice == 1 ? UUID.randomUUID().toString()
                        : pick(random, ODD_SEGMENTS);
                case "dossierCode" -> choice == 0 ? closedCode : pick(random, ODD_SEGMENTS);
                case "readModel" -> choice == 0 ? "timelines" : pick(random, ODD_SEGMENTS);
                default -> choice == 0 ? "readiness" : pick(random, ODD_SEGMENTS);
            });
            at = close + 1;
        }
        if (random.nextInt(25) == 0) {
            filled.append(pick(random, "/%2e%2e/", "//", "/.", ";jsessionid=x", "/%00", "%2F"));
        }
        return filled.toString();
    }

    private static final String RATING = """
            {"level":"SATISFIED","criteria":{"TOTAL_TIME_AGAINST_LIMIT":2,"TIME_AT_EACH_UNIT":2,
            "NUMBER_OF_CONTACTS":2,"NUMBER_OF_AGENCIES_CONTACTED":2,"HANDLED_AT_ONE_STOP_DESK":2,
            "PROCEDURE_PUBLISHED":2,"STAFF_ATTITUDE":2,"FEEDBACK_HANDLING":2,"ONLINE_SERVICE_QUALITY":2}}""";

    /** A body for {@code pattern}: mostly plausible, always with something wrong or aimed at the closed dossier. */
    private static byte[] body(Random random, String pattern) {
        String plausible = plausible(pattern);
        String text = switch (random.nextInt(19)) {
            case 16 -> plausible.replace("[", "[null,");
            case 17 -> plausible.replaceFirst("\\{", java.util.regex.Matcher.quoteReplacement("{\"status\":[null,\"RECEIVED\"],"
                    + "\"cursor\":\"" + pick(random, pick(random, FORGED_CURSORS), ODD_CURSORS[0], ODD_CURSORS[1]) + "\","));
            case 18 -> plausible.replaceFirst("\"messageId\":\"[^\"]*\"", "\"messageId\":\"" + "m".repeat(190 + random.nextInt(20))
                    + "\"");
            case 0 -> "";
            case 1 -> "{";
            case 2 -> "[]";
            case 3 -> "null";
            case 4 -> "\"" + "x".repeat(random.nextInt(3_000_000)) + "\"";
            case 5 -> "[".repeat(20_000) + "]".repeat(20_000);
            case 6 -> "{\"a\":" .repeat(5_000) + "1" + "}".repeat(5_000);
            case 7 -> plausible.replaceFirst("\"[a-zA-Z]+\":", "\"" + "k".repeat(200) + "\":");
            case 8 -> plausible.replace("\"", "'");
            case 9 -> plausible.replaceAll(":\\s*\"[^\"]*\"", ":12345");
            case 10 -> plausible.replaceAll(":\\s*(\\d+)", ":\"$1x\"");
            case 11 -> "{\"documents\":[" + ("{\"name\":\"d\",\"kind\":\"FORM\",\"contentHash\":\"sha256:" + "ab".repeat(32)
                    + "\",\"sizeBytes\":1},").repeat(20_000) + "{}]}";
            case 12 -> "{\"level\":\"SATISFIED\",\"criteria\":{" + "\"K%d\":1,".repeat(10_000).formatted(
                    java.util.stream.IntStream.range(0, 10_000).boxed().toArray()) + "\"" + NAME + "\":2}}";
            case 13 -> plausible.replaceAll(":\\s*\"[^\"]*\"", java.util.regex.Matcher.quoteReplacement(":\""
                    + pick(random, "\\ud800", "\u202e" + NAME, "' OR 1=1 --", "{\\\"$gt\\\":\\\"\\\"}", "<script>alert(1)</script>", "\\u0000", "🙂".repeat(100),
                    "+999999999-12-31T23:59:59Z", "9999-12-31", "-1", CITIZEN_ID) + "\""));
            case 14 -> plausible.replaceAll(":\\s*(\\d+)", java.util.regex.Matcher.quoteReplacement(":" + pick(random,
                    "1e400", "-0", "9223372036854775808", "-9223372036854775809", "0.0000001", "1E2", "true", "null")));
            default -> plausible;
        };
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(30) == 0 && bytes.length > 2) {
            bytes[random.nextInt(bytes.length)] = (byte) 0xC3; // broken UTF-8
        }
        return bytes;
    }

    /** A body a command would take, aimed at the closed dossier (refused there) or a new dossier with a flaw. */
    private static String plausible(String pattern) {
        String tail = pattern.substring(pattern.lastIndexOf('/') + 1);
        String document = "{\"name\":\"" + NAME + "\",\"kind\":\"FORM\",\"contentHash\":\"sha256:" + "ab".repeat(32)
                + "\",\"sizeBytes\":2048}";
        return switch (tail) {
            // a submission with a flaw: an applicant ID that is not one (a valid one would append)
            case "dossiers" -> pattern.startsWith("/api/v1/search") ? "{\"q\":\"" + NAME + "\",\"size\":20}"
                    : "{\"procedureCode\":\"2.000116\",\"agencyCode\":\"" + AGENCY + "\",\"applicant\":{\"kind\":"
                    + "\"CITIZEN\",\"idNumber\":\"" + CITIZEN_ID + "9\",\"fullName\":\"" + NAME + "\"},\"documents\":["
                    + document + "]}";
            case "receipt", "retry" -> "{\"occurredAt\":\"2026-03-02T02:00:00Z\"}";
            case "intake-refusal", "stop" -> "{\"reasons\":[\"" + NAME + "\"]}";
            case "supplement-requests" -> "{\"missingItems\":[\"Ảnh\"],\"replyBy\":\"2026-03-20\",\"reason\":\"x\"}";
            case "supplements" -> "{\"documents\":[" + document + "]}";
            case "processing" -> "{\"unit\":\"Phòng A\"}";
            case "transfers" -> "{\"fromUnit\":\"A\",\"toUnit\":\"B\",\"note\":\"" + NAME + "\"}";
            case "steps" -> "{\"unit\":\"A\",\"step\":\"B\"}";
            case "payment-requests" -> "{\"feeItems\":[{\"code\":\"P\",\"name\":\"Phí\",\"amount\":50000}]}";
            case "payments" -> "{\"paymentReference\":\"F-1\",\"method\":\"ONLINE\",\"amount\":50000}";
            case "deadline-extensions" -> "{\"reason\":\"x\",\"newDueAt\":\"2026-04-30T10:00:00Z\"}";
            case "result" -> "{\"decision\":\"APPROVED\",\"documents\":[]}";
            case "result-return" -> "{\"channel\":\"ONLINE\"}";
            case "withdrawal" -> "{\"reason\":\"" + NAME + "\"}";
            case "rating" -> RATING;
            case "status" -> "{\"messageId\":\"m-1\",\"statusCode\":4,\"unit\":\"A\",\"sequence\":7}";
            case "skipped-numbers" -> "{\"sequence\":1,\"reason\":\"" + NAME + "\"}";
            case "by-applicant-id" -> "{\"applicantId\":\"" + CITIZEN_ID + "\"}";
            case "eviction" -> "{\"reason\":\"" + NAME + "\"}";
            default -> "{\"x\":1}";
        };
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }

    // ---- sending, over a raw socket ----------------------------------------------------------------------------------

    private record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        String bodyText(int max) {
            String text = new String(body, StandardCharsets.UTF_8);
            return text.length() > max ? text.substring(0, max) + "..." : text;
        }
    }

    private static Response send(Request request) throws IOException {
        Http http = request.side().equals("C") ? stack.commands() : stack.queries();
        URI base = URI.create(http.base());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write((request.method() + " " + request.target() + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(("Host: " + base.getHost() + ":" + base.getPort() + "\r\nConnection: close\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> header : request.headers().entrySet()) {
                out.write((header.getKey() + ": " + header.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (request.body() != null) {
                out.write(("Content-Length: " + request.body().length + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
            OutputStream socketOut = socket.getOutputStream();
            socketOut.write(out.toByteArray());
            if (request.body() != null) {
                try {
                    socketOut.write(request.body());
                } catch (IOException refusedEarly) {
                    // the server answered (413, say) and closed before the whole body was sent: read its answer
                }
            }
            socketOut.flush();
            return read(socket.getInputStream(), request.method().equals("HEAD"));
        }
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return new Response(0, Map.of(), all); // the connection closed without an answer
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        if (!head && "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, body);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = at;
            while (lineEnd + 1 < chunked.length && !(chunked[lineEnd] == '\r' && chunked[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String sizeText = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static long eventCount() {
        return stack.database().getCollection("events").countDocuments(new Document("void", new Document("$exists", false)));
    }
}
