package vn.hoso.query.deadletter;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Dead-letter queue settings ({@code hoso.dead-letters.*}), per processing group.
 *
 * @param maxDossiers        how many dossiers may be parked at once; past that a refused dossier fails its batch
 *                           (the processor then stops and retries) instead of being parked
 * @param maxEventsPerDossier how many events of one dossier may be parked
 * @param refresh            how often each instance reads again which dossiers are parked (it knows those it parks)
 */
@ConfigurationProperties("hoso.dead-letters")
public record DeadLetterProperties(@DefaultValue("100000") int maxDossiers,
                                   @DefaultValue("10000") int maxEventsPerDossier,
                                   @DefaultValue("30s") java.time.Duration refresh) {
}
