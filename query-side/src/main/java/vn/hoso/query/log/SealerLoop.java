package vn.hoso.query.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.hoso.eventstore.LogSealer;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import vn.hoso.query.store.DaemonScheduler;

/**
 * The sealer's background loop on every instance: the one holding the lease seals what was appended, batch after batch,
 * and signs the checkpoints that are due; the others keep asking for the lease, and take it over within its time when
 * the holder stops (at shutdown it is given up at once). A failing round (the store away) is logged and tried again.
 */
final class SealerLoop {

    private static final Logger log = LoggerFactory.getLogger(SealerLoop.class);
    private static final Duration BACK_OFF = Duration.ofSeconds(2);

    private final LogSealer sealer;
    private final LogProperties properties;
    private final String owner = "query-side-" + UUID.randomUUID();
    private final ScheduledExecutorService scheduler = DaemonScheduler.named("hoso-log-sealer");
    private volatile boolean holding;
    private volatile boolean stopped;
    private volatile long failuresInARow;

    SealerLoop(LogSealer sealer, LogProperties properties) {
        this.sealer = sealer;
        this.properties = properties;
    }

    void start() {
        scheduler.execute(sealer::publishKey);
        scheduler.schedule(this::round, 0, TimeUnit.MILLISECONDS);
    }

    boolean holdsLease() {
        return holding;
    }

    private void round() {
        if (stopped) {
            return;
        }
        Duration next = properties.pollInterval();
        try {
            boolean held = sealer.holdLease(owner, properties.lease());
            if (held && !holding) {
                sealer.reload();
                log.info("this instance ({}) seals the event log now", owner);
            }
            holding = held;
            if (held) {
                sealer.checkpointIfDue(); // (a new log signs its empty tree before its first leaf)
                long deadline = System.nanoTime() + properties.lease().toNanos() / 3;
                while (!stopped && sealer.sealNext() > 0 && System.nanoTime() < deadline) {
                    sealer.checkpointIfDue(); // (a long catch-up signs every checkpointEvents, not only at its end)
                }
                sealer.checkpointIfDue();
            }
            failuresInARow = 0;
        } catch (LogSealer.LostLeaseException lost) {
            holding = false;
            sealer.reload();
            log.warn("sealer: {}", lost.getMessage());
        } catch (RuntimeException e) {
            sealer.reload();
            next = BACK_OFF;
            if (failuresInARow++ % 30 == 0) {
                log.error("sealer: a sealing round failed ({} in a row); retried every {}", failuresInARow, BACK_OFF, e);
            }
        }
        if (!stopped) {
            scheduler.schedule(this::round, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void stop() {
        stopped = true;
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            if (holding) {
                sealer.releaseLease(owner);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("sealer: could not give the lease up at shutdown; another instance takes over when it runs out", e);
        }
    }
}
