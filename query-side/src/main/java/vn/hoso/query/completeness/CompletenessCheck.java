package vn.hoso.query.completeness;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine.PositionedEvent;
import vn.hoso.query.deadletter.DeadLetters;
import vn.hoso.query.store.OrderedApplier;
import vn.hoso.query.store.ReadModel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proves that every read model holds every event: walks the store's positions (all, or from a moment on), takes each
 * dossier's last sequence number there, and compares it with the one each read model applied. A read model behind
 * the store for a dossier whose last event its processor has already passed is missing events: the check applies them
 * through the {@link OrderedApplier} (reading them from the store) and counts it. Dossiers parked in a read model's
 * dead-letter queue are reported, not repaired (an operator decides), and dossiers whose last event the processor has
 * not reached yet are in flight, not missing. Reads are by key: positions with {@code $in}, read models by id.
 */
@Component
public class CompletenessCheck {

    private static final Logger log = LoggerFactory.getLogger(CompletenessCheck.class);
    private static final int WINDOW = 1000;
    private static final int READ_MODEL_BATCH = 200;
    /** Timestamps follow positions closely, not exactly: a check from a moment starts this much earlier. */
    private static final Duration MARGIN = Duration.ofMinutes(5);

    private final PositionedMongoEventStorageEngine events;
    private final List<ReadModel<?>> readModels;
    private final DeadLetters deadLetters;
    private final OrderedApplier applier;
    private final MongoTemplate tokens;
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final Serializer serializer;
    private final MeterRegistry meters;
    private final Map<String, AtomicLong> lastMissing = new ConcurrentHashMap<>();

    public CompletenessCheck(PositionedMongoEventStorageEngine events,
                             List<ReadModel<?>> readModels, DeadLetters deadLetters, OrderedApplier applier,
                             MongoTemplate tokens, Serializer serializer,
                             ObjectProvider<EventProcessingConfiguration> processing, MeterRegistry meters) {
        this.events = events;
        this.readModels = readModels;
        this.deadLetters = deadLetters;
        this.applier = applier;
        this.tokens = tokens;
        this.processing = processing;
        this.serializer = serializer;
        this.meters = meters;
        for (ReadModel<?> model : readModels) {
            AtomicLong missing = new AtomicLong();
            lastMissing.put(model.name(), missing);
            Gauge.builder("hoso.completeness.missing", missing, AtomicLong::get).tag("readModel", model.name())
                    .description("dossiers the last completeness check found behind the store").register(meters);
        }
    }

    /** What one read model looked like to the check. */
    public record ReadModelReport(long checked, long missing, long repaired, long parked, long inFlight) {
    }

    public record Report(long fromPosition, long toPosition, long events, long dossiers,
                         Map<String, ReadModelReport> readModels, long tookMillis) {
    }

    /** Checks the dossiers with events stamped since {@code since} (all dossiers when null). */
    public Report run(Instant since) {
        long from = since == null ? 1 : Math.max(1, events.firstPositionAtOrAfter(since.minus(MARGIN)));
        return run(from, events.lastAllocatedPosition());
    }

    /**
     * The position up to which every read model's processor has delivered every event, on every segment: a check up
     * to there finds nothing in flight.
     */
    public long deliveredByAll() {
        long delivered = Long.MAX_VALUE;
        for (ReadModel<?> model : readModels) {
            delivered = Math.min(delivered, deliveredUpTo(model.name()));
        }
        return delivered == Long.MAX_VALUE ? 0 : delivered;
    }

    /** Checks the dossiers with events at positions {@code from..to}. */
    public Report run(long from, long to) {
        long started = System.nanoTime();
        Map<String, PositionedEvent> last = new LinkedHashMap<>();
        long seen = 0;
        for (long start = from; start <= to; start += WINDOW) {
            List<Long> window = new ArrayList<>(WINDOW);
            for (long position = start; position <= Math.min(to, start + WINDOW - 1); position++) {
                window.add(position);
            }
            for (PositionedEvent event : events.eventsAt(window)) {
                seen++;
                last.merge(event.aggregateIdentifier(), event,
                        (a, b) -> a.sequenceNumber() >= b.sequenceNumber() ? a : b);
            }
        }
        Map<String, ReadModelReport> reports = new LinkedHashMap<>();
        for (ReadModel<?> model : readModels) {
            try {
                reports.put(model.name(), check(model, last));
            } catch (RuntimeException e) {
                // this instance cannot read or write that read model now (its search mapping does not fit the live
                // index, say): the others are still checked, and an instance that can checks this one
                log.warn("completeness check: read model {} not checked on this instance: {}", model.name(),
                        e.toString());
            }
        }
        Report report = new Report(from, to, seen, last.size(), reports, (System.nanoTime() - started) / 1_000_000);
        log.info("completeness check of positions {}..{}: {} events, {} dossiers, {}", from, to, seen, last.size(),
                reports);
        return report;
    }

    private <S> ReadModelReport check(ReadModel<S> model, Map<String, PositionedEvent> last) {
        long delivered = deliveredUpTo(model.name());
        Set<String> parked = deadLetters.parkedDossiers(model.name());
        long checked = 0;
        long missing = 0;
        long repaired = 0;
        long parkedCount = 0;
        long inFlight = 0;
        List<String> ids = new ArrayList<>(last.keySet());
        for (int from = 0; from < ids.size(); from += READ_MODEL_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + READ_MODEL_BATCH));
            String version = model.writeVersion(); // read and repaired in the one version writes go to
            Map<String, S> entries = model.read(version, batch);
            Map<String, ReadModel.Write<S>> fixed = new HashMap<>();
            for (String id : batch) {
                PositionedEvent stored = last.get(id);
                S entry = entries.containsKey(id) ? entries.get(id) : model.empty(id);
                long applied = model.lastSequence(entry);
                checked++;
                if (applied >= stored.sequenceNumber()) {
                    continue;
                }
                if (parked.contains(id)) {
                    parkedCount++;
                } else if (stored.position() > delivered) {
                    inFlight++;
                } else {
                    missing++;
                    log.warn("completeness check: read model {} holds dossier {} at event {} while the store has {}"
                            + " (position {}): repairing it", model.name(), id, applied, stored.sequenceNumber(),
                            stored.position());
                    DomainEventMessage<?> lastEvent = events.readEvents(id, stored.sequenceNumber()).asStream()
                            .findFirst().orElseThrow();
                    fixed.put(id, new ReadModel.Write<>(applier.apply(model.name(), entry, applied, lastEvent,
                            model::apply), applied));
                }
            }
            if (!fixed.isEmpty()) {
                // an entry moved on meanwhile (its processor caught up) needs no repair from this check
                ReadModel.Written written = model.write(version, fixed.values());
                repaired += fixed.size() - written.refused().size() - written.stale().size();
                written.refused().forEach((id, cause) -> log.warn("completeness check: read model {} refused the repaired entry"
                        + " of dossier {}: {}", model.name(), id, cause));
            }
        }
        Counter.builder("hoso.completeness.found.missing").tag("readModel", model.name())
                .description("dossiers completeness checks found behind the store").register(meters).increment(missing);
        Counter.builder("hoso.completeness.repaired").tag("readModel", model.name())
                .description("dossiers completeness checks brought up to the store").register(meters).increment(repaired);
        lastMissing.get(model.name()).set(missing);
        if (missing > 0) {
            log.warn("completeness check: read model {} was missing the last events of {} dossier(s); {} repaired",
                    model.name(), missing, repaired);
        }
        return new ReadModelReport(checked, missing, repaired, parkedCount, inFlight);
    }

    /**
     * The position up to which the read model's processor has delivered every event, on every segment, whichever
     * instance processes it: per segment, this instance's own processing status where it holds the segment (fresher:
     * a segment whose recent events were all for other segments advances here before its stored token does), else
     * the segment's token as stored in the token store (a processor's few segment documents, read by processor
     * name); the lowest of them. 0 when a token cannot be read as a gap-aware one. (A rebuild that must hold all the
     * processor's read model holds reads again from just after it.)
     */
    public long deliveredUpTo(String processorName) {
        return positionsBySegment(processorName, CompletenessCheck::upTo).values().stream().mapToLong(Long::longValue)
                .min().orElse(0);
    }

    /**
     * The furthest position any segment of a processor may have applied (its tokens' upper bounds): nothing its read
     * model shows comes from an event after it, so a rebuild that has reached it holds all the live version shows.
     */
    public long reachedAtMost(String processorName) {
        return positionsBySegment(processorName, CompletenessCheck::reached).values().stream()
                .mapToLong(Long::longValue).max().orElse(0);
    }

    private static long reached(TrackingToken token) {
        TrackingToken upper = token == null ? null : WrappedToken.unwrapUpperBound(token);
        return upper == null ? 0 : upper.position().orElse(0);
    }

    private Map<Integer, Long> positionsBySegment(String processorName,
                                                  java.util.function.ToLongFunction<TrackingToken> measure) {
        Map<Integer, Long> bySegment = new HashMap<>();
        for (Document stored : tokens.trackingTokensCollection().find(new Document("processorName", processorName))) {
            int segment = stored.get("segment", Number.class).intValue();
            Object data = stored.get("token");
            String type = stored.getString("tokenType");
            if (data == null || type == null) {
                bySegment.put(segment, 0L);
                continue;
            }
            byte[] bytes = data instanceof Binary binary ? binary.getData()
                    : data instanceof byte[] raw ? raw : data.toString().getBytes(StandardCharsets.UTF_8);
            Object token = serializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class, type, null));
            bySegment.put(segment, measure.applyAsLong((TrackingToken) token));
        }
        EventProcessingConfiguration configuration = processing.getIfAvailable();
        if (configuration != null) {
            configuration.eventProcessor(processorName, StreamingEventProcessor.class).ifPresent(processor ->
                    processor.processingStatus().forEach((segment, status) ->
                            bySegment.merge(segment, measure.applyAsLong(status.getTrackingToken()), Math::max)));
        }
        return bySegment;
    }

    private static long upTo(TrackingToken token) {
        TrackingToken lower = token == null ? null : WrappedToken.unwrapLowerBound(token);
        if (!(lower instanceof GapAwareTrackingToken gapAware)) {
            return 0;
        }
        return gapAware.hasGaps() ? gapAware.getGaps().first() - 1 : gapAware.getIndex();
    }
}
