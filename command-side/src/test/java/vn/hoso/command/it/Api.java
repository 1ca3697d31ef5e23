package vn.hoso.command.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small HTTP client for the command API, speaking JSON as a client would (no production classes). */
final class Api {

    static final String AGENCY = "000.00.01.H22";
    static final String[] CITIZEN = TestIssuer.bearer("CITIZEN", "citizen-it-1", null);
    static final String[] OTHER_CITIZEN = TestIssuer.bearer("CITIZEN", "citizen-it-2", null);
    static final String[] OFFICER = TestIssuer.bearer("OFFICER", "officer-it-1", AGENCY);
    static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "inspector-it-1", null);
    static final String[] PAYMENT_PLATFORM = TestIssuer.bearer("PAYMENT_PLATFORM", "payment-platform", null);
    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    /** One client for every test of the JVM: a client per request would open a connection and a thread for each. */
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(String base) {
        this.base = base;
    }

    record Answer(int status, HttpResponse<String> raw, JsonNode body) {
        String etag() {
            return raw.headers().firstValue("ETag").orElse(null);
        }

        String code() {
            return body.path("code").asText(null);
        }

        long version() {
            return body.path("version").asLong(-1);
        }

        String contentType() {
            return raw.headers().firstValue("Content-Type").orElse("");
        }

        List<String> fieldsAtFault() {
            List<String> fields = new ArrayList<>();
            body.path("errors").forEach(e -> fields.add(e.path("field").asText()));
            return fields;
        }
    }

    Answer post(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    Answer postRaw(String path, String contentType, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    Answer get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    String getText(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Answer send(HttpRequest.Builder builder, String... headers) {
        if (headers.length > 0) {
            builder.headers(headers);
        }
        try {
            HttpResponse<String> response = client.send(builder.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), response, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String[] with(String[] headers, String... more) {
        String[] all = new String[headers.length + more.length];
        System.arraycopy(headers, 0, all, 0, headers.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }

    static String submitBody(String procedureCode, String kind, String idNumber) {
        return """
                {"procedureCode":"%s","agencyCode":"%s",
                 "applicant":{"kind":"%s","idNumber":"%s","fullName":"Nguyễn Văn Dũng","phone":"0912345678"},
                 "documents":[{"name":"Đơn đề nghị","kind":"FORM","contentHash":"sha256:%s","sizeBytes":2048}]}
                """.formatted(procedureCode, AGENCY, kind, idNumber, "ab".repeat(32));
    }
}
