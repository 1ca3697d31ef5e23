package vn.hoso.query.deadletter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import vn.hoso.query.store.DaemonScheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Retries parked dossiers on their own, so that a cause that goes away (a mapping fixed, a document that fits after
 * a change) frees them without an operator: each parked dossier is retried {@code hoso.dead-letters.retry-after}
 * (30 s) after this instance first saw it parked, then after twice as long after each retry that left it parked, up
 * to {@code retry-at-most} (1 h) between two retries. The schedule is this instance's (each instance keeps its own,
 * so with n instances a dossier is retried up to n times as often; Axon's queue lets one of them process a dossier's
 * letters at a time); operators see it in the dead-letter listing and can still retry or evict at any time.
 */
@Component
public class ParkedRetries implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ParkedRetries.class);

    private final DeadLetters deadLetters;
    private final DeadLetterProperties properties;
    private final Clock clock;
    /** Per read model and dossier: retries so far and when (nanoTime) the next one is due. */
    private final Map<String, Map<String, Schedule>> schedules = new ConcurrentHashMap<>();
    private final Map<String, Counter> freed = new ConcurrentHashMap<>();
    private final Map<String, Counter> stillParked = new ConcurrentHashMap<>();
    private ScheduledExecutorService runs;

    private record Schedule(int retries, long dueNanos) {
    }

    public ParkedRetries(DeadLetters deadLetters, DeadLetterProperties properties, Clock clock, MeterRegistry meters) {
        this.deadLetters = deadLetters;
        this.properties = properties;
        this.clock = clock;
        for (String readModel : deadLetters.readModels()) {
            schedules.put(readModel, new ConcurrentHashMap<>());
            freed.put(readModel, Counter.builder("hoso.dead.letters.retries").tag("readModel", readModel)
                    .tag("outcome", "freed").description("automatic retries of parked dossiers, by outcome")
                    .register(meters));
            stillParked.put(readModel, Counter.builder("hoso.dead.letters.retries").tag("readModel", readModel)
                    .tag("outcome", "still-parked").description("automatic retries of parked dossiers, by outcome")
                    .register(meters));
            Gauge.builder("hoso.dead.letters.retries.scheduled", this, r -> r.schedules.get(readModel).size())
                    .tag("readModel", readModel).description("parked dossiers waiting for their next automatic retry")
                    .register(meters);
        }
    }

    /** When this instance retries a parked dossier next, and how often it has retried it so far. */
    public Optional<Planned> planned(String readModel, String dossierId) {
        Schedule schedule = schedules.getOrDefault(readModel, Map.of()).get(dossierId);
        if (schedule == null) {
            return Optional.empty();
        }
        long in = Math.max(0, schedule.dueNanos() - System.nanoTime());
        return Optional.of(new Planned(schedule.retries(), clock.instant().plusNanos(in)));
    }

    public record Planned(int retries, Instant nextRetryAt) {
    }

    /** One round: schedules newly parked dossiers, retries those due, forgets those freed meanwhile. */
    void round() {
        for (String readModel : deadLetters.readModels()) {
            Map<String, Schedule> planned = schedules.get(readModel);
            Set<String> parked = deadLetters.parkedDossiers(readModel);
            planned.keySet().retainAll(parked);
            long now = System.nanoTime();
            for (String dossierId : parked) {
                Schedule schedule = planned.computeIfAbsent(dossierId, id -> new Schedule(0, now + delay(0).toNanos()));
                if (now - schedule.dueNanos() < 0) {
                    continue;
                }
                if (deadLetters.retry(readModel, dossierId)) {
                    planned.remove(dossierId);
                    freed.get(readModel).increment();
                    log.warn("parked dossier {} of read model {} applied on automatic retry {}: it flows again",
                            dossierId, readModel, schedule.retries() + 1);
                } else {
                    int retries = schedule.retries() + 1;
                    Duration next = delay(retries);
                    planned.put(dossierId, new Schedule(retries, System.nanoTime() + next.toNanos()));
                    stillParked.get(readModel).increment();
                    log.warn("parked dossier {} of read model {} still refused on automatic retry {}: next in {}",
                            dossierId, readModel, retries, next);
                }
            }
        }
    }

    private Duration delay(int retries) {
        Duration delay = properties.retryAfter().multipliedBy(1L << Math.min(retries, 30));
        return delay.compareTo(properties.retryAtMost()) > 0 ? properties.retryAtMost() : delay;
    }

    private void roundSafely() {
        try {
            round();
        } catch (RuntimeException e) {
            log.warn("automatic retry of parked dossiers failed ({}); trying again in {}", e.toString(), every());
        }
    }

    private Duration every() {
        Duration quarter = properties.retryAfter().dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(15)) > 0 ? Duration.ofSeconds(15) : quarter;
    }

    @Override
    public void start() {
        runs = DaemonScheduler.named("hoso-parked-retries");
        long every = every().toMillis();
        runs.scheduleWithFixedDelay(this::roundSafely, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (runs != null) {
            runs.shutdownNow();
            runs = null;
        }
    }

    @Override
    public boolean isRunning() {
        return runs != null;
    }

    /** After the processors (which start in the default phase) so that a retry finds them running. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
