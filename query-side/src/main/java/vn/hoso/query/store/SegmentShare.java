package vn.hoso.query.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.UpdateOptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.pooled.MaxSegmentProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * Shares every processor's segments between the query-side instances that are running: each instance claims at most
 * its share, {@code ceil(segments / live instances that may process it)} (and never more than
 * {@code hoso.processors.max-segments-per-instance}), and releases the surplus when another instance starts (Axon's
 * pooled coordinator asks the share on every cycle). An instance whose gate for a processor is closed
 * ({@link ProcessorGates}: it cannot write that read model now) takes none of its segments; each heartbeat says which,
 * so that the others count only the instances that take some.
 * When an instance stops beating, the others' shares grow and they claim its segments once its claims time out.
 * <p>
 * Liveness needs no agreement on clocks: each instance increments a counter in its own document of
 * {@code query_instances} every {@code hoso.processors.heartbeat}; another instance counts it live while it sees the
 * counter change within {@code hoso.processors.instance-timeout} of its own clock. The collection holds one small
 * document per instance (read whole; writes by {@code _id}); a document that has not changed for an hour is removed.
 * <p>
 * A processor whose segments are coarser than {@code hoso.processors.segments} (a token store from before that
 * setting) has its claimed segments split, one per beat, until each covers at most 1/segments of the dossiers.
 */
public final class SegmentShare implements MaxSegmentProvider, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SegmentShare.class);
    private static final long FORGET_AFTER_NANOS = TimeUnit.HOURS.toNanos(1);

    private final MongoCollection<Document> instances;
    private final ProcessorProperties properties;
    private final TokenStore tokenStore;
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final String id = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    /** Per other instance: the last counter value seen and when (this instance's nanoTime) it last changed. */
    private final Map<String, long[]> seen = new HashMap<>();
    private final Map<String, Integer> segmentCounts = new ConcurrentHashMap<>();
    private volatile int liveInstances = 1;
    /** Per processor: how many of the other live instances have its gate closed (they claim none of its segments). */
    private volatile Map<String, Integer> closedElsewhere = Map.of();
    private final ProcessorGates gates;
    private ScheduledExecutorService beats;

    public SegmentShare(MongoDatabase database, ProcessorProperties properties, TokenStore tokenStore,
                        ObjectProvider<EventProcessingConfiguration> processing, MeterRegistry meters,
                        ProcessorGates gates) {
        this.gates = gates;
        this.instances = database.getCollection("query_instances");
        this.properties = properties;
        this.tokenStore = tokenStore;
        this.processing = processing;
        Gauge.builder("hoso.query.instances.live", this, s -> s.liveInstances)
                .description("query-side instances this one sees beating (itself included)").register(meters);
    }

    /**
     * Registers the share as every pooled processor's segment limit; claims are extended after half the claim timeout
     * (Axon's default, 5 s, is half of the default timeout), so that a live instance never loses a claim it holds.
     */
    public ConfigurerModule configurerModule() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration((config, builder) -> builder
                        .maxSegmentProvider(this)
                        .claimExtensionThreshold(properties.claimTimeout().toMillis() / 2)));
    }

    /** This instance's share of a processor's segments now. */
    @Override
    public int getMaxSegments(String processorName) {
        // this instance cannot write the read model now: the others take its segments (once the processor is built:
        // Axon's builder refuses a provider that answers 0 while it builds one; its coordinator releases them all)
        if (!gates.open(processorName) && segmentCounts.containsKey(processorName)) {
            return 0;
        }
        int segments = segmentCounts.getOrDefault(processorName, properties.segments());
        int sharing = Math.max(1, liveInstances - closedElsewhere.getOrDefault(processorName, 0));
        int share = (segments + sharing - 1) / sharing;
        return Math.max(1, Math.min(share, properties.maxSegmentsPerInstance()));
    }

    public int liveInstances() {
        return liveInstances;
    }

    public String instanceId() {
        return id;
    }

    @Override
    public void start() {
        beat();
        beats = DaemonScheduler.named("hoso-segment-share");
        long every = properties.heartbeat().toMillis();
        beats.scheduleWithFixedDelay(this::beatSafely, every, every, TimeUnit.MILLISECONDS);
    }

    private void beatSafely() {
        try {
            beat();
            splitCoarseSegments();
        } catch (RuntimeException e) {
            log.warn("segment share: heartbeat failed ({}); trying again in {}", e.toString(), properties.heartbeat());
        }
    }

    private synchronized void beat() {
        instances.updateOne(eq("_id", id), new Document("$inc", new Document("beat", 1L))
                        .append("$set", new Document("closed", List.copyOf(gates.closed()))),
                new UpdateOptions().upsert(true));
        Map<String, Integer> closed = new HashMap<>();
        long now = System.nanoTime();
        long timeout = properties.instanceTimeout().toNanos();
        int live = 1;
        Set<String> present = new java.util.HashSet<>();
        for (Document instance : instances.find()) {
            String other = instance.getString("_id");
            if (id.equals(other)) {
                continue;
            }
            present.add(other);
            long beat = instance.get("beat", Number.class).longValue();
            long[] last = seen.get(other);
            if (last == null || last[0] != beat) {
                seen.put(other, new long[]{beat, now});
                last = seen.get(other);
            }
            if (now - last[1] <= timeout) {
                live++;
                instance.getList("closed", String.class, List.of()).forEach(name -> closed.merge(name, 1, Integer::sum));
            } else if (now - last[1] > FORGET_AFTER_NANOS) {
                instances.deleteOne(and(eq("_id", other), eq("beat", beat)));
            }
        }
        seen.keySet().retainAll(present);
        if (live != liveInstances) {
            log.info("segment share: {} query-side instance(s) live; this one ({}) now takes at most {} of {} segments",
                    live, id, (properties.segments() + live - 1) / live, properties.segments());
        }
        liveInstances = live;
        closedElsewhere = Map.copyOf(closed);
        EventProcessingConfiguration configuration = processing.getIfAvailable();
        if (configuration != null) {
            configuration.eventProcessors().forEach((name, processor) -> {
                if (processor instanceof StreamingEventProcessor) {
                    segmentCounts.put(name, tokenStore.fetchSegments(name).length);
                }
            });
        }
    }

    /** Splits one claimed segment per processor that covers more than 1/segments of the dossiers. */
    private void splitCoarseSegments() {
        EventProcessingConfiguration configuration = processing.getIfAvailable();
        if (configuration == null) {
            return;
        }
        configuration.eventProcessors().forEach((name, processor) -> {
            if (!(processor instanceof StreamingEventProcessor streaming) || !streaming.isRunning()) {
                return;
            }
            for (EventTrackerStatus status : streaming.processingStatus().values()) {
                if (status.getSegment().getMask() + 1 < properties.segments() && !status.isErrorState()) {
                    int segment = status.getSegment().getSegmentId();
                    log.info("segment share: processor {} has a segment {} coarser than 1/{}: splitting it", name,
                            status.getSegment(), properties.segments());
                    streaming.splitSegment(segment);
                    return;
                }
            }
        });
    }

    @Override
    public void stop() {
        if (beats != null) {
            beats.shutdownNow();
        }
        try {
            instances.deleteOne(eq("_id", id)); // the others' shares grow at once
        } catch (RuntimeException e) {
            log.warn("segment share: could not remove this instance's heartbeat ({}); the others see it stop in {}",
                    e.toString(), properties.instanceTimeout());
        }
    }

    @Override
    public boolean isRunning() {
        return beats != null && !beats.isShutdown();
    }

    /** Stops after the processors (which stop in Axon's lifecycle, phase above this), starts before them. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
