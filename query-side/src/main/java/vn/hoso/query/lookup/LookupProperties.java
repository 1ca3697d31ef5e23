package vn.hoso.query.lookup;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * The public status lookup ({@code hoso.lookup.*}; the key, {@code hoso.lookup.key}, is shared with the command side).
 *
 * @param perClient      lookups one client may make in a window
 * @param perCode        misses of one dossier code, from anywhere, in a window: past them the code is not checked until
 *                       the window ends (a receipt's secret guessed at from many addresses is still stopped); the holder's
 *                       own lookups with the right secret do not count
 * @param window         the window
 * @param trustedProxies the addresses of the proxies in front of the service: a request from one of them is counted
 *                       against the client its {@code X-Forwarded-For} names (the last address there that is not itself
 *                       a trusted proxy); from anywhere else the header is ignored, as anyone may send it
 */
@ConfigurationProperties("hoso.lookup")
public record LookupProperties(@DefaultValue("20") int perClient, @DefaultValue("10") int perCode,
                               @DefaultValue("10m") Duration window, @DefaultValue("") List<String> trustedProxies) {
    public LookupProperties {
        if (perClient < 1 || perCode < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalStateException("hoso.lookup.per-client and per-code must be at least 1 and"
                    + " hoso.lookup.window positive");
        }
        trustedProxies = trustedProxies.stream().map(String::trim).filter(a -> !a.isEmpty()).toList();
    }
}
