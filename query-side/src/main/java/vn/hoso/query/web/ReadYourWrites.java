package vn.hoso.query.web;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;
import vn.hoso.query.store.DaemonScheduler;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Read-your-writes: a client passes the version a command returned ({@code minVersion}) and the query answers once
 * the read model has applied it, for a bounded time; otherwise {@code 503 READ_MODEL_BEHIND} with
 * {@code Retry-After}, never stale data passed off as current. A wait parks no request thread: the request goes
 * asynchronous and one scheduler thread answers every waiting read. It reads again as soon as the projection on this
 * instance says it wrote the entry waited for ({@link #applied}), and every {@code hoso.read-your-writes.poll} (50 ms)
 * besides (the entry's events may be projected by another instance). Each attempt is one read, and the answer is made from that
 * same read. At most {@code hoso.read-your-writes.max-waiting} reads wait at once per instance; one more is answered
 * {@code 503 BUSY} with {@code Retry-After} at once.
 */
@Component
public class ReadYourWrites implements DisposableBean {

    public static final Duration MAX_WAIT = Duration.ofSeconds(3);

    private final int maxWaiting;
    private final long pollMillis;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledExecutorService poller = DaemonScheduler.named("read-your-writes");
    /** The reads waiting, by the key of the entry each waits for (a dossier's id). */
    private final ConcurrentHashMap<String, Set<Waiter<?, ?>>> waiters = new ConcurrentHashMap<>();

    public ReadYourWrites(@Value("${hoso.read-your-writes.max-waiting:100}") int maxWaiting,
                          @Value("${hoso.read-your-writes.poll:50ms}") Duration poll) {
        this.maxWaiting = maxWaiting;
        this.pollMillis = Math.max(1, poll.toMillis());
    }

    /**
     * The answer once the entry read reaches {@code minVersion}: at once when it has (or when no version is asked
     * for), else a deferred answer, read again when {@link #applied} names {@code key} and every poll.
     *
     * @param key        the entry's key, as the projection names it to {@link #applied}
     * @param read       reads the entry as the caller may see it (what {@code version} and {@code answer} are given)
     * @param version    the version of what was read ({@code -1} for nothing)
     * @param answer     the answer from what was read
     */
    public <V, T> Object answer(String key, Long minVersion, Supplier<V> read, ToLongFunction<V> version,
                                Function<V, T> answer) {
        if (minVersion == null) {
            return answer.apply(read.get());
        }
        Waiter<V, T> waiter = new Waiter<>(minVersion, read, version, answer);
        // listening before the first read: a write applied after that read still wakes it
        waiters.compute(key, (k, set) -> {
            Set<Waiter<?, ?>> listening = set == null ? ConcurrentHashMap.newKeySet() : set;
            listening.add(waiter);
            return listening;
        });
        boolean deferred = false;
        boolean counted = false;
        try {
            V first = read.get();
            if (version.applyAsLong(first) >= minVersion) {
                return answer.apply(first);
            }
            counted = true;
            if (waiting.incrementAndGet() > maxWaiting) {
                throw new QueryProblem(QueryProblem.Code.BUSY, "minVersion", "busy");
            }
            DeferredResult<T> result = waiter.result;
            ScheduledFuture<?> poll = poller.scheduleWithFixedDelay(waiter::check, pollMillis, pollMillis,
                    TimeUnit.MILLISECONDS);
            result.onTimeout(() -> result.setErrorResult(new QueryProblem(QueryProblem.Code.READ_MODEL_BEHIND,
                    "minVersion", "behind", -1, minVersion)));
            result.onCompletion(() -> {
                poll.cancel(false);
                forget(key, waiter);
                waiting.decrementAndGet();
            });
            deferred = true; // from here the answer's completion ends the wait
            if (waiter.start()) {
                try {
                    poller.execute(waiter::check); // woken during the first read
                } catch (RejectedExecutionException e) {
                    // shutting down: the request ends with the service
                }
            }
            return result;
        } finally {
            if (!deferred) {
                forget(key, waiter);
                if (counted) {
                    waiting.decrementAndGet(); // refused as busy, or the poller shut down: no wait to end later
                }
            }
        }
    }

    /**
     * The projection wrote these entries (by key): the reads waiting for any of them read again now, on the waiting
     * reads' thread (never on the caller's). Keys nobody waits for cost a map lookup.
     */
    public void applied(Collection<String> keys) {
        for (String key : keys) {
            Set<Waiter<?, ?>> listening = waiters.get(key);
            if (listening != null && !listening.isEmpty()) {
                try {
                    poller.execute(() -> listening.forEach(Waiter::check));
                } catch (RejectedExecutionException e) {
                    return; // shutting down: the waits end with the requests
                }
            }
        }
    }

    private void forget(String key, Waiter<?, ?> waiter) {
        waiters.computeIfPresent(key, (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    /** Reads waiting now (for tests and metrics). */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public void destroy() {
        poller.shutdownNow();
    }

    /** One waiting read; checked only on the poller's thread, once started. */
    private static final class Waiter<V, T> {

        private final long minVersion;
        private final Supplier<V> read;
        private final ToLongFunction<V> version;
        private final Function<V, T> answer;
        private final DeferredResult<T> result = new DeferredResult<>(MAX_WAIT.toMillis() + 2_000);
        private volatile long deadline;
        private boolean started;
        /** Woken before it started (during its first read): checked once more as it starts. */
        private boolean missed;

        private Waiter(long minVersion, Supplier<V> read, ToLongFunction<V> version, Function<V, T> answer) {
            this.minVersion = minVersion;
            this.read = read;
            this.version = version;
            this.answer = answer;
        }

        /** Starts its checks; true when a wake came before, which must be checked now. */
        synchronized boolean start() {
            deadline = System.nanoTime() + MAX_WAIT.toNanos();
            started = true;
            return missed;
        }

        void check() {
            synchronized (this) {
                if (!started) {
                    missed = true;
                    return;
                }
            }
            if (result.isSetOrExpired()) {
                return;
            }
            try {
                V now = read.get();
                long applied = version.applyAsLong(now);
                if (applied >= minVersion) {
                    result.setResult(answer.apply(now));
                } else if (System.nanoTime() > deadline) {
                    result.setErrorResult(new QueryProblem(QueryProblem.Code.READ_MODEL_BEHIND, "minVersion", "behind",
                            applied, minVersion));
                }
            } catch (RuntimeException e) {
                result.setErrorResult(e);
            }
        }
    }
}
