package vn.hoso.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.Reader;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization server over HTTP, as the portal, the agency systems and {@code deploy/token.sh} use it: a person
 * signs in with the authorization code flow and PKCE, a system with client credentials, and the tokens carry exactly
 * the claims the API services read.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthServerTest {

    private static final String ISSUER = "http://issuer.hoso.test";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("HOSO_DATA", data::toString);
        registry.add("HOSO_AUTH_ISSUER", () -> ISSUER);
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void aCitizenSignsInWithPkceAndGetsATokenForTheApi() throws Exception {
        String base = "http://127.0.0.1:" + port;
        Optional<String> token = signIn(base, "citizen-an", credential("user.citizen-an"));

        assertThat(token).isPresent();
        Map<String, Object> claims = payload(token.get());
        assertThat(claims.keySet()).containsExactlyInAnyOrder(
                "iss", "sub", "aud", "iat", "nbf", "exp", "jti", "scope", "role", "citizen_id");
        // one audience: JWT libraries write it as a string, and readers (Spring's Jwt.getAudience()) as a list
        assertThat(claims).containsEntry("iss", ISSUER)
                .containsEntry("sub", "3f6d1b52-8c1e-4b0a-9a57-1c2d3e4f5a61")
                .containsEntry("aud", "hoso-api")
                .containsEntry("role", "CITIZEN")
                .containsEntry("citizen_id", "001089012345")
                .containsEntry("scope", List.of("openid"));
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue())
                .isEqualTo(30 * 60);

        Jwt verified = NimbusJwtDecoder.withJwkSetUri(base + "/oauth2/jwks").build().decode(token.get());
        assertThat(verified.getSubject()).isEqualTo("3f6d1b52-8c1e-4b0a-9a57-1c2d3e4f5a61");
        assertThat(verified.getAudience()).containsExactly("hoso-api");
    }

    @Test
    void aWrongPasswordGetsNoCode() throws Exception {
        assertThat(signIn("http://127.0.0.1:" + port, "citizen-an", "not-the-password")).isEmpty();
    }

    @Test
    void aBusinessAndAnOfficerGetTheirIdentifiers() throws Exception {
        String base = "http://127.0.0.1:" + port;
        Map<String, Object> business = payload(signIn(base, "business-hoa-phat",
                credential("user.business-hoa-phat")).orElseThrow());
        assertThat(business).containsEntry("role", "BUSINESS").containsEntry("tax_code", "0100109106")
                .doesNotContainKeys("citizen_id", "agency");

        Map<String, Object> officer = payload(signIn(base, "officer-h22",
                credential("user.officer-h22")).orElseThrow());
        assertThat(officer).containsEntry("role", "OFFICER").containsEntry("agency", "000.00.01.H22")
                .containsEntry("sub", "c52d8e3f-0a4b-4c6d-9e7f-8a9b0c1d2e94");
    }

    @Test
    void thePaymentPlatformGetsATokenWithItsSecret() throws Exception {
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> response = clientCredentials(base, "payment-platform",
                credential("client.payment-platform"));

        assertThat(response.statusCode()).isEqualTo(200);
        String token = (String) JSON.readValue(response.body(), Map.class).get("access_token");
        Map<String, Object> claims = payload(token);
        assertThat(claims.keySet()).containsExactlyInAnyOrder(
                "iss", "sub", "aud", "iat", "nbf", "exp", "jti", "scope", "role");
        assertThat(claims).containsEntry("sub", "payment-platform")
                .containsEntry("aud", "hoso-api")
                .containsEntry("role", "PAYMENT_PLATFORM")
                .containsEntry("scope", List.of("hoso.payments"));
        Jwt verified = NimbusJwtDecoder.withJwkSetUri(base + "/oauth2/jwks").build().decode(token);
        assertThat(verified.getAudience()).containsExactly("hoso-api");
    }

    @Test
    void anAgencySystemGetsItsAgency() throws Exception {
        HttpResponse<String> response = clientCredentials("http://127.0.0.1:" + port, "agency-system-h22b",
                credential("client.agency-system-h22b"));

        Map<String, Object> claims = payload((String) JSON.readValue(response.body(), Map.class).get("access_token"));
        assertThat(claims).containsEntry("sub", "agency-system-h22b").containsEntry("role", "AGENCY_SYSTEM")
                .containsEntry("agency", "000.00.02.H22").containsEntry("scope", List.of("hoso.sync"));
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        HttpResponse<String> response = clientCredentials("http://127.0.0.1:" + port, "payment-platform", "wrong");

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void theCredentialsAreCreatedOnceAndReusedAtTheNextStart() throws Exception {
        Path file = data.resolve("auth/demo-credentials.properties");
        String before = Files.readString(file);
        Properties credentials = read(file);
        assertThat(credentials.stringPropertyNames()).containsExactlyInAnyOrder(
                "user.citizen-an", "user.citizen-binh", "user.business-hoa-phat", "user.officer-h22",
                "user.officer-h22b", "user.inspector", "user.analyst", "user.operator",
                "client.agency-system-h22", "client.agency-system-h22b", "client.payment-platform");
        assertThat(credentials.values()).allSatisfy(value -> assertThat((String) value).matches("[A-Za-z0-9_-]{24}"));
        assertThat(credentials.values().stream().distinct()).hasSize(credentials.size());
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }

        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(AuthServerApplication.class)
                .properties("HOSO_DATA=" + data)
                // an argument: a default property would lose to application.yml's port (9000, a running stack's)
                .run("--server.port=0")) {
            String secondBase = "http://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port");
            assertThat(clientCredentials(secondBase, "payment-platform",
                    credentials.getProperty("client.payment-platform")).statusCode()).isEqualTo(200);
            assertThat(signIn(secondBase, "citizen-binh", credentials.getProperty("user.citizen-binh"))).isPresent();
        }
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void readinessAnswersWithoutATokenAndShowsOnlyTheStatus() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readValue(response.body(), Map.class)).isEqualTo(Map.of("status", "UP"));
    }

    /**
     * The portal's sign-in, as a browser would do it without following redirects on its own: the authorization
     * request sends to the login page, the login form (with its CSRF token) sends back to the authorization
     * request, which redirects to the portal with a code; the code and the PKCE verifier buy the token.
     */
    static Optional<String> signIn(String base, String username, String password) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String verifier = randomBase64Url(32);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String authorize = base + "/oauth2/authorize?" + form(Map.of(
                "response_type", "code",
                "client_id", "hoso-portal",
                "redirect_uri", DemoAccounts.PORTAL_REDIRECT_URI,
                "scope", "openid",
                "state", randomBase64Url(8),
                "code_challenge", challenge,
                "code_challenge_method", "S256"));

        HttpResponse<String> toLogin = browser.send(get(authorize), HttpResponse.BodyHandlers.ofString());
        assertThat(toLogin.statusCode()).isEqualTo(302);
        assertThat(location(toLogin)).endsWith("/login");
        HttpResponse<String> loginPage = browser.send(get(base + "/login"), HttpResponse.BodyHandlers.ofString());
        var csrf = CSRF.matcher(loginPage.body());
        assertThat(csrf.find()).as("the login form's CSRF token").isTrue();

        HttpResponse<String> loggedIn = browser.send(post(base + "/login", Map.of(
                        "username", username, "password", password, "_csrf", csrf.group(1))),
                HttpResponse.BodyHandlers.ofString());
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        String next = location(loggedIn);
        if (!next.contains("/oauth2/authorize")) {
            assertThat(next).contains("/login?error");
            return Optional.empty();
        }
        HttpResponse<String> toPortal = browser.send(get(URI.create(base).resolve(next).toString()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(toPortal.statusCode()).isEqualTo(302);
        URI callback = URI.create(location(toPortal));
        assertThat(callback.toString()).startsWith(DemoAccounts.PORTAL_REDIRECT_URI + "?");
        String code = query(callback).get("code");

        HttpResponse<String> tokens = browser.send(post(base + "/oauth2/token", Map.of(
                "grant_type", "authorization_code",
                "code", code,
                "redirect_uri", DemoAccounts.PORTAL_REDIRECT_URI,
                "client_id", "hoso-portal",
                "code_verifier", verifier)), HttpResponse.BodyHandlers.ofString());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        return Optional.of((String) JSON.readValue(tokens.body(), Map.class).get("access_token"));
    }

    private static HttpResponse<String> clientCredentials(String base, String clientId, String secret)
            throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> payload(String jwt) throws IOException {
        byte[] json = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
        return JSON.readValue(json, new TypeReference<>() {
        });
    }

    private static String credential(String key) throws IOException {
        return read(data.resolve("auth/demo-credentials.properties")).getProperty(key);
    }

    static Properties read(Path file) throws IOException {
        var properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).build();
    }

    private static HttpRequest post(String uri, Map<String, String> fields) {
        return HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)))
                .build();
    }

    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow();
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> query(URI uri) {
        var values = new LinkedHashMap<String, String>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            values.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String randomBase64Url(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
