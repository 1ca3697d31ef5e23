package vn.hoso.query.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Drives one {@link ReadModel} from a processor's batches: the entries of every dossier in a batch are read in one go
 * before its first event, each event is applied in memory (in sequence, see {@link OrderedApplier}), and the entries
 * are written in one go after its last event, by a handler interceptor of the processor, outside Axon's
 * dead-lettering invoker.
 * <ul>
 *   <li>A store that cannot be read or written now (unreachable, overloaded, timed out) fails the whole batch: the
 *   processor backs off and retries it from its last token, and no dossier is parked for an outage.</li>
 *   <li>An entry the store refuses for good parks its own dossier: the batch's events of that dossier go to the
 *   processing group's dead-letter queue, in order, and the invoker parks every later event of the dossier, while
 *   every other dossier flows on. An event that cannot be applied at all parks its dossier the same way (the
 *   invoker catches it).</li>
 *   <li>Outside the processor's batches (a dead letter being retried) the entry is written when the unit of work
 *   commits; a refusal fails it, so that the letter stays queued.</li>
 *   <li>Each entry is written only over the entry it was computed from. When another writer moved it on meanwhile
 *   (another query-side instance took the dossier's segment over while this one's batch outlived its claim), the
 *   write changes nothing and is counted ({@code hoso.projection.stale.writes}); the entry is read again and the
 *   batch's events applied to it, so that events only this batch carries are not lost, and nothing goes back.</li>
 * </ul>
 */
public final class BatchedProjection<S> {

    private static final Logger log = LoggerFactory.getLogger(BatchedProjection.class);
    /** How the cause of an entry refused by the store begins: that text holds no field values, so operators see it. */
    public static final String REFUSAL = "the read model refused the dossier's entry: ";
    private static final int MAX_WRITE_ATTEMPTS = 5;

    private final java.time.Clock clock;
    private final ReadModel<S> model;
    private final OrderedApplier applier;
    private final Function<String, SequencedDeadLetterQueue<EventMessage<?>>> deadLetters;
    private final Counter parked;
    private final Counter stale;
    private final Timer lag;
    private final String resource;

    BatchedProjection(ReadModel<S> model, OrderedApplier applier,
                      Function<String, SequencedDeadLetterQueue<EventMessage<?>>> deadLetters, MeterRegistry meters,
                      java.time.Clock clock) {
        this.clock = clock;
        this.model = model;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.parked = Counter.builder("hoso.dead.letters.parked").tag("readModel", model.name())
                .description("events parked because the read model refused their dossier's entry").register(meters);
        this.stale = Counter.builder("hoso.projection.stale.writes").tag("readModel", model.name())
                .description("entry writes that found the entry moved on by another writer (another instance, or a"
                        + " redelivery): they changed nothing").register(meters);
        this.resource = BatchedProjection.class.getName() + "." + model.name();
        this.lag = Timer.builder("hoso.projection.lag").tag("readModel", model.name())
                .description("from an event's creation on the command side until its read model entry is written")
                .publishPercentiles(0.5, 0.95, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1)).register(meters);
    }

    /**
     * Applies one event; called by the projection's event handler. An event that cannot be applied parks the batch's
     * earlier events of its dossier (whose entry is then not written) and fails, so that the invoker parks it after
     * them.
     */
    public void handle(DomainEventMessage<?> message) {
        // the processor's batch, or (a dead letter being retried) the letter's own unit of work, which Axon nests in
        // one for the whole sequence: each letter must be written, or fail, on its own
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        UnitOfWork<?> root = unitOfWork.root() instanceof BatchingUnitOfWork<?> ? unitOfWork.root() : unitOfWork;
        Batch<S> batch = batch(root);
        String dossierId = message.getAggregateIdentifier();
        S current = batch.entry(dossierId);
        long before = model.lastSequence(current);
        S updated;
        try {
            updated = applier.apply(model.name(), current, before, message, model::apply);
        } catch (RuntimeException e) {
            List<EventMessage<?>> earlier = batch.discard(dossierId);
            if (root instanceof BatchingUnitOfWork<?> && !earlier.isEmpty()) {
                park(dossierId, earlier, "an event of the dossier after these could not be applied: "
                        + e.getClass().getName());
            }
            throw e;
        }
        batch.applied(dossierId, before, updated, message);
    }

    /** The processor's handler interceptor: reads before the batch's first event, writes after its last. */
    public MessageHandlerInterceptor<EventMessage<?>> interceptor() {
        return (unitOfWork, chain) -> {
            if (!(unitOfWork instanceof BatchingUnitOfWork<?> batching)) {
                return chain.proceed();
            }
            if (batching.isFirstMessage()) {
                batch(batching).prefetch(batching.getMessages().stream()
                        .filter(DomainEventMessage.class::isInstance)
                        .map(m -> ((DomainEventMessage<?>) m).getAggregateIdentifier())
                        .collect(Collectors.toCollection(LinkedHashSet::new)));
            }
            Object result = chain.proceed();
            if (batching.isLastMessage()) {
                Batch<S> batch = batch(batching);
                flush(batch).forEach((dossierId, cause) -> park(dossierId, batch.messages(dossierId), cause));
                // on this side's clock, against the time the command side recorded the event on its own
                Instant written = clock.instant();
                batching.getMessages().forEach(m -> lag.record(Duration.between(((EventMessage<?>) m).getTimestamp(), written)));
            }
            return result;
        };
    }

    private Batch<S> batch(UnitOfWork<?> root) {
        return root.getOrComputeResource(resource, key -> {
            Batch<S> batch = new Batch<>(model);
            if (!(root instanceof BatchingUnitOfWork<?>)) {
                root.onPrepareCommit(u -> {
                    Map<String, String> refused = flush(batch);
                    if (!refused.isEmpty()) {
                        throw new ReadModelRefusal(model.name(), refused);
                    }
                });
            }
            return batch;
        });
    }

    /**
     * Writes the batch's changed entries; entries found moved on by another writer are read again, the batch's events
     * applied to them (the {@link OrderedApplier} skips those already there), and written again over what was read.
     * Returns the dossiers whose entry the store refused for good.
     */
    private Map<String, String> flush(Batch<S> batch) {
        Map<String, String> refused = new LinkedHashMap<>();
        List<ReadModel.Write<S>> writes = batch.takeChanged();
        for (int attempt = 1; !writes.isEmpty(); attempt++) {
            ReadModel.Written written = model.write(batch.version, writes);
            refused.putAll(written.refused());
            if (written.stale().isEmpty()) {
                break;
            }
            stale.increment(written.stale().size());
            if (attempt == MAX_WRITE_ATTEMPTS) { // the batch fails and is retried from the last token
                throw new IllegalStateException("read model " + model.name() + ": the entries of "
                        + written.stale().size() + " dossier(s) kept moving on under " + attempt + " writes");
            }
            log.info("read model {}: the entries of {} dossier(s) were moved on by another writer; re-applying this"
                    + " batch's events to what is stored now", model.name(), written.stale().size());
            Map<String, S> current = model.read(batch.version, written.stale());
            writes = new ArrayList<>();
            for (String dossierId : written.stale()) {
                S entry = current.containsKey(dossierId) ? current.get(dossierId) : model.empty(dossierId);
                long stored = model.lastSequence(entry);
                for (EventMessage<?> message : batch.messages(dossierId)) {
                    entry = applier.apply(model.name(), entry, model.lastSequence(entry),
                            (DomainEventMessage<?>) message, model::apply);
                }
                if (model.lastSequence(entry) > stored) {
                    writes.add(new ReadModel.Write<>(entry, stored));
                }
            }
        }
        return refused;
    }

    private void park(String dossierId, List<EventMessage<?>> messages, String cause) {
        log.warn("read model {} refused the entry of dossier {} ({}): parking its {} event(s) of this batch and every"
                        + " later one until an operator retries or evicts them", model.name(), dossierId, cause,
                messages.size());
        SequencedDeadLetterQueue<EventMessage<?>> queue = deadLetters.apply(model.name());
        for (EventMessage<?> message : messages) {
            queue.enqueue(dossierId, new GenericDeadLetter<>(dossierId, message,
                    new ThrowableCause(ReadModelRefusal.class.getName(), REFUSAL + cause)));
            parked.increment();
        }
    }

    /** The entries one unit of work reads, changes and writes, and the stream's events applied to each. */
    private static final class Batch<S> {
        private final ReadModel<S> model;
        /**
         * The version this batch reads and writes, taken at its start: if writes move to another meanwhile (a rebuild's
         * switch), this batch still completes the one it read, which the rebuild keeps current.
         */
        private final String version;
        private final Map<String, S> entries = new HashMap<>();
        /** The last sequence number of each entry as read from the store (-1: none), which its write replaces. */
        private final Map<String, Long> stored = new HashMap<>();
        private final Set<String> changed = new LinkedHashSet<>();
        private final Map<String, List<EventMessage<?>>> messages = new LinkedHashMap<>();

        Batch(ReadModel<S> model) {
            this.model = model;
            this.version = model.writeVersion();
        }

        void prefetch(Set<String> dossierIds) {
            Map<String, S> found = model.read(version, dossierIds);
            for (String id : dossierIds) {
                keep(id, found.containsKey(id) ? found.get(id) : model.empty(id));
            }
        }

        S entry(String dossierId) {
            S entry = entries.get(dossierId);
            if (entry == null) {
                entry = model.read(version, List.of(dossierId)).getOrDefault(dossierId, model.empty(dossierId));
                keep(dossierId, entry);
            }
            return entry;
        }

        private void keep(String dossierId, S entry) {
            entries.put(dossierId, entry);
            stored.put(dossierId, model.lastSequence(entry));
        }

        /** Entries may be changed in place: a change shows in the last sequence number applied. */
        void applied(String dossierId, long sequenceBefore, S updated, EventMessage<?> message) {
            entries.put(dossierId, updated);
            if (model.lastSequence(updated) != sequenceBefore) {
                changed.add(dossierId);
            }
            messages.computeIfAbsent(dossierId, id -> new ArrayList<>()).add(message);
        }

        /** Forgets a dossier's entry (it may be half changed) and returns the stream's events applied to it. */
        List<EventMessage<?>> discard(String dossierId) {
            entries.remove(dossierId);
            stored.remove(dossierId);
            changed.remove(dossierId);
            List<EventMessage<?>> applied = messages.remove(dossierId);
            return applied == null ? List.of() : applied;
        }

        List<EventMessage<?>> messages(String dossierId) {
            return messages.getOrDefault(dossierId, List.of());
        }

        /** The changed entries, each over the one read; after this the entries count as written. */
        List<ReadModel.Write<S>> takeChanged() {
            List<ReadModel.Write<S>> writes = changed.stream()
                    .map(id -> new ReadModel.Write<>(entries.get(id), stored.get(id))).toList();
            changed.clear();
            return writes;
        }
    }

    /**
     * The store refused entries for good (outside a batch: the dead letter stays queued). Its message begins as a
     * parked letter's cause does, so that operators still see why after a retry that failed again.
     */
    public static final class ReadModelRefusal extends RuntimeException {
        ReadModelRefusal(String readModel, Map<String, String> refused) {
            super(REFUSAL + String.join("; ", refused.values()) + " (read model " + readModel + ", dossier(s) "
                    + String.join(", ", refused.keySet()) + ")");
        }
    }
}
