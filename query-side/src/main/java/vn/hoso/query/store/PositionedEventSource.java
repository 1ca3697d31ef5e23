package vn.hoso.query.store;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;

import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The event stream the processors read, straight from the positioned store, with what Axon's embedded event store
 * lacks: a stream that tells its reader when events are available. Without that, Axon's pooled processor looks for
 * new events only every 500 ms when idle, which is most of a projection's lag; here a watcher polls the store's
 * position counter (one key lookup) every {@code pollInterval} and wakes the processor when the store has moved or a
 * gap is waiting to be read again.
 */
public class PositionedEventSource implements StreamableMessageSource<TrackedEventMessage<?>>, AutoCloseable {

    private static final int BUFFER = 500;

    private final PositionedMongoEventStorageEngine engine;
    private final Duration pollInterval;
    private final ScheduledExecutorService watcher = DaemonScheduler.named("event-stream-watcher");

    public PositionedEventSource(PositionedMongoEventStorageEngine engine, Duration pollInterval) {
        this.engine = engine;
        this.pollInterval = pollInterval;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new PositionStream(trackingToken);
    }

    @Override
    public TrackingToken createTailToken() {
        return engine.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return engine.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return engine.createTokenAt(dateTime);
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }

    /** One reader's stream: events read from the store in batches into a buffer, after the last token read. */
    private final class PositionStream implements BlockingStream<TrackedEventMessage<?>> {

        private final Deque<TrackedEventMessage<?>> buffer = new ConcurrentLinkedDeque<>();
        private volatile TrackingToken last;
        private volatile ScheduledFuture<?> watch;

        private PositionStream(TrackingToken start) {
            this.last = start;
        }

        private boolean fill() {
            if (!buffer.isEmpty()) {
                return true;
            }
            engine.readEvents(last, false).limit(BUFFER).forEach(buffer::add);
            TrackedEventMessage<?> newest = buffer.peekLast();
            if (newest != null) {
                last = newest.trackingToken();
            }
            return newest != null;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            fill();
            return Optional.ofNullable(buffer.peekFirst());
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (!fill()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(Math.min(left, pollInterval.toNanos()));
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() {
            while (!fill()) {
                LockSupport.parkNanos(pollInterval.toNanos());
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted while waiting for events");
                }
            }
            return buffer.pollFirst();
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            ScheduledFuture<?> previous = watch;
            if (previous != null) {
                previous.cancel(false);
            }
            watch = watcher.scheduleWithFixedDelay(() -> {
                if (!buffer.isEmpty() || storeMovedOn()) {
                    callback.run();
                }
            }, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }

        private boolean storeMovedOn() {
            TrackingToken token = last;
            if (!(token instanceof GapAwareTrackingToken gapAware)) {
                return engine.lastAllocatedPosition() > 0;
            }
            return gapAware.hasGaps() || engine.lastAllocatedPosition() > gapAware.getIndex();
        }

        @Override
        public void close() {
            ScheduledFuture<?> current = watch;
            if (current != null) {
                current.cancel(false);
            }
        }
    }
}
