package vn.hoso.web;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifiedTokensTest {

    private static final Instant NOW = Instant.parse("2026-03-02T03:00:00Z");

    /** The issuer's decoder as the tests see it: accepts "good-*" tokens expiring at a set moment, counts its calls. */
    private static final class Issuer implements JwtDecoder {
        final List<String> decoded = new ArrayList<>();
        Instant expiresAt = NOW.plus(Duration.ofMinutes(30));
        Clock clock;

        @Override
        public Jwt decode(String token) {
            decoded.add(token);
            if (!token.startsWith("good-") || !clock.instant().isBefore(expiresAt)) {
                throw new BadJwtException("refused: " + token);
            }
            return Jwt.withTokenValue(token).header("alg", "RS256").subject(token).issuedAt(NOW.minusSeconds(1))
                    .expiresAt(expiresAt).build();
        }
    }

    private static final class MovingClock extends Clock {
        Instant now = NOW;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final Issuer issuer = new Issuer();

    {
        issuer.clock = clock;
    }

    @Test
    void anAcceptedTokenIsCheckedOnceUntilItExpires() {
        VerifiedTokens tokens = new VerifiedTokens(issuer, 100, clock);
        Jwt first = tokens.decode("good-a");
        assertThat(tokens.decode("good-a")).isSameAs(first);
        clock.now = NOW.plus(Duration.ofMinutes(29));
        assertThat(tokens.decode("good-a").getSubject()).isEqualTo("good-a");
        assertThat(issuer.decoded).containsExactly("good-a");

        clock.now = NOW.plus(Duration.ofMinutes(30));
        assertThatThrownBy(() -> tokens.decode("good-a")).as("expired: the issuer's decoder decides again, and refuses")
                .isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("good-a")).isInstanceOf(BadJwtException.class);
        assertThat(issuer.decoded).containsExactly("good-a", "good-a", "good-a");
        assertThat(tokens.size()).isZero();
    }

    @Test
    void aRefusedTokenIsRefusedEachTimeAndNeverRemembered() {
        VerifiedTokens tokens = new VerifiedTokens(issuer, 100, clock);
        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThat(issuer.decoded).containsExactly("forged", "forged");
        assertThat(tokens.size()).isZero();
        tokens.decode("good-a");
        issuer.decoded.clear();
        tokens.decode("good-a2");
        assertThat(issuer.decoded).as("another text is another token").containsExactly("good-a2");
    }

    @Test
    void theLeastRecentlyUsedTokenMakesRoomWhenFull() {
        VerifiedTokens tokens = new VerifiedTokens(issuer, 2, clock);
        tokens.decode("good-a");
        tokens.decode("good-b");
        tokens.decode("good-a");
        tokens.decode("good-c");
        assertThat(tokens.size()).isEqualTo(2);
        issuer.decoded.clear();
        tokens.decode("good-a");
        tokens.decode("good-c");
        assertThat(issuer.decoded).isEmpty();
        tokens.decode("good-b");
        assertThat(issuer.decoded).containsExactly("good-b");
    }
}
