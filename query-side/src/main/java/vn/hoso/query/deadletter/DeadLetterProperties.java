package vn.hoso.query.deadletter;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Dead-letter queue settings ({@code hoso.dead-letters.*}), per processing group.
 *
 * @param maxDossiers        how many dossiers may be parked at once; past that a refused dossier fails its batch
 *                           (the processor then stops and retries) instead of being parked
 * @param maxEventsPerDossier how many events of one dossier may be parked
 * @param refresh            how often each instance reads again which dossiers are parked (it knows those it parks)
 * @param retryAfter         a parked dossier is retried on its own this long after this instance first saw it
 *                           parked, then after twice as long after every retry that leaves it parked
 * @param retryAtMost        the longest wait between two such retries
 */
@ConfigurationProperties("hoso.dead-letters")
public record DeadLetterProperties(@DefaultValue("100000") int maxDossiers,
                                   @DefaultValue("10000") int maxEventsPerDossier,
                                   @DefaultValue("30s") Duration refresh,
                                   @DefaultValue("30s") Duration retryAfter,
                                   @DefaultValue("1h") Duration retryAtMost) {

    public DeadLetterProperties {
        if (retryAfter.toMillis() < 100 || retryAtMost.compareTo(retryAfter) < 0) {
            throw new IllegalArgumentException("hoso.dead-letters.retry-after must be at least 100ms and"
                    + " retry-at-most at least as long, not " + retryAfter + " and " + retryAtMost);
        }
    }
}
