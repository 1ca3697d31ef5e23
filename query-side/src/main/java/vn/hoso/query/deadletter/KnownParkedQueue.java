package vn.hoso.query.deadletter;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.DeadLetterQueueOverflowException;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.NoSuchDeadLetterException;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A dead-letter queue that knows which dossiers it holds without asking MongoDB. Axon's dead-lettering invoker asks
 * the queue, for every event it handles, whether the event's dossier is parked: a database round trip per event per
 * read model, most of the cost of catching up. This keeps the parked dossiers' ids in memory: loaded at start,
 * updated by every enqueue, and read again from the store after an eviction or retry and at least every
 * {@code refresh} (another instance may have parked one); a dossier it holds as parked is confirmed in the store
 * before the answer (another instance may have freed it).
 */
final class KnownParkedQueue implements SequencedDeadLetterQueue<EventMessage<?>> {

    private final SequencedDeadLetterQueue<EventMessage<?>> delegate;
    private final Duration refresh;
    private final Set<Object> parked = ConcurrentHashMap.newKeySet();
    private volatile long loadedAt;

    KnownParkedQueue(SequencedDeadLetterQueue<EventMessage<?>> delegate, Duration refresh) {
        this.delegate = delegate;
        this.refresh = refresh;
        reload();
    }

    /** The dossiers a queue holds, read from the queue: each sequence's first letter names its dossier. */
    static Set<String> parkedDossiers(SequencedDeadLetterQueue<EventMessage<?>> queue) {
        Set<String> dossiers = new LinkedHashSet<>();
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
            for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                if (letter.message() instanceof DomainEventMessage<?> event) {
                    dossiers.add(event.getAggregateIdentifier());
                }
                break;
            }
        }
        return dossiers;
    }

    private synchronized void reload() {
        Set<String> current = parkedDossiers(delegate);
        parked.retainAll(current);
        parked.addAll(current);
        loadedAt = System.nanoTime();
    }

    private void reloadIfStale() {
        if (System.nanoTime() - loadedAt > refresh.toNanos()) {
            reload();
        }
    }

    /**
     * Whether the dossier is parked. A dossier this instance knows as parked is checked in the store before saying so
     * (one key read, only for parked dossiers): another instance, or an automatic retry, may have freed it, and a
     * stale view would park its next event again.
     */
    @Override
    public boolean contains(Object sequenceIdentifier) {
        reloadIfStale();
        if (!parked.contains(sequenceIdentifier)) {
            return false;
        }
        if (delegate.contains(sequenceIdentifier)) {
            return true;
        }
        parked.remove(sequenceIdentifier);
        return false;
    }

    @Override
    public void enqueue(Object sequenceIdentifier, DeadLetter<? extends EventMessage<?>> letter)
            throws DeadLetterQueueOverflowException {
        delegate.enqueue(sequenceIdentifier, letter);
        parked.add(sequenceIdentifier);
    }

    @Override
    public boolean enqueueIfPresent(Object sequenceIdentifier,
                                    Supplier<DeadLetter<? extends EventMessage<?>>> letterBuilder)
            throws DeadLetterQueueOverflowException {
        if (!contains(sequenceIdentifier)) {
            return false;
        }
        enqueue(sequenceIdentifier, letterBuilder.get());
        return true;
    }

    @Override
    public void evict(DeadLetter<? extends EventMessage<?>> letter) {
        delegate.evict(letter);
        reload();
    }

    @Override
    public void requeue(DeadLetter<? extends EventMessage<?>> letter,
                        UnaryOperator<DeadLetter<? extends EventMessage<?>>> letterUpdater)
            throws NoSuchDeadLetterException {
        delegate.requeue(letter, letterUpdater);
    }

    @Override
    public Iterable<DeadLetter<? extends EventMessage<?>>> deadLetterSequence(Object sequenceIdentifier) {
        return delegate.deadLetterSequence(sequenceIdentifier);
    }

    @Override
    public Iterable<Iterable<DeadLetter<? extends EventMessage<?>>>> deadLetters() {
        return delegate.deadLetters();
    }

    @Override
    public boolean isFull(Object sequenceIdentifier) {
        return delegate.isFull(sequenceIdentifier);
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public long sequenceSize(Object sequenceIdentifier) {
        return delegate.sequenceSize(sequenceIdentifier);
    }

    @Override
    public long amountOfSequences() {
        return delegate.amountOfSequences();
    }

    @Override
    public boolean process(Predicate<DeadLetter<? extends EventMessage<?>>> sequenceFilter,
                           Function<DeadLetter<? extends EventMessage<?>>, EnqueueDecision<EventMessage<?>>> processingTask) {
        try {
            return delegate.process(sequenceFilter, processingTask);
        } finally {
            reload();
        }
    }

    @Override
    public void clear() {
        delegate.clear();
        reload();
    }
}
