package vn.hoso.query.web;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Read-your-writes: a client passes the version a command returned ({@code minVersion}) and the query waits, for a
 * bounded time, until the read model has applied it; otherwise it answers {@code 503 READ_MODEL_BEHIND} with
 * {@code Retry-After}, never stale data passed off as current.
 */
public final class ReadYourWrites {

    public static final Duration MAX_WAIT = Duration.ofSeconds(3);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private ReadYourWrites() {
    }

    public static void await(Long minVersion, LongSupplier appliedVersion) {
        if (minVersion == null) {
            return;
        }
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        long applied = appliedVersion.getAsLong();
        while (applied < minVersion) {
            if (System.nanoTime() > deadline) {
                throw new QueryProblem(QueryProblem.Code.READ_MODEL_BEHIND, "minVersion",
                        "the read model has version " + applied + ", not yet " + minVersion + "; retry shortly");
            }
            LockSupport.parkNanos(POLL_NANOS);
            applied = appliedVersion.getAsLong();
        }
    }
}
