package vn.hoso.query.completeness;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The automatic completeness check ({@code hoso.completeness.*}).
 *
 * @param every            how often one of the query-side instances checks what was appended since the last check
 *                         (and each instance once when it starts); zero turns the automatic check off
 * @param maxPositionsPerRun the most positions one run walks; the next run goes on from there
 */
@ConfigurationProperties("hoso.completeness")
public record CompletenessProperties(@DefaultValue("5m") Duration every,
                                     @DefaultValue("100000") long maxPositionsPerRun) {

    public CompletenessProperties {
        if (every.isNegative() || (!every.isZero() && every.toMillis() < 100)) {
            throw new IllegalArgumentException("hoso.completeness.every must be zero (off) or at least 100ms, not "
                    + every);
        }
        if (maxPositionsPerRun < 1) {
            throw new IllegalArgumentException("hoso.completeness.max-positions-per-run must be at least 1");
        }
    }
}
