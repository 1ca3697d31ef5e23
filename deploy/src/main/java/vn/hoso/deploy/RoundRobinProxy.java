package vn.hoso.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One address in front of several instances of a service, for the local run script ({@code COMMAND_INSTANCES},
 * {@code QUERY_INSTANCES}): each request goes to the next instance in turn; an instance that refuses connections is
 * skipped for 5 s and the request goes to the next one (it never reached the refused one, so that is safe for any
 * request). A production deployment puts its own load balancer here (any HTTP one: no instance needs stickiness).
 * <p>
 * {@code java -cp deploy.jar vn.hoso.deploy.RoundRobinProxy PORT http://127.0.0.1:8181 http://127.0.0.1:8182}
 */
public final class RoundRobinProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
            "date");
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final long SKIP_NANOS = Duration.ofSeconds(5).toNanos();

    private final List<URI> backends;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(64);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicInteger next = new AtomicInteger();
    private final Map<URI, Long> refusedAt = new ConcurrentHashMap<>();

    private RoundRobinProxy(int port, List<URI> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.server = HttpServer.create(new InetSocketAddress(port), 256);
        server.createContext("/", this::forward);
        server.setExecutor(workers);
        server.start();
    }

    public static RoundRobinProxy start(int port, List<URI> backends) throws IOException {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("no instance to forward to");
        }
        return new RoundRobinProxy(port, backends);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                problem(exchange, 413, "BODY_TOO_LARGE", "the request body is over " + MAX_BODY + " bytes");
                return;
            }
            int start = Math.floorMod(next.getAndIncrement(), backends.size());
            for (int attempt = 0; attempt < backends.size(); attempt++) {
                URI backend = backends.get((start + attempt) % backends.size());
                Long refused = refusedAt.get(backend);
                if (refused != null && System.nanoTime() - refused < SKIP_NANOS && attempt < backends.size() - 1) {
                    continue;
                }
                HttpResponse<InputStream> response;
                try {
                    response = client.send(request(exchange, backend, body), HttpResponse.BodyHandlers.ofInputStream());
                } catch (ConnectException | HttpConnectTimeoutException e) {
                    refusedAt.put(backend, System.nanoTime());
                    continue; // the request never reached this instance: the next one may take it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (IOException e) {
                    // the instance may have acted on it: the client decides whether to retry (Idempotency-Key)
                    problem(exchange, 502, "UPSTREAM_FAILED", "the instance " + backend + " did not answer: "
                            + e.getClass().getSimpleName());
                    return;
                }
                refusedAt.remove(backend);
                response.headers().map().forEach((name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
                long length = response.headers().firstValueAsLong("content-length").orElse(-1);
                boolean empty = length == 0 || response.statusCode() == 204 || response.statusCode() == 304
                        || "HEAD".equals(exchange.getRequestMethod());
                exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : Math.max(length, 0));
                try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
                    if (!empty) {
                        in.transferTo(out);
                    }
                }
                return;
            }
            problem(exchange, 503, "NO_INSTANCE", "no instance accepts connections: " + backends);
        }
    }

    private HttpRequest request(HttpExchange exchange, URI backend, byte[] body) {
        URI target = URI.create(backend.toString().replaceAll("/$", "") + exchange.getRequestURI().toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        request.header("X-Forwarded-For", exchange.getRemoteAddress().getAddress().getHostAddress());
        request.header("X-Forwarded-Host", String.valueOf(exchange.getRequestHeaders().getFirst("Host")));
        return request.build();
    }

    private static void problem(HttpExchange exchange, int status, String code, String detail) throws IOException {
        byte[] json = ("{\"type\":\"about:blank\",\"title\":\"" + code + "\",\"status\":" + status + ",\"code\":\""
                + code + "\",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        if (status == 503) {
            exchange.getResponseHeaders().set("Retry-After", "5");
        }
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
    }

    /** {@code RoundRobinProxy PORT BACKEND_URL...}; prints {@code READY} when it listens. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: RoundRobinProxy PORT http://host:port [http://host:port ...]");
            System.exit(2);
        }
        List<URI> backends = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            backends.add(URI.create(args[i]));
        }
        RoundRobinProxy proxy = start(Integer.parseInt(args[0]), backends);
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close));
        System.out.println("READY http://127.0.0.1:" + proxy.port() + " -> " + backends);
    }
}
