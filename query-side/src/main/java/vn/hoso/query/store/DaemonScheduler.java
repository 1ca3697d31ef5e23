package vn.hoso.query.store;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/** The query side's background work: one daemon thread each, named for what it does, so a stuck one is found. */
public final class DaemonScheduler {

    private DaemonScheduler() {
    }

    /** A single-thread scheduler on a daemon thread of this name (it never keeps the JVM from exiting). */
    public static ScheduledExecutorService named(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(threads(threadName));
    }

    /** Daemon threads of this name, for an executor of another shape (a pool, a bounded queue). */
    public static ThreadFactory threads(String threadName) {
        return runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        };
    }
}
