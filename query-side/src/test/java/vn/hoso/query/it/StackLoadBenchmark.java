package vn.hoso.query.it;

import vn.hoso.command.it.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: load on a running stack ({@code deploy/run.sh}). Each client walks dossiers through their life (submit,
 * receive, start processing, two steps, issue and return the result: 7 commands each) as fast as the stack answers,
 * for {@code hoso.bench.seconds} (60) per client count in {@code hoso.bench.clients} (4,16). Prints commands per
 * second, command latency p50/p95/p99, and the projection lag: from a command's answer until the dossier's timeline
 * on the query side shows that version (one command in ten is followed, by probes polling every 20 ms; a command
 * is not followed when both probes are busy: probes must not load the query side much themselves). On a stack that
 * has it, the query side's own {@code hoso_projection_lag} (event creation to read-model write) is printed too. Run it with
 * {@code ./mvnw -B verify -pl query-side -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=StackLoadBenchmark}
 * ({@code hoso.bench.command} and {@code hoso.bench.query} name the sides, default ports 8080 and 8081); the table
 * is also written to {@code query-side/target/stack-load-benchmark.txt}.
 */
class StackLoadBenchmark {

    private static final String AGENCY = "000.00.01.H22";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String command = System.getProperty("hoso.bench.command", "http://127.0.0.1:8080");
    private final String query = System.getProperty("hoso.bench.query", "http://127.0.0.1:8081");
    private final Duration duration = Duration.ofSeconds(Long.getLong("hoso.bench.seconds", 60));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path report = Path.of("target", "stack-load-benchmark.txt");

    @Test
    void throughputLatencyAndProjectionLag() throws Exception {
        print("%nstack load benchmark against %s and %s, %d cores here, %s per run%n", command, query,
                Runtime.getRuntime().availableProcessors(), duration);
        print("%-8s %9s %10s %8s | %-24s | %-22s | %s%n", "clients", "commands", "commands/s", "errors",
                "latency p50/p95/p99 ms", "lag p50/p99 ms (n)", "query side's own lag");
        for (String clients : System.getProperty("hoso.bench.clients", "4,16").split(",")) {
            run(Integer.parseInt(clients.trim()));
        }
    }

    private void run(int clients) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Long> lags = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        AtomicLong sequence = new AtomicLong();
        ThreadPoolExecutor probes = new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES, new SynchronousQueue<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String client = "c" + clients + "-" + c;
            running.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    lifecycle(client + "-" + sequence.incrementAndGet(), latencies, lags, errors, probes, end);
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        probes.shutdown();
        probes.awaitTermination(1, TimeUnit.MINUTES);
        List<Long> latency = sorted(latencies);
        List<Long> lag = sorted(lags);
        print("%-8d %9d %10.1f %8d | %6.1f / %6.1f / %-8.1f | %6.1f / %-6.1f (%d) | %s%n", clients, latency.size(),
                latency.size() / seconds, errors.get(), ms(latency, 0.50), ms(latency, 0.95), ms(latency, 0.99),
                ms(lag, 0.50), ms(lag, 0.99), lag.size(), serverSideLag());
    }

    private void lifecycle(String name, List<Long> latencies, List<Long> lags, AtomicInteger errors,
                           ThreadPoolExecutor probes, long end) throws Exception {
        String[] citizen = TestIssuer.bearer("CITIZEN", "citizen-" + name, null);
        String[] officer = TestIssuer.bearer("OFFICER", "officer-bench", AGENCY);
        JsonNode submitted = send("/api/v1/dossiers", """
                {"procedureCode":"2.000116","agencyCode":"%s",
                 "applicant":{"kind":"BUSINESS","idNumber":"0100109106","fullName":"Công ty %s"},
                 "documents":[{"name":"Hồ sơ","kind":"FORM","contentHash":"sha256:%s","sizeBytes":1}]}
                """.formatted(AGENCY, name, "ab".repeat(32)), citizen, latencies, lags, errors, probes, null);
        if (submitted == null) {
            return;
        }
        String id = submitted.path("dossierId").asText();
        String base = "/api/v1/dossiers/" + id;
        List<String[]> steps = List.of(
                new String[]{"/receipt", "{}"},
                new String[]{"/processing", "{\"unit\":\"Phòng Quản lý\"}"},
                new String[]{"/steps", "{\"unit\":\"Phòng Quản lý\",\"step\":\"Thẩm định\"}"},
                new String[]{"/steps", "{\"unit\":\"Lãnh đạo\",\"step\":\"Phê duyệt\"}"},
                new String[]{"/result", "{\"decision\":\"APPROVED\",\"documents\":[]}"},
                new String[]{"/result-return", "{\"channel\":\"ONLINE\"}"});
        for (String[] step : steps) {
            if (System.nanoTime() > end || send(base + step[0], step[1], officer, latencies, lags, errors, probes, id) == null) {
                return;
            }
        }
    }

    /** Sends one command; follows one in three until the timeline shows it. Returns the answer, null on an error. */
    private JsonNode send(String path, String body, String[] headers, List<Long> latencies, List<Long> lags,
                          AtomicInteger errors, ThreadPoolExecutor probes, String knownId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(command + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").headers(headers)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        latencies.add(answered - sent);
        if (response.statusCode() / 100 != 2) {
            errors.incrementAndGet();
            return null;
        }
        JsonNode answer = JSON.readTree(response.body());
        long version = answer.path("version").asLong();
        String id = knownId != null ? knownId : answer.path("dossierId").asText();
        if ((latencies.size() % 10) == 0) {
            try {
                probes.execute(() -> follow(id, version, answered, lags));
            } catch (RejectedExecutionException busy) {
                // every probe is busy: this command is not followed
            }
        }
        return answer;
    }

    private void follow(String id, long version, long answeredAt, List<Long> lags) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(query + "/api/v1/dossiers/" + id + "/timeline"))
                .timeout(Duration.ofSeconds(10)).headers(TestIssuer.bearer("INSPECTOR", "inspector-bench", null))
                .GET().build();
        long deadline = answeredAt + TimeUnit.SECONDS.toNanos(60);
        try {
            while (System.nanoTime() < deadline) {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && JSON.readTree(response.body()).path("lastSequence").asLong(-1) >= version) {
                    lags.add(System.nanoTime() - answeredAt);
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(20); // the probe's polling interval, not a wait for a test's outcome
            }
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The query side's own lag percentiles for the timelines (last minute), where it measures them. */
    private String serverSideLag() {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(query + "/actuator/prometheus")).headers(TestIssuer.operator()).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            StringBuilder figures = new StringBuilder();
            for (String quantile : List.of("0.5", "0.99")) {
                metrics.lines().filter(l -> l.startsWith("hoso_projection_lag_seconds{") && l.contains("quantile=\"" + quantile + "\"")
                                && l.contains("readModel=\"timelines\""))
                        .findFirst().ifPresent(l -> figures.append(figures.isEmpty() ? "" : " / ").append(String.format("%.1f",
                                Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) * 1000)));
            }
            return figures.isEmpty() ? "n/a" : figures + " ms (server side p50 / p99)";
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "n/a";
        }
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> copy;
        synchronized (values) {
            copy = new ArrayList<>(values);
        }
        Collections.sort(copy);
        return copy;
    }

    private static double ms(List<Long> sortedNanos, double p) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        return sortedNanos.get(Math.min(sortedNanos.size() - 1, (int) Math.ceil(p * sortedNanos.size()) - 1)) / 1e6;
    }

    private void print(String format, Object... arguments) throws IOException {
        String line = String.format(format, arguments);
        System.out.print(line);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
