package vn.hoso.command.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tests' token issuer: an RSA key made for this JVM, its JWK set served over HTTP (the services fetch it as they
 * would the real authorization server's), and access tokens signed with it for any role, account and claim. Also
 * the bad tokens a service must refuse: expired, from another issuer, with a tampered signature, for another
 * audience, signed by another key. Token times are real time: a token's expiry is checked against the system clock,
 * never the domain's test clock.
 */
public final class TestIssuer {

    public static final String ISSUER = "https://issuer.test.hoso.invalid";
    public static final String AUDIENCE = "hoso-api";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final KeyPair KEY = newKey();
    private static final KeyPair STRANGER_KEY = newKey();
    private static final Map<List<String>, String> TOKENS = new ConcurrentHashMap<>();
    private static volatile String jwksUrl;

    private TestIssuer() {
    }

    /** The settings that make a service trust this issuer (and only it). */
    public static List<String> serviceArguments() {
        return List.of("--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER,
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + jwksUrl(),
                "--hoso.lookup.key=" + LOOKUP_KEY);
    }

    /** The lookup secrets' key of every service this JVM's tests start (one, as in one deployment); throw-away. */
    public static final String LOOKUP_KEY = newLookupKey();

    private static String newLookupKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** {@code Authorization} header of a valid token: role, account id, agency (or null). */
    public static String[] bearer(String role, String accountId, String agency) {
        return bearer(role, accountId, agency, null);
    }

    /** The same, with a citizen-ID ({@code CITIZEN}) or tax-code ({@code BUSINESS}) claim. */
    public static String[] bearer(String role, String accountId, String agency, String applicantId) {
        String token = TOKENS.computeIfAbsent(java.util.Arrays.asList(role, accountId, agency, applicantId),
                k -> token(claims(role, accountId, agency, applicantId), KEY));
        return new String[]{"Authorization", "Bearer " + token};
    }

    public static String[] operator() {
        return bearer("OPERATOR", "operator-test", null);
    }

    /** Bad tokens, each refused with 401; {@code claimsOf} a valid caller. */
    public enum BadToken {
        EXPIRED, NO_EXPIRY, OTHER_ISSUER, TAMPERED_SIGNATURE, WRONG_AUDIENCE, OTHER_KEY;

        public String[] bearer(String role, String accountId, String agency) {
            Map<String, Object> claims = claims(role, accountId, agency, null);
            String token = switch (this) {
                case EXPIRED -> {
                    claims.put("iat", Instant.now().minus(Duration.ofHours(2)).getEpochSecond());
                    claims.put("exp", Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond());
                    yield token(claims, KEY);
                }
                case NO_EXPIRY -> {
                    claims.remove("exp");
                    yield token(claims, KEY);
                }
                case OTHER_ISSUER -> {
                    claims.put("iss", "https://issuer.elsewhere.invalid");
                    yield token(claims, KEY);
                }
                case WRONG_AUDIENCE -> {
                    claims.put("aud", List.of("another-api"));
                    yield token(claims, KEY);
                }
                case OTHER_KEY -> token(claims, STRANGER_KEY);
                case TAMPERED_SIGNATURE -> {
                    // a valid token for one account, with the payload swapped for a more powerful one
                    String valid = token(claims, KEY);
                    Map<String, Object> inspector = claims("INSPECTOR", accountId, null, null);
                    String[] parts = valid.split("\\.");
                    yield parts[0] + "." + B64.encodeToString(json(inspector)) + "." + parts[2];
                }
            };
            return new String[]{"Authorization", "Bearer " + token};
        }
    }

    private static Map<String, Object> claims(String role, String accountId, String agency, String applicantId) {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", accountId);
        claims.put("aud", List.of(AUDIENCE));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(Duration.ofHours(3)).getEpochSecond());
        claims.put("role", role);
        if (agency != null) {
            claims.put("agency", agency);
        }
        if (applicantId != null) {
            claims.put("BUSINESS".equals(role) ? "tax_code" : "citizen_id", applicantId);
        }
        return claims;
    }

    private static String token(Map<String, Object> claims, KeyPair key) {
        String header = B64.encodeToString(json(Map.of("alg", "RS256", "kid", "test-key", "typ", "JWT")));
        String signingInput = header + "." + B64.encodeToString(json(claims));
        return signingInput + "." + B64.encodeToString(sign(signingInput, key.getPrivate()));
    }

    private static byte[] sign(String input, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWK set's address, serving it from this JVM on first use. */
    public static synchronized String jwksUrl() {
        if (jwksUrl == null) {
            RSAPublicKey publicKey = (RSAPublicKey) KEY.getPublic();
            byte[] jwks = json(Map.of("keys", List.of(Map.of("kty", "RSA", "kid", "test-key", "use", "sig",
                    "alg", "RS256", "n", B64.encodeToString(unsigned(publicKey.getModulus())),
                    "e", B64.encodeToString(unsigned(publicKey.getPublicExponent()))))));
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/oauth2/jwks", exchange -> {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, jwks.length);
                    exchange.getResponseBody().write(jwks);
                    exchange.close();
                });
                server.setExecutor(null);
                server.start();
                jwksUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/jwks";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jwksUrl;
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
