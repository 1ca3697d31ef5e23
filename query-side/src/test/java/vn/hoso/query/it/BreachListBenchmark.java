package vn.hoso.query.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.TestIssuer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test: a benchmark of the inspectors' breach lists over {@code hoso.bench.dossiers} (1,000,000) dossiers'
 * search documents, bulk-loaded straight into the index of a started stack (generated, in the mapping's shape: 63
 * agencies, 50 procedures, two years of submissions, every kind of breach), on the query side's fixed clock. For each
 * kind of breach it prints the first page (100 rows, exact total) of one agency's list and of all agencies' through the
 * API, p50/p99, next to the same query sent straight to Elasticsearch (the raw index query the list is built on), then
 * a walk of 20 pages by cursor and one agency's whole list as CSV. Run it with
 * {@code ./mvnw -B verify -pl query-side -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=BreachListBenchmark}.
 */
class BreachListBenchmark {

    private static final ZoneId HANOI = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final Instant NOW = Instant.parse("2026-09-15T03:00:00Z");
    private static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "inspector-bench", null);
    private static final int SAMPLES = 40;
    private static final String[] KINDS = {"LATE_NOW", "RESULT_LATE", "EXTENDED", "PAUSED_PAST_REPLY_BY",
            "REPEATED_SUPPLEMENT_REQUEST", "LATE_REPORT", "RESULT_RECORDED_LATE"};
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void breachListsOverAMillionDossiers() throws Exception {
        int dossiers = Integer.getInteger("hoso.bench.dossiers", 1_000_000);
        try (Stack stack = new Stack(TestTimeHolder.COMMAND, Clock.fixed(NOW, ZoneId.of("UTC")), false,
                "--hoso.completeness.every=0")) {
            String es = stack.elasticsearch.url();
            long start = System.nanoTime();
            load(es, stack.alias, dossiers);
            send("POST", es + "/" + stack.alias + "/_refresh", null);
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            JsonNode count = Http.JSON.readTree(send("GET", es + "/" + stack.alias + "/_count", null));
            assertThat(count.path("count").asLong()).isEqualTo(dossiers);
            System.out.printf("%nbreach lists over %,d dossiers (bulk-loaded in %.0f s), %d cores, %d samples each,"
                    + " ms%n", dossiers, loadSeconds, Runtime.getRuntime().availableProcessors(), SAMPLES);
            System.out.printf("%-28s %9s | %-19s | %-19s | %-19s%n", "kind", "total", "API one agency p50/99",
                    "API all p50/99", "raw ES all p50/99");
            Random random = new Random(11);
            for (String kind : KINDS) {
                List<Double> agencyApi = new ArrayList<>();
                List<Double> allApi = new ArrayList<>();
                List<Double> allRaw = new ArrayList<>();
                long total = 0;
                for (int i = 0; i < SAMPLES + 5; i++) {
                    boolean counted = i >= 5;
                    String agency = agency(random.nextInt(63));
                    long t = System.nanoTime();
                    Http.Answer one = stack.queries().get("/api/v1/audit/breaches?kind=" + kind + "&agency=" + agency
                            + "&size=100", INSPECTOR);
                    record(counted, agencyApi, t);
                    assertThat(one.status()).as(one.body().toString()).isEqualTo(200);
                    t = System.nanoTime();
                    Http.Answer all = stack.queries().get("/api/v1/audit/breaches?kind=" + kind + "&size=100",
                            INSPECTOR);
                    record(counted, allApi, t);
                    total = all.body().path("total").asLong();
                    t = System.nanoTime();
                    JsonNode raw = Http.JSON.readTree(send("POST", es + "/" + stack.alias + "/_search",
                            rawQuery(kind)));
                    record(counted, allRaw, t);
                    assertThat(raw.path("hits").path("total").path("value").asLong()).isEqualTo(total);
                }
                System.out.printf("%-28s %,9d | %8.1f %8.1f | %8.1f %8.1f | %8.1f %8.1f%n", kind, total,
                        p(agencyApi, 50), p(agencyApi, 99), p(allApi, 50), p(allApi, 99), p(allRaw, 50), p(allRaw, 99));
            }
            // 20 pages of 100 by cursor, deep into the largest list
            List<Double> pages = new ArrayList<>();
            String next = null;
            for (int page = 0; page < 20; page++) {
                long t = System.nanoTime();
                JsonNode body = stack.queries().get("/api/v1/audit/breaches?kind=RESULT_LATE&size=100"
                        + (next == null ? "" : "&after=" + next), INSPECTOR).body();
                record(true, pages, t);
                next = body.path("next").asText();
            }
            System.out.printf("RESULT_LATE, 20 pages of 100 by cursor: p50 %.1f ms, p99 %.1f ms%n", p(pages, 50),
                    p(pages, 99));
            long t = System.nanoTime();
            String csv = stack.queries().getText("/api/v1/audit/breaches?kind=RESULT_LATE&agency=" + agency(7)
                    + "&format=csv", INSPECTOR);
            System.out.printf("one agency's RESULT_LATE list as CSV: %,d rows in %.0f ms%n", csv.lines().count() - 1,
                    (System.nanoTime() - t) / 1e6);
        }
    }

    /** The query each list runs, written here as Elasticsearch's own JSON, with the list's sort, size and total. */
    private static String rawQuery(String kind) {
        String today = LocalDate.ofInstant(NOW, HANOI).toString();
        String filter = switch (kind) {
            case "LATE_NOW" -> "{\"bool\":{\"filter\":[{\"terms\":{\"status\":[\"PROCESSING\",\"RECEIVED\"]}},"
                    + "{\"range\":{\"statutoryDueAt\":{\"lt\":\"" + NOW + "\"}}}]}}";
            case "RESULT_LATE" -> "{\"term\":{\"onTime\":false}}";
            case "EXTENDED" -> "{\"term\":{\"extended\":true}}";
            case "PAUSED_PAST_REPLY_BY" -> "{\"bool\":{\"minimum_should_match\":1,\"should\":[{\"range\":"
                    + "{\"pausesPastReplyBy\":{\"gte\":1}}},{\"bool\":{\"filter\":[{\"term\":{\"status\":"
                    + "\"SUPPLEMENT_REQUESTED\"}},{\"range\":{\"replyBy\":{\"lt\":\"" + today + "\"}}}]}}]}}";
            case "REPEATED_SUPPLEMENT_REQUEST" -> "{\"range\":{\"supplementRequests\":{\"gte\":2}}}";
            case "LATE_REPORT" -> "{\"range\":{\"reportLatenessMinutes\":{\"gt\":1440}}}";
            default -> "{\"term\":{\"resultRecordedLate\":true}}";
        };
        return "{\"size\":100,\"track_total_hits\":true,\"query\":{\"bool\":{\"filter\":[" + filter + "]}},"
                + "\"sort\":[{\"submittedAt\":\"desc\"},{\"dossierId\":\"desc\"}]}";
    }

    private static String agency(int n) {
        return "000.00.%02d.H%02d".formatted(n % 30 + 1, n + 1);
    }

    /** Bulk-loads generated search documents, 5,000 a request. */
    private void load(String es, String alias, int dossiers) throws Exception {
        Random random = new Random(20260915L);
        Instant from = Instant.parse("2024-09-15T00:00:00Z");
        long span = Duration.between(from, NOW).toSeconds();
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < dossiers; i++) {
            String id = new UUID(random.nextLong(), random.nextLong()).toString();
            Instant submitted = from.plusSeconds((long) (random.nextDouble() * span));
            Instant received = submitted.plusSeconds(3600);
            Instant statutory = received.plus(Duration.ofDays(7 + random.nextInt(20)));
            boolean extended = random.nextInt(20) == 0;
            int roll = random.nextInt(100);
            String status = roll < 55 ? "RESULT_RETURNED" : roll < 65 ? "RESULT_READY" : roll < 80 ? "PROCESSING"
                    : roll < 85 ? "RECEIVED" : roll < 92 ? "SUPPLEMENT_REQUESTED" : roll < 95 ? "WITHDRAWN" : "STOPPED";
            boolean result = status.startsWith("RESULT");
            Instant issued = result ? statutory.minus(Duration.ofDays(3)).plus(Duration.ofDays(random.nextInt(5)))
                    : null;
            boolean onTime = issued != null && !issued.isAfter(statutory);
            long lateness = random.nextInt(50) == 0 ? 60L * (25 + random.nextInt(700)) : random.nextInt(5);
            Instant recorded = issued == null ? null : issued.plus(Duration.ofMinutes(lateness));
            int requests = random.nextInt(12) == 0 ? 2 : random.nextInt(4) == 0 ? 1 : 0;
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("dossierId", id);
            doc.put("lastSequence", 6);
            doc.put("dossierCode", "%s-%s-%06d".formatted(agency(i % 63), "260915", i));
            doc.put("procedureCode", "1.%06d".formatted(random.nextInt(50)));
            doc.put("agencyCode", agency(random.nextInt(63)));
            doc.put("status", status);
            doc.put("open", !(status.equals("RESULT_RETURNED") || status.equals("WITHDRAWN")
                    || status.equals("STOPPED")));
            doc.put("paused", status.equals("SUPPLEMENT_REQUESTED"));
            doc.put("channel", random.nextBoolean() ? "ONLINE" : "DESK");
            doc.put("submittedAt", submitted.toString());
            doc.put("receivedAt", received.toString());
            doc.put("dueAt", (extended ? statutory.plus(Duration.ofDays(10)) : statutory).toString());
            doc.put("statutoryDueAt", statutory.toString());
            doc.put("extended", extended);
            doc.put("supplementRequests", requests);
            if (status.equals("SUPPLEMENT_REQUESTED")) {
                doc.put("replyBy", LocalDate.ofInstant(received, HANOI).plusDays(10 + random.nextInt(30)).toString());
            }
            doc.put("pausesPastReplyBy", requests > 0 && random.nextInt(10) == 0 ? 1 : 0);
            doc.put("reportLatenessMinutes", lateness);
            if (issued != null) {
                doc.put("resultIssuedAt", issued.toString());
                doc.put("resultRecordedAt", recorded.toString());
                doc.put("onTime", onTime);
                doc.put("resultRecordedLate", onTime && recorded.isAfter(statutory));
            }
            bulk.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n")
                    .append(Http.JSON.writeValueAsString(doc)).append('\n');
            if ((i + 1) % 5_000 == 0 || i == dossiers - 1) {
                JsonNode answer = Http.JSON.readTree(send("POST", es + "/" + alias + "/_bulk", bulk.toString()));
                assertThat(answer.path("errors").asBoolean()).as(answer.toString().substring(0, 500)).isFalse();
                bulk.setLength(0);
            }
        }
    }

    private String send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", body != null && url.endsWith("_bulk") ? "application/x-ndjson"
                        : "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return response.body();
    }

    private static void record(boolean counted, List<Double> into, long startNanos) {
        if (counted) {
            into.add((System.nanoTime() - startNanos) / 1e6);
        }
    }

    private static double p(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }

    /** The command side's clock: the stack's default test clock (no command is given here). */
    private static final class TestTimeHolder {
        static final Clock COMMAND = Clock.fixed(NOW, ZoneId.of("UTC"));
    }
}
