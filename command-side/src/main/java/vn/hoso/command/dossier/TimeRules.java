package vn.hoso.command.dossier;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * DOMAIN.md's bounds on the times a client sends ({@code hoso.time.*}): nothing out of them reaches an event.
 *
 * @param maxReportLateness          how far in the past a reported {@code occurredAt} may lie (an agency reporting late)
 * @param clockSkew                  how far in the future a reported time may lie, for a reporter's clock slightly ahead
 * @param extensionHorizonWorkingDays how many working days past the current due date an extension may reach
 * @param lateReportThreshold        a report recorded more than this after it happened is flagged for inspectors
 *                                   (applied when read: changing it changes no stored fact; the query side has the
 *                                   same setting for its breach lists)
 */
@ConfigurationProperties("hoso.time")
public record TimeRules(@DefaultValue("30d") Duration maxReportLateness,
                        @DefaultValue("2m") Duration clockSkew,
                        @DefaultValue("60") int extensionHorizonWorkingDays,
                        @DefaultValue("24h") Duration lateReportThreshold) {

    /** DOMAIN.md's examples, for tests. */
    public static TimeRules defaults() {
        return new TimeRules(Duration.ofDays(30), Duration.ofMinutes(2), 60, Duration.ofHours(24));
    }
}
