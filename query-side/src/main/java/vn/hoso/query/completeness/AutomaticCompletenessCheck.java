package vn.hoso.query.completeness;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import vn.hoso.query.store.DaemonScheduler;
import vn.hoso.query.store.SegmentShare;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The completeness check, run without an operator: when an instance starts and every {@code hoso.completeness.every}
 * (5 min), on one instance at a time, over what was appended since the last run ended, up to the position every read
 * model has delivered (so nothing it finds is in flight), at most {@code max-positions-per-run} positions a run. Its
 * cost follows what was appended since, not the history. Which instance runs is decided by a unique insert: run n
 * has one document ({@code completeness_checks}, {@code _id} {@code run-<n>}), the instance whose insert lands runs
 * it; an instance tries when it has seen no new run for a whole period on its own clock (no clocks are compared).
 * Where the last run ended and what it found are kept there too ({@code _id} {@code state}): every
 * instance shows it in its readiness details (component {@code completeness}, UP whatever it found: a repair is done,
 * not pending) and the operator API ({@code GET /api/v1/operator/completeness-checks/last}). Each repair is a WARN
 * in the log and counted ({@code hoso_completeness_repaired_total}); runs are counted by outcome.
 * <p>
 * A position the event stream gave up holds a void marker: the event its writer held lands at a later position,
 * which the next run covers. Dossiers whose entries were lost later (removed by hand, an index restored from an old
 * snapshot) are found by a full check, an operator's tool ({@code POST /api/v1/operator/completeness-checks}).
 */
@Component("completenessHealthIndicator") // shown as "completeness"
public class AutomaticCompletenessCheck extends AbstractHealthIndicator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AutomaticCompletenessCheck.class);
    private static final String STATE = "state";

    private final CompletenessCheck check;
    private final CompletenessProperties properties;
    private final MongoCollection<Document> runs;
    private final Clock clock;
    private final String instance;
    /** The last run number this instance saw, and when (its nanoTime) it first saw it. */
    private long seenRun = -1;
    private long seenAt;
    private boolean started;
    private final Counter ran;
    private final Counter skipped;
    private final Counter failed;
    private volatile long checkedUpTo;
    private ScheduledExecutorService scheduler;

    public AutomaticCompletenessCheck(CompletenessCheck check, CompletenessProperties properties,
                                      MongoDatabase readModelDatabase, SegmentShare share, Clock clock,
                                      MeterRegistry meters) {
        super("completeness check state unreadable");
        this.check = check;
        this.properties = properties;
        this.runs = readModelDatabase.getCollection("completeness_checks");
        this.clock = clock;
        this.instance = share.instanceId();
        this.ran = runs("ran", meters);
        this.skipped = runs("another-instance", meters);
        this.failed = runs("failed", meters);
        Gauge.builder("hoso.completeness.checked.position", this, a -> a.checkedUpTo)
                .description("the event position up to which the automatic completeness check has checked every"
                        + " read model").register(meters);
    }

    private static Counter runs(String outcome, MeterRegistry meters) {
        return Counter.builder("hoso.completeness.automatic.runs").tag("outcome", outcome)
                .description("automatic completeness check periods, by what this instance did").register(meters);
    }

    /** The last run any instance made, and where it ended; empty before the first. */
    private Optional<Document> last() {
        return Optional.ofNullable(runs.find(new Document("_id", STATE)).first());
    }

    /**
     * What operators see of it (readiness details and the operator API): the position checked up to and the last run
     * any instance made, or that there was none yet.
     */
    public Map<String, Object> lastRun() {
        Map<String, Object> shown = new LinkedHashMap<>();
        last().ifPresentOrElse(state -> {
            shown.put("checkedUpToPosition", state.get("checkedUpTo"));
            shown.put("lastRun", state.get("lastRun", Document.class));
        }, () -> shown.put("lastRun", "none yet"));
        return shown;
    }

    /**
     * Runs the check if no instance has run one for a whole period (as this instance's own clock measures it: no
     * clocks are compared) and this instance's unique insert of the next run's document lands first. Returns the
     * report, or empty when it did not run.
     */
    public synchronized Optional<CompletenessCheck.Report> runIfDue() {
        Document state = last().orElse(null);
        long run = state == null ? 0 : state.get("run", Number.class).longValue();
        long now = System.nanoTime();
        if (run != seenRun) {
            seenRun = run;
            seenAt = now;
            if (started) {
                skipped.increment(); // another instance ran one since this instance last looked
                return Optional.empty();
            }
        } else if (started && now - seenAt < properties.every().toNanos()) {
            return Optional.empty();
        }
        started = true;
        if (!take("run-" + (run + 1))) {
            // another instance is running it; one that died before finishing it leaves its document behind, which
            // is given up after three periods without a new run
            if (now - seenAt > properties.every().multipliedBy(3).toNanos()) {
                runs.deleteOne(new Document("_id", "run-" + (run + 1)));
                log.warn("automatic completeness check run {} was taken but not finished for three periods: its"
                        + " instance is taken to have died, the run is given up", run + 1);
            }
            skipped.increment();
            return Optional.empty();
        }
        runs.deleteOne(new Document("_id", "run-" + run));
        long from = state == null ? 1 : state.get("checkedUpTo", Number.class).longValue() + 1;
        long upTo = Math.max(from - 1, Math.min(check.deliveredByAll(), from + properties.maxPositionsPerRun() - 1));
        CompletenessCheck.Report report = check.run(from, upTo);
        checkedUpTo = upTo;
        runs.replaceOne(new Document("_id", STATE), new Document("_id", STATE).append("run", run + 1)
                .append("checkedUpTo", upTo).append("lastRun", describe(report)), new ReplaceOptions().upsert(true));
        seenRun = run + 1;
        seenAt = System.nanoTime();
        ran.increment();
        return Optional.of(report);
    }

    private boolean take(String slot) {
        try {
            runs.insertOne(new Document("_id", slot).append("instance", instance).append("at", clock.instant().toString()));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    private Document describe(CompletenessCheck.Report report) {
        Document readModels = new Document();
        report.readModels().forEach((name, r) -> readModels.append(name, new Document("checked", r.checked())
                .append("missing", r.missing()).append("repaired", r.repaired()).append("parked", r.parked())
                .append("inFlight", r.inFlight())));
        return new Document("at", clock.instant().toString()).append("instance", instance)
                .append("fromPosition", report.fromPosition()).append("toPosition", report.toPosition())
                .append("events", report.events()).append("dossiers", report.dossiers())
                .append("readModels", readModels).append("tookMillis", report.tookMillis());
    }

    private void runSafely() {
        try {
            runIfDue();
        } catch (RuntimeException e) {
            failed.increment();
            log.warn("automatic completeness check failed ({}); the next period tries again", e.toString());
        }
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up().withDetails(lastRun());
    }

    @Override
    public void start() {
        if (properties.every().isZero()) {
            log.info("automatic completeness check off (hoso.completeness.every=0)");
            return;
        }
        scheduler = DaemonScheduler.named("hoso-completeness");
        // looks four times a period, so that a period without a run (the last runner stopped) is noticed soon
        long every = Math.max(25, properties.every().toMillis() / 4);
        scheduler.scheduleWithFixedDelay(this::runSafely, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** After the processors, so that the run at start sees what they have delivered. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
