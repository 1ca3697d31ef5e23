package vn.hoso.query.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: what a refused command costs next to an accepted one, on a running stack ({@code deploy/run.sh}). An
 * accepted command is a processing step on a dossier in processing (it appends one event); a refused one is a receipt
 * of a dossier whose result was returned, or a second start of its processing ({@code 409 ILLEGAL_TRANSITION}: decided
 * by the dossier, appends nothing; the refused receipt is the costlier path, as a receipt reserves a dossier code).
 * Measured alone (one at a time, {@code hoso.bench.rounds} of each, interleaved) and 40 at a time (bursts of 40 sent
 * together, each on a dossier of its own). Tokens of the development authorization server:
 * <pre>
 * ./mvnw -B verify -pl query-side -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=CommandLatencyBenchmark \
 *   -Dhoso.bench.citizen="$(deploy/token.sh citizen-an)" -Dhoso.bench.officer="$(deploy/token.sh officer-h22)"
 * </pre>
 */
class CommandLatencyBenchmark {

    private static final String AGENCY = "000.00.01.H22";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int AT_ONCE = 40;

    private final String command = System.getProperty("hoso.bench.command", "http://127.0.0.1:8080");
    private final String[] citizen = {"Authorization", "Bearer " + System.getProperty("hoso.bench.citizen", "")};
    private final String[] officer = {"Authorization", "Bearer " + System.getProperty("hoso.bench.officer", "")};
    private final int rounds = Integer.getInteger("hoso.bench.rounds", 200);
    private final int bursts = Integer.getInteger("hoso.bench.bursts", 12);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(AT_ONCE)).build();
    private final Map<Integer, Integer> statuses = Collections.synchronizedMap(new TreeMap<>());

    @Test
    void refusedAndAcceptedCommandsSideBySide() throws Exception {
        List<String> processing = new ArrayList<>();
        List<String> returned = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            processing.add(dossier(false));
            returned.add(dossier(true));
        }
        // warm-up: both paths, as many as a round
        for (int i = 0; i < 50; i++) {
            accepted(processing.get(i % AT_ONCE));
            refused(returned.get(i % AT_ONCE));
        }
        statuses.clear();
        List<Long> acceptedAlone = new ArrayList<>();
        List<Long> refusedAlone = new ArrayList<>();
        List<Long> refusedStartAlone = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            acceptedAlone.add(accepted(processing.get(i % AT_ONCE)));
            refusedAlone.add(refused(returned.get(i % AT_ONCE)));
            refusedStartAlone.add(timed(returned.get(i % AT_ONCE) + "/processing", "{\"unit\":\"Phòng A\"}", 409));
        }
        List<Long> acceptedTogether = Collections.synchronizedList(new ArrayList<>());
        List<Long> refusedTogether = Collections.synchronizedList(new ArrayList<>());
        List<Long> refusedStartTogether = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(AT_ONCE);
        try {
            List<Client> kinds = List.of(i -> acceptedTogether.add(accepted(processing.get(i))),
                    i -> refusedTogether.add(refused(returned.get(i))),
                    i -> refusedStartTogether.add(timed(returned.get(i) + "/processing", "{\"unit\":\"Phòng A\"}", 409)));
            for (int b = 0; b < bursts; b++) {
                // each kind in turn right after the accepted burst, whose 40 events the query side then projects
                for (int k = 0; k < kinds.size(); k++) {
                    burst(clients, kinds.get((b + k) % kinds.size()));
                }
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.printf("%ncommand latency against %s, %d cores here; answers by status %s%n", command,
                Runtime.getRuntime().availableProcessors(), statuses);
        System.out.printf("%-42s %8s %8s %8s %8s%n", "", "n", "p50 ms", "p95 ms", "p99 ms");
        row("accepted (a step), alone", acceptedAlone);
        row("refused receipt (409), alone", refusedAlone);
        row("refused start of processing (409), alone", refusedStartAlone);
        row("accepted, " + AT_ONCE + " at a time", acceptedTogether);
        row("refused receipt, " + AT_ONCE + " at a time", refusedTogether);
        row("refused start, " + AT_ONCE + " at a time", refusedStartTogether);
    }

    private interface Client {
        void send(int index) throws Exception;
    }

    private void burst(ExecutorService clients, Client client) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> sent = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            int index = i;
            sent.add(clients.submit((Callable<Object>) () -> {
                go.await();
                client.send(index);
                return null;
            }));
        }
        go.countDown();
        for (Future<Object> future : sent) {
            future.get();
        }
    }

    private String dossier(boolean returnResult) throws Exception {
        JsonNode submitted = JSON.readTree(post("/api/v1/dossiers", """
                {"procedureCode":"2.000116","agencyCode":"%s",
                 "applicant":{"kind":"BUSINESS","idNumber":"0100109106","fullName":"Công ty Độ trễ"},
                 "documents":[{"name":"Hồ sơ","kind":"FORM","contentHash":"sha256:%s","sizeBytes":1}]}
                """.formatted(AGENCY, "ab".repeat(32)), citizen, 201).body());
        String base = "/api/v1/dossiers/" + submitted.path("dossierId").asText();
        post(base + "/receipt", "{}", officer, 200);
        post(base + "/processing", "{\"unit\":\"Phòng Quản lý\"}", officer, 200);
        if (returnResult) {
            post(base + "/result", "{\"decision\":\"APPROVED\",\"documents\":[]}", officer, 200);
            post(base + "/result-return", "{\"channel\":\"ONLINE\"}", officer, 200);
        }
        return base;
    }

    private long accepted(String base) throws Exception {
        return timed(base + "/steps", "{\"unit\":\"Phòng Quản lý\",\"step\":\"Thẩm định\"}", 200);
    }

    private long refused(String base) throws Exception {
        return timed(base + "/receipt", "{}", 409);
    }

    private long timed(String path, String body, int expected) throws Exception {
        long start = System.nanoTime();
        post(path, body, officer, expected);
        return System.nanoTime() - start;
    }

    private HttpResponse<String> post(String path, String body, String[] headers, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(command + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").headers(headers)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        statuses.merge(response.statusCode(), 1, Integer::sum);
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ", not " + expected + ": "
                    + response.body());
        }
        return response;
    }

    private static void row(String name, List<Long> nanos) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        Collections.sort(sorted);
        System.out.printf("%-42s %8d %8.1f %8.1f %8.1f%n", name, sorted.size(), ms(sorted, 0.50), ms(sorted, 0.95),
                ms(sorted, 0.99));
    }

    private static double ms(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
}
