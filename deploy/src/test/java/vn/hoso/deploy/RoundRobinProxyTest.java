package vn.hoso.deploy;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The local run script's one address in front of several instances: turns, headers and bodies both ways, failover. */
class RoundRobinProxyTest {

    private final List<HttpServer> instances = new ArrayList<>();
    private RoundRobinProxy proxy;
    private final HttpClient client = HttpClient.newHttpClient();

    /** An instance that answers with its name, the request's method, body and If-Match, and an ETag. */
    private URI instance(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = (name + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("If-Match") + " " + body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("ETag", "\"7\"");
            exchange.sendResponseHeaders(201, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        instances.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
                .header("If-Match", "\"6\"").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        instances.forEach(server -> server.stop(0));
    }

    @Test
    void requestsTakeTurnsAndCarryHeadersAndBodiesBothWays() throws Exception {
        proxy = RoundRobinProxy.start(0, List.of(instance("a"), instance("b")));
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = post("/api/v1/dossiers/x/steps?lang=vi", "{\"n\":" + i + "}");
            assertEquals(201, response.statusCode());
            assertEquals("\"7\"", response.headers().firstValue("ETag").orElse(null));
            answers.add(response.body());
        }
        assertEquals(List.of("a POST /api/v1/dossiers/x/steps?lang=vi \"6\" {\"n\":0}",
                "b POST /api/v1/dossiers/x/steps?lang=vi \"6\" {\"n\":1}",
                "a POST /api/v1/dossiers/x/steps?lang=vi \"6\" {\"n\":2}",
                "b POST /api/v1/dossiers/x/steps?lang=vi \"6\" {\"n\":3}"), answers);
    }

    @Test
    void anInstanceThatRefusesConnectionsIsSkipped() throws Exception {
        proxy = RoundRobinProxy.start(0, List.of(closedPort(), instance("b")));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = post("/x", "");
            assertEquals(201, response.statusCode());
            assertEquals("b POST /x \"6\" ", response.body());
        }
    }

    @Test
    void noInstanceLeftIsAProblemWithRetryAfter() throws Exception {
        proxy = RoundRobinProxy.start(0, List.of(closedPort()));
        HttpResponse<String> response = post("/x", "");
        assertEquals(503, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("5", response.headers().firstValue("Retry-After").orElse(null));
    }
}
