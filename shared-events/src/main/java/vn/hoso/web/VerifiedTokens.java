package vn.hoso.web;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the tokens a {@link JwtDecoder} accepted, so that a caller's next request with the same token skips the
 * base64 decoding, the RSA signature check and the claim checks: measured on the command side under load, they took a
 * fifth of its CPU, since every request of a session carries the same token.
 * <p>
 * Only an accepted token is remembered, under its exact text (a token differing in one character is decoded afresh),
 * and only until its {@code exp}: after that it goes to the decoder again, which refuses it. What is given up: a
 * signing key withdrawn from the issuer's key set is still trusted for the tokens already seen, until they expire
 * (30 minutes for the development server's). At most {@code capacity} tokens, the least recently used dropped first.
 */
public final class VerifiedTokens implements JwtDecoder {

    private final JwtDecoder decoder;
    private final Clock clock;
    private final Map<String, Jwt> accepted;

    public VerifiedTokens(JwtDecoder decoder, int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be 1 or more, not " + capacity);
        }
        this.decoder = decoder;
        this.clock = clock;
        this.accepted = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Jwt> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Jwt known;
        synchronized (accepted) {
            known = accepted.get(token);
        }
        if (known != null) {
            if (now.isBefore(known.getExpiresAt())) {
                return known;
            }
            synchronized (accepted) {
                accepted.remove(token);
            }
        }
        Jwt jwt = decoder.decode(token);
        // the expiry validator refuses a token without exp; one that is not remembered is checked again each time
        if (jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())) {
            synchronized (accepted) {
                accepted.put(token, jwt);
            }
        }
        return jwt;
    }

    /** How many tokens are remembered now. */
    public int size() {
        synchronized (accepted) {
            return accepted.size();
        }
    }
}
