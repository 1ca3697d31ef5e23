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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The event stream the processors read, straight from the positioned store, with what Axon's embedded event store
 * lacks: a stream that tells its reader when events are available. Without that, Axon's pooled processor looks for
 * new events only every 500 ms when idle, which is most of a projection's lag; here one watcher for every stream
 * reads the store's position counter (one key lookup) every {@code pollInterval} and wakes each processor whose stream
 * is behind it, or has a gap waiting to be read again: one counter read a tick however many processors read.
 */
public class PositionedEventSource implements StreamableMessageSource<TrackedEventMessage<?>>, AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PositionedEventSource.class);

    private static final int BUFFER = 500;

    private final PositionedMongoEventStorageEngine engine;
    private final Duration pollInterval;
    private final ScheduledExecutorService watcher = DaemonScheduler.named("event-stream-watcher");
    /** The streams whose readers asked to be woken. */
    private final Set<PositionStream> watched = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong readings = new java.util.concurrent.atomic.AtomicLong();

    public PositionedEventSource(PositionedMongoEventStorageEngine engine, Duration pollInterval) {
        this.engine = engine;
        this.pollInterval = pollInterval;
        watcher.scheduleWithFixedDelay(this::watch, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The position counter as the watcher last read it, and when ({@link System#nanoTime()}). */
    private record Reading(long allocated, long at) {
    }

    /** The watcher's last reading of the counter (none yet: too old to trust). */
    private volatile Reading counter = new Reading(-1, System.nanoTime() - Long.MAX_VALUE / 2);

    /** Whether a reading is at most two ticks old: recent enough to stand for the counter. */
    private boolean fresh(Reading reading) {
        return System.nanoTime() - reading.at() <= 2 * pollInterval.toNanos();
    }

    /** The counter readings the watcher took so far (each one read of the store). */
    long counterReadings() {
        return readings.get();
    }

    /** One tick: the counter read once (while any stream is watched), every stream behind it woken. */
    private void watch() {
        try {
            if (watched.isEmpty()) {
                return;
            }
            long allocated = engine.lastAllocatedPosition();
            readings.incrementAndGet();
            counter = new Reading(allocated, System.nanoTime()); // before the wake: the woken reader trusts it
            for (PositionStream stream : watched) {
                Runnable callback = stream.callback;
                if (callback != null && (!stream.buffer.isEmpty() || stream.behind(allocated))) {
                    try {
                        callback.run();
                    } catch (RuntimeException e) {
                        log.warn("event stream watcher: waking a processor failed (the others are woken): {}",
                                e.toString());
                    }
                }
            }
        } catch (Throwable e) {
            // the store unreachable for a moment: the processors' own reads fail and retry; the next tick tries again
            // (nothing thrown may end the scheduled ticks: every processor would fall back to Axon's 5 s polling)
            log.debug("event stream watcher: {}", e.toString());
        }
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
        private volatile Runnable callback;
        /** The last read filled the buffer: the store may hold more than any reading of the counter says. */
        private volatile boolean full;

        private PositionStream(TrackingToken start) {
            this.last = start;
        }

        private boolean fill() {
            if (!buffer.isEmpty()) {
                return true;
            }
            // the watcher's reading, at most two ticks old, stands for the counter: when it says the store has
            // nothing past this stream and no gap waits, the reader is told "nothing yet" without a read of the
            // store (it asks again and again while idle), and the next tick that finds the counter moved wakes it;
            // a read of what is there reads up to it. Catching up (the last read filled the buffer: the store may
            // hold more than any reading says), or with no fresh reading, the counter is read with each batch
            Reading reading = counter;
            boolean trusted = !full && fresh(reading);
            if (trusted && !behind(reading.allocated())) {
                return false;
            }
            Runnable read = () -> engine.readEvents(last, false).limit(BUFFER).forEach(buffer::add);
            if (trusted) {
                engine.readingUpTo(reading.allocated(), read);
            } else {
                read.run();
            }
            full = buffer.size() >= BUFFER;
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
            this.callback = callback;
            watched.add(this);
            return true;
        }

        /** Whether the store holds positions past this stream's, or a gap it waits for may have filled. */
        private boolean behind(long allocated) {
            TrackingToken token = last;
            if (!(token instanceof GapAwareTrackingToken gapAware)) {
                return allocated > 0;
            }
            return gapAware.hasGaps() || allocated > gapAware.getIndex();
        }

        @Override
        public void close() {
            watched.remove(this);
            callback = null;
        }
    }
}
