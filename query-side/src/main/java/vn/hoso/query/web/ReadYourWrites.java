package vn.hoso.query.web;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;
import vn.hoso.query.store.DaemonScheduler;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Read-your-writes: a client passes the version a command returned ({@code minVersion}) and the query answers once
 * the read model has applied it, for a bounded time; otherwise {@code 503 READ_MODEL_BEHIND} with
 * {@code Retry-After}, never stale data passed off as current. A wait parks no request thread: the request goes
 * asynchronous and one scheduler thread polls every waiting read. At most {@code hoso.read-your-writes.max-waiting}
 * reads wait at once per instance; one more is answered {@code 503 BUSY} with {@code Retry-After} at once.
 */
@Component
public class ReadYourWrites implements DisposableBean {

    public static final Duration MAX_WAIT = Duration.ofSeconds(3);
    private static final long POLL_MILLIS = 50;

    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledExecutorService poller = DaemonScheduler.named("read-your-writes");

    public ReadYourWrites(@Value("${hoso.read-your-writes.max-waiting:100}") int maxWaiting) {
        this.maxWaiting = maxWaiting;
    }

    /**
     * The answer once {@code appliedVersion} reaches {@code minVersion}: at once when it has (or when no version is
     * asked for), else a deferred answer.
     */
    public <T> Object answer(Long minVersion, LongSupplier appliedVersion, Supplier<T> answer) {
        if (minVersion == null || appliedVersion.getAsLong() >= minVersion) {
            return answer.get();
        }
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            throw new QueryProblem(QueryProblem.Code.BUSY, "minVersion", "busy");
        }
        DeferredResult<T> result = new DeferredResult<>(MAX_WAIT.toMillis() + 2_000);
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        ScheduledFuture<?> poll = poller.scheduleWithFixedDelay(() -> {
            try {
                long applied = appliedVersion.getAsLong();
                if (applied >= minVersion) {
                    result.setResult(answer.get());
                } else if (System.nanoTime() > deadline) {
                    result.setErrorResult(new QueryProblem(QueryProblem.Code.READ_MODEL_BEHIND, "minVersion", "behind",
                            applied, minVersion));
                }
            } catch (RuntimeException e) {
                result.setErrorResult(e);
            }
        }, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        result.onTimeout(() -> result.setErrorResult(new QueryProblem(QueryProblem.Code.READ_MODEL_BEHIND,
                "minVersion", "behind", -1, minVersion)));
        result.onCompletion(() -> {
            poll.cancel(false);
            waiting.decrementAndGet();
        });
        return result;
    }

    /** Reads waiting now (for tests and metrics). */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public void destroy() {
        poller.shutdownNow();
    }
}
