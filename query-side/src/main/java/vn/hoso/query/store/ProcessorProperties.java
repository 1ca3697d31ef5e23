package vn.hoso.query.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the read models' processors are shared between query-side instances ({@code hoso.processors.*}).
 *
 * @param segments                each processor's segments (its dossiers are hashed over them): at most this many
 *                                instances share a processor; a token store with coarser segments is split up to it
 * @param maxSegmentsPerInstance  the most segments of one processor an instance claims, whatever the share
 * @param heartbeat               how often an instance tells the others it is running
 * @param instanceTimeout         how long an instance that stopped beating still counts as running
 * @param claimTimeout            how long a segment's claim holds without being extended: the segments of an instance
 *                                that died are claimed by the others this long after its last extension (each
 *                                instance extends its claims after half of it)
 */
@ConfigurationProperties("hoso.processors")
public record ProcessorProperties(@DefaultValue("8") int segments,
                                  @DefaultValue("64") int maxSegmentsPerInstance,
                                  @DefaultValue("2s") Duration heartbeat,
                                  @DefaultValue("10s") Duration instanceTimeout,
                                  @DefaultValue("10s") Duration claimTimeout) {

    public ProcessorProperties {
        if (segments < 1 || Integer.bitCount(segments) != 1) {
            throw new IllegalArgumentException("hoso.processors.segments must be a power of two (Axon splits segments"
                    + " in halves), not " + segments);
        }
        if (claimTimeout.toMillis() < 200) {
            throw new IllegalArgumentException("hoso.processors.claim-timeout must be at least 200ms, not " + claimTimeout);
        }
        if (maxSegmentsPerInstance < 1) {
            throw new IllegalArgumentException("hoso.processors.max-segments-per-instance must be at least 1");
        }
    }
}
