package vn.hoso.query.statistics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The time rules the query side applies when it reads ({@code hoso.time.*}, the same keys as the command side's).
 *
 * @param lateReportThreshold a report recorded more than this after it happened, as reported, is a late report
 *                            (DOMAIN.md: flagged for inspectors); applied when the breach lists are read, so that a
 *                            change needs no rebuild
 */
@ConfigurationProperties("hoso.time")
public record TimeProperties(@DefaultValue("24h") Duration lateReportThreshold) {
}
