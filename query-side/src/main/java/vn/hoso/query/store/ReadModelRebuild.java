package vn.hoso.query.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.hoso.events.DossierEvent;
import vn.hoso.query.store.ReadModel.Write;
import vn.hoso.query.store.ReadModel.Written;
import vn.hoso.events.EventJson;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rebuild of a read model beside the live one ({@link VersionedReadModel}: the search index, the timelines). An
 * operator starts it, or the read model asks for one (a search mapping the live index refuses): a new version, set up
 * for filling fast, is filled from the start of the event stream by this loop, which runs on every query side and works
 * on one at a time (a lease in {@code read_model_rebuilds}; the stream's token is kept there after every batch, so an
 * instance that takes over, or restarts, resumes). Meanwhile the live version keeps serving and its processor keeps it
 * current.
 * <p>
 * Once the new version has caught up with the stream, it is checked against the store: every entry's last event is
 * the dossier's last in the store, it holds at least as many dossiers as the live one, and a random sample equals,
 * field by field, a fold of the dossier's events. Then writes move to it, it is brought level with what the live
 * processor wrote to the old one, and reads follow. The previous version stays current (this loop keeps writing both,
 * each entry over its own version) so that a rollback switches back to a current version, until it is retired after
 * {@code hoso.rebuild.retain-previous}; unless this version cannot write it (a search mapping the previous index
 * refuses): then it is left as it was, and no rollback goes back to it. Entries a version refuses are kept in
 * {@code read_model_rebuild_refused}, retried from the store every few seconds, and hold the switch back; so are the
 * entries the check finds wrong (missing, behind the store, or differing from a fold of it), which the retries repair.
 * An operator may abandon a rebuild that is still building.
 *
 * @param <S> the read model's entry of one dossier
 */
public class ReadModelRebuild<S> {

    private static final Logger log = LoggerFactory.getLogger(ReadModelRebuild.class);
    private static final int SAMPLE = 200;
    /** How many refused dossiers of a version one retry takes up. */
    private static final int REFUSED_RETRIED = 1_000;
    private static final Duration LEASE = Duration.ofSeconds(15);
    /** How long a switch waits for the live processor's batches begun before the move to be kept. */
    private static final Duration MOVE_SETTLES = Duration.ofSeconds(30);
    /** How long one turn of the loop feeds batches before it lets the next turn (retirement, a rollback) look. */
    private static final Duration TURN = Duration.ofSeconds(5);

    /** Where a rebuild stands. */
    public enum Status {
        /** The new version is being filled; reads go to the live one. */
        BUILDING,
        /** Writes went to the new version; it is brought level with the previous one before reads follow. */
        SWITCHING,
        /** Reads and writes went to the new version; the previous one is kept current until retired. */
        SWITCHED,
        /** Writes went back to the previous version; it is brought level before reads follow. */
        ROLLING_BACK,
        /** Switched back to the previous version; the new one is kept current until retired. */
        ROLLED_BACK,
        /** Over: the version not in use was deleted. */
        RETIRED,
        /** An operator abandoned it while it was building: the loop deletes the new version. */
        ABANDONING,
        /** Over: abandoned while building, its version deleted; the live version never changed. */
        ABANDONED;

        /** Whether a new rebuild may start. */
        boolean over() {
            return this == RETIRED || this == ABANDONED;
        }
    }

    /** What an operator reads of a rebuild. */
    public record Progress(String readModel, Status status, String building, String previous,
                           java.util.Set<String> live, long eventsDone, long eventsInStore, Double eventsPerSecond,
                           Long secondsLeft, Instant startedAt, Instant switchedAt, Instant retireAt, String lastCheck,
                           long documentsRefused, long entriesRepaired, Integer mapping, boolean previousKeptCurrent,
                           String reason) {
    }

    /** A rebuild is already under way (one per read model at a time). */
    public static final class AlreadyRunning extends RuntimeException {
        AlreadyRunning(String readModel, Status status) {
            super("a rebuild of " + readModel + " is " + status);
        }
    }

    /** The read model refuses a rebuild started on this instance (one of an earlier version), saying why. */
    public static final class RefusedHere extends RuntimeException {
        public RefusedHere(String why) {
            super(why);
        }
    }

    /** The previous version has a mapping this version cannot write: it was not kept current, so no rollback. */
    public static final class PreviousNotKept extends RuntimeException {
        PreviousNotKept(String previous) {
            super(previous + " has a mapping this version cannot write, so it was not kept current");
        }
    }

    /** An entry at an event the store lacks: no fold of the store repairs it, so the check stops there. */
    private static final class AheadOfStore extends RuntimeException {
        AheadOfStore(String why) {
            super(why);
        }
    }

    /** Nothing to abandon: no rebuild is building. */
    public static final class NothingToAbandon extends RuntimeException {
        NothingToAbandon(String readModel) {
            super("no rebuild of " + readModel + " is building");
        }
    }

    /** Nothing to roll back: no rebuild has switched. */
    public static final class NothingToRollBack extends RuntimeException {
        NothingToRollBack(String readModel) {
            super("no switched rebuild of " + readModel + " to roll back");
        }
    }

    /** Nothing to retire: no rebuild has switched or rolled back, or its unused version is already retired. */
    public static final class NothingToRetire extends RuntimeException {
        NothingToRetire(String readModel) {
            super("no switched or rolled-back rebuild of " + readModel + " keeps a version to retire");
        }
    }

    private final MongoCollection<Document> rebuilds;
    /** The dossiers a version being written refused, one document each, retried from the store. */
    private final MongoCollection<Document> refused;
    private final VersionedReadModel<S> model;
    /** The rebuild's state document's id: the read model's name. */
    private final String id;
    private final EventStore eventStore;
    private final PositionedMongoEventStorageEngine engine;
    /** The position every segment of the live processor has delivered through (its slowest segment). */
    private final java.util.function.ToLongFunction<String> liveDelivered;
    /** The furthest position any segment of the live processor may have applied. */
    private final java.util.function.ToLongFunction<String> liveReached;
    /** Events read per turn, and written in one bulk request per version. */
    private final int batchSize;
    private final Serializer serializer;
    private final Clock clock;
    private final Duration retainPrevious;
    private final String owner = UUID.randomUUID().toString();
    private final ObjectMapper json = EventJson.mapper();
    private final AtomicLong eventsDone = new AtomicLong();
    private ScheduledExecutorService loop;
    /** Applies a batch while the loop reads the next one from the stream. */
    private final java.util.concurrent.ExecutorService applier = java.util.concurrent.Executors
            .newSingleThreadExecutor(DaemonScheduler.threads("hoso-rebuild-apply"));
    /** The check's key lookups in the store, a few at a time. */
    private final java.util.concurrent.ExecutorService lookups = java.util.concurrent.Executors.newFixedThreadPool(4,
            DaemonScheduler.threads("hoso-rebuild-check"));
    private Instant lastCheckAt = Instant.EPOCH;
    private Instant lastRetryAt = Instant.EPOCH;
    /** Which version last matched the store (the costly check), and when; the switch follows within a minute. */
    private String matched;
    private Instant matchedAt = Instant.EPOCH;
    /** The stream this instance reads, kept open between turns, and the token it stands after. */
    private BlockingStream<TrackedEventMessage<?>> stream;
    private TrackingToken streamAfter;
    private Instant lastLogAt = Instant.EPOCH;
    private Instant lastRefitAt = Instant.EPOCH;
    /** Where this instance's rebuild time went since it last logged: reading the stream, or the read model. */
    private volatile long readNanos;
    private volatile long modelNanos;

    /**
     * @param wallClock      leases and retirement run on the wall clock, never on a test's domain clock
     * @param retainPrevious how long the version not in use after a switch is kept current, for a rollback
     */
    public ReadModelRebuild(MongoDatabase readModelDatabase, VersionedReadModel<S> model, EventStore eventStore,
                            PositionedMongoEventStorageEngine engine, Serializer serializer, MeterRegistry meters,
                            Clock wallClock, Duration retainPrevious, Duration poll, int batchSize,
                            java.util.function.ToLongFunction<String> liveDelivered,
                            java.util.function.ToLongFunction<String> liveReached) {
        this.model = model;
        this.id = model.name();
        this.liveDelivered = liveDelivered;
        this.liveReached = liveReached;
        this.batchSize = batchSize;
        this.rebuilds = readModelDatabase.getCollection("read_model_rebuilds");
        this.refused = readModelDatabase.getCollection("read_model_rebuild_refused");
        this.eventStore = eventStore;
        this.engine = engine;
        this.serializer = serializer;
        this.clock = wallClock;
        this.retainPrevious = retainPrevious;
        Gauge.builder("hoso.rebuild.events.done", eventsDone, AtomicLong::get).tag("readModel", id)
                .description("events a rebuild of the read model has applied to its new version").register(meters);
        this.loop = DaemonScheduler.named("hoso-rebuild-" + id);
        loop.scheduleWithFixedDelay(this::tick, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void stop() {
        loop.shutdownNow();
        lookups.shutdownNow();
        applier.shutdownNow();
        closeStream();
    }

    private void closeStream() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    /** The read model this rebuilds. */
    public String readModel() {
        return id;
    }

    /** Starts a rebuild; refused while one is building, switched or rolled back (not yet retired). */
    public Progress start() {
        return start("started by an operator");
    }

    /** Starts a rebuild for this reason (an operator's, or a mapping the live index refuses or lacks fields of). */
    private Progress start(String reason) {
        Document current = state();
        if (current != null && !Status.valueOf(current.getString("status")).over()) {
            throw new AlreadyRunning(id, Status.valueOf(current.getString("status")));
        }
        Document fields = model.startFields(); // or refused on this instance
        String previous = model.readVersion();
        String building = model.createVersion();
        Document state = new Document("_id", id).append("status", Status.BUILDING.name())
                .append("building", building).append("previous", previous)
                .append("startedAt", Date.from(clock.instant())).append("eventsDone", 0L)
                .append("leaseUntil", new Date(0)).append("version", 0L).append("dossiersBegun", 0L)
                .append("reason", reason).append("keepsPrevious", true);
        state.putAll(fields);
        try {
            if (current == null) {
                rebuilds.insertOne(state);
            } else if (rebuilds.replaceOne(Filters.and(Filters.eq("_id", id), Filters.eq("version",
                    current.getLong("version"))), state.append("version", current.getLong("version") + 1),
                    new ReplaceOptions()).getModifiedCount() == 0) {
                model.deleteVersion(building);
                throw new AlreadyRunning(id, Status.BUILDING);
            }
        } catch (MongoWriteException e) {
            model.deleteVersion(building);
            if (ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                throw new AlreadyRunning(id, Status.BUILDING);
            }
            throw e;
        } catch (RuntimeException e) {
            model.deleteVersion(building);
            throw e;
        }
        refused.deleteMany(Filters.eq("readModel", id)); // what an earlier rebuild refused is no longer of use
        log.info("{} rebuild started ({}): filling {}{} from the start of the event stream beside {}", id, reason,
                building, fields.isEmpty() ? "" : " " + fields.toJson(), previous);
        return progress().orElseThrow();
    }

    /**
     * Switches back to the previous version, which this loop has kept current: claimed here, carried out by the loop
     * within a turn (writes first, then reads once it is level).
     */
    public Progress rollBack() {
        Document state = state();
        if (state != null && Status.valueOf(state.getString("status")) == Status.SWITCHED
                && !state.getBoolean("keepsPrevious", true)) {
            throw new PreviousNotKept(state.getString("previous"));
        }
        // claimed (switched, and not retiring yet): the loop moves writes back, brings the previous version level, then
        // moves reads, and retires nothing this rollback serves
        if (state == null || rebuilds.updateOne(Filters.and(Filters.eq("_id", id),
                        Filters.eq("status", Status.SWITCHED.name()), Filters.gt("retireAt", Date.from(clock.instant()))),
                new Document("$set", new Document("status", Status.ROLLING_BACK.name())
                        .append("retireAt", Date.from(clock.instant().plus(retainPrevious))))
                        .append("$inc", new Document("version", 1L))).getModifiedCount() == 0) {
            throw new NothingToRollBack(id);
        }
        log.warn("{} rebuild rolling back: writes, then reads, return to {} once it is level", id,
                state.getString("previous"));
        return progress().orElseThrow();
    }

    /**
     * Retires the version not in use now instead of at the end of {@code retain-previous}, once an operator is satisfied
     * with a switch (or a rollback): its disk is freed and no rollback is possible after. Claimed here (the retirement
     * time brought forward); the loop on whichever instance holds the lease deletes the version within a turn.
     */
    public Progress retire() {
        if (rebuilds.updateOne(Filters.and(Filters.eq("_id", id),
                        Filters.in("status", Status.SWITCHED.name(), Status.ROLLED_BACK.name())),
                new Document("$set", new Document("retireAt", Date.from(clock.instant())))
                        .append("$inc", new Document("version", 1L))).getModifiedCount() == 0) {
            throw new NothingToRetire(id);
        }
        log.warn("{} rebuild: an operator retires the version not in use now", id);
        return progress().orElseThrow();
    }

    /**
     * Abandons a rebuild while it is building (its instances went away, say, in an upgrade given up): claimed here; the
     * loop on whichever instance holds the lease next deletes the new version. The live version never changed.
     */
    public Progress abandon() {
        if (rebuilds.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("status", Status.BUILDING.name())),
                new Document("$set", new Document("status", Status.ABANDONING.name()))
                        .append("$inc", new Document("version", 1L))).getModifiedCount() == 0) {
            throw new NothingToAbandon(id);
        }
        log.warn("{} rebuild abandoned by an operator: its new version is deleted, the live one stays", id);
        return progress().orElseThrow();
    }

    public Optional<Progress> progress() {
        Document state = state();
        if (state == null) {
            return Optional.empty();
        }
        long done = state.get("eventsDone", Number.class).longValue();
        long total = position(eventStore.createHeadToken());
        Instant started = state.getDate("startedAt").toInstant();
        double seconds = Math.max(0.001, Duration.between(started, clock.instant()).toMillis() / 1000.0);
        Status status = Status.valueOf(state.getString("status"));
        Double rate = status == Status.BUILDING && done > 0 ? Math.round(done / seconds * 10) / 10.0 : null;
        Long left = rate == null || rate == 0 ? null : Math.max(0, (long) ((total - done) / rate));
        return Optional.of(new Progress(id, status, state.getString("building"), state.getString("previous"),
                model.liveVersions(), done, total, rate, left, started, instant(state, "switchedAt"),
                instant(state, "retireAt"), state.getString("lastCheck"),
                refused.countDocuments(Filters.eq("readModel", id)), state.get("entriesRepaired", 0L),
                state.getInteger("mapping"),
                state.getBoolean("keepsPrevious", true), state.getString("reason")));
    }

    /** Starts a rebuild the mapping calls for; the state then (another instance's start may have won). */
    private Document startedFor(String reason) {
        try {
            start(reason);
        } catch (AlreadyRunning | RefusedHere e) {
            log.info("{} rebuild not started here: {}", id, e.getMessage());
        }
        return state();
    }

    /** The rebuild's state document, or null before the first rebuild. */
    private Document state() {
        return rebuilds.find(Filters.eq("_id", id)).first();
    }

    private static long position(TrackingToken token) {
        return token == null ? 0 : token.position().orElse(0);
    }

    /** The fields that keep a stream's token in the state. */
    private Document tokenFields(TrackingToken token) {
        SerializedObject<byte[]> serialized = serializer.serialize(token, byte[].class);
        return new Document("token", new Binary(serialized.getData()))
                .append("tokenType", serialized.getType().getName())
                .append("tokenRevision", serialized.getType().getRevision());
    }

    private static Instant instant(Document state, String field) {
        Date date = state.getDate(field);
        return date == null ? null : date.toInstant();
    }

    /** One turn of the loop: hold the lease, then fill, check and switch, keep both current, or retire. */
    void tick() {
        try {
            Document state = state();
            boolean over = state == null || Status.valueOf(state.getString("status")).over();
            if (Duration.between(lastRefitAt, clock.instant()).toSeconds() >= 5) {
                lastRefitAt = clock.instant();
                Optional<String> wanted = model.rebuildWanted();
                if (over && wanted.isPresent()) {
                    state = startedFor(wanted.get());
                }
                over = state == null || Status.valueOf(state.getString("status")).over();
            }
            if (over) {
                closeStream();
                return;
            }
            Status status = Status.valueOf(state.getString("status"));
            String building = state.getString("building");
            String previous = state.getString("previous");
            if (status == Status.ABANDONING) {
                // any instance carries it out (those of the rebuild's mapping may all be gone), under the lease
                if (holdLease()) {
                    closeStream();
                    model.deleteVersion(building);
                    refused.deleteMany(Filters.eq("readModel", id));
                    update(new Document("status", Status.ABANDONED.name()));
                    log.info("{} rebuild abandoned: {} deleted", id, building);
                }
                return;
            }
            // a rebuild is carried out by instances that can (of the search mapping it builds for)
            if (!model.buildsHere(state) || !holdLease()) {
                closeStream();
                return;
            }
            if (status == Status.SWITCHING) {
                switchTo(building, previous, Status.SWITCHED);
                return;
            }
            if (status == Status.ROLLING_BACK) {
                switchTo(previous, building, Status.ROLLED_BACK);
                return;
            }
            List<String> targets = status == Status.BUILDING || !state.getBoolean("keepsPrevious", true)
                    ? List.of(building) : List.of(building, previous);
            // while full batches keep coming, batch after batch (the lease held), for up to a few seconds a turn
            int applied = feedPipelined(targets, System.nanoTime() + TURN.toNanos());
            if (applied < 0) {
                return; // the lease went elsewhere: whoever holds it goes on
            }
            if (Duration.between(lastRetryAt, clock.instant()).toSeconds() >= 5) {
                // the dead-letter retries of the versions this loop writes, every few seconds
                lastRetryAt = clock.instant();
                retryRefused(targets);
            }
            if (status == Status.BUILDING && applied < batchSize) {
                // the stream had no more for now: caught up, within a poll of the head
                checkAndSwitch(building, previous, token(state()));
            } else if (status != Status.BUILDING && clock.instant().isAfter(instant(state, "retireAt"))) {
                // claimed first: a rollback racing it either came before (and the state says so) or finds it retired
                if (rebuilds.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("status", status.name()),
                        Filters.eq("leaseOwner", owner)), new Document("$set", new Document("status",
                        Status.RETIRED.name())).append("$inc", new Document("version", 1L))).getModifiedCount() == 1) {
                    String unused = status == Status.SWITCHED ? previous : building;
                    model.deleteVersion(unused);
                    closeStream();
                    log.info("{} rebuild over: {} retired", id, unused);
                }
            }
        } catch (RuntimeException e) {
            closeStream();
            log.warn("{} rebuild: a turn failed, retried next turn: {}", id, e.toString());
        }
    }

    private boolean holdLease() {
        Date now = Date.from(clock.instant());
        return rebuilds.updateOne(Filters.and(Filters.eq("_id", id), Filters.or(Filters.eq("leaseOwner", owner),
                        Filters.lt("leaseUntil", now))),
                new Document("$set", new Document("leaseOwner", owner).append("leaseUntil",
                        Date.from(clock.instant().plus(LEASE))))).getModifiedCount() == 1;
    }

    /** Updates the rebuild while this instance holds its lease; false when it no longer does. */
    private boolean update(Document fields) {
        return rebuilds.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("leaseOwner", owner)),
                new Document("$set", fields).append("$inc", new Document("version", 1L))).getModifiedCount() == 1;
    }

    /**
     * After writes moved, the loop reads again from where both writers had applied everything (the live processor's
     * slowest segment, or this loop's own position if that is earlier): events either applied to the version it wrote
     * until then reach the other one too (a document already there is left as it is).
     */
    private void rewindToLive() {
        // back to where both writers had applied everything: never forward past what this loop has not applied yet
        long delivered = liveDelivered.applyAsLong(id);
        TrackingToken own = token(state());
        if (own instanceof org.axonframework.eventhandling.GapAwareTrackingToken gapAware) {
            delivered = Math.min(delivered, gapAware.hasGaps() ? gapAware.getGaps().first() - 1 : gapAware.getIndex());
        } else if (own == null) {
            delivered = 0;
        }
        TrackingToken from = org.axonframework.eventhandling.GapAwareTrackingToken.newInstance(delivered,
                java.util.List.of());
        rebuilds.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("leaseOwner", owner)),
                new Document("$set", tokenFields(from)).append("$inc", new Document("version", 1L)));
        closeStream();
    }

    /**
     * A batch read from the stream: its dossiers' events, how many events it read, the token after it, and how many
     * dossiers begin in it (their first event).
     */
    private record Batch(List<DomainEventMessage<?>> events, int count, TrackingToken before, TrackingToken after,
                         long begun) {
    }

    /** Applies the next batch of the stream to each target version; returns how many events it applied. */
    private int feed(Document state, List<String> targets) {
        Batch batch = read(state);
        if (batch == null) {
            return 0;
        }
        applyAll(targets, batch);
        return commit(state(), batch, targets) ? batch.count() : 0;
    }

    /**
     * Batch after batch while full ones keep coming, until {@code until} (nanoTime): each batch is applied on the
     * applier thread while the next one is read from the stream, and its token is kept once it was applied, in order.
     * Returns the size of the last batch applied (0 when the lease went elsewhere).
     */
    private int feedPipelined(List<String> targets, long until) {
        Batch current = read(state());
        if (current == null) {
            return 0;
        }
        while (true) {
            Batch batch = current;
            java.util.concurrent.Future<?> applying = applier.submit(() -> applyAll(targets, batch));
            Batch next = null;
            boolean applied = false;
            try {
                next = batch.count() == batchSize && System.nanoTime() < until ? readNext(batch.after()) : null;
                // the lease renewed while the batch is applied (never taken back: another instance may have it now)
                while (!applied) {
                    try {
                        applying.get(LEASE.toMillis() / 3, TimeUnit.MILLISECONDS);
                        applied = true;
                    } catch (java.util.concurrent.TimeoutException slow) {
                        if (!renewLease()) {
                            break;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                closeStream();
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(e.getCause());
            } finally {
                if (!applying.isDone()) {
                    awaitQuietly(applying); // never leave a batch being applied behind the loop
                }
            }
            if (!applied || !renewLease() || !commit(state(), batch, targets)) {
                closeStream(); // the lease went to another instance: it resumes from the stored token
                return -1;
            }
            if (next == null) {
                return batch.count();
            }
            current = next;
        }
    }

    private static void awaitQuietly(java.util.concurrent.Future<?> applying) {
        try {
            applying.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // the caller gives the batch up; its token is not kept, so it is applied again
        }
    }

    /** Extends this instance's lease if it still holds it; never takes one that expired. */
    private boolean renewLease() {
        return rebuilds.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("leaseOwner", owner)),
                new Document("$set", new Document("leaseUntil", Date.from(clock.instant().plus(LEASE)))))
                .getModifiedCount() == 1;
    }

    /** The next batch from where the rebuild stands (the stream reopened there if needed); null when none came. */
    private Batch read(Document state) {
        TrackingToken token = token(state);
        if (stream == null || !java.util.Objects.equals(token, streamAfter)) {
            // first turn here, or another instance moved the rebuild on: read from where the rebuild stands
            closeStream();
            stream = eventStore.openStream(token);
            streamAfter = token;
        }
        return readNext(token);
    }

    /** The next batch of the open stream, which stands after {@code token}; null when none came (or interrupted). */
    private Batch readNext(TrackingToken token) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        TrackingToken last = token;
        int read = 0;
        long began = System.nanoTime();
        try {
            while (read < batchSize && stream.hasNextAvailable(read == 0 ? 300 : 50, TimeUnit.MILLISECONDS)) {
                TrackedEventMessage<?> message = stream.nextAvailable();
                read++;
                last = message.trackingToken();
                if (message instanceof DomainEventMessage<?> domain && domain.getPayload() instanceof DossierEvent) {
                    events.add(domain);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeStream();
            return null;
        }
        readNanos += System.nanoTime() - began;
        long begun = events.stream().filter(e -> e.getSequenceNumber() == 0).count();
        return last == token ? null : new Batch(events, read, token, last, begun);
    }

    /** Applies a batch to each target version, keeping what they refuse for retries. */
    private void applyAll(List<String> targets, Batch batch) {
        long applying = System.nanoTime();
        for (String target : targets) {
            refuse(target, apply(target, batch.events()));
        }
        modelNanos += System.nanoTime() - applying;
    }

    /** Keeps the token after a batch applied to every target (under this instance's lease); false without it. */
    private boolean commit(Document state, Batch batch, List<String> targets) {
        long done = state.get("eventsDone", Number.class).longValue() + batch.events().size();
        Document fields = tokenFields(batch.after()).append("eventsDone", done);
        if (Status.valueOf(state.getString("status")) == Status.BUILDING) {
            // the dossiers the stream has begun up to the token: each needs an entry in the new version (counted
            // while building only, the one pass over the stream; a switch reads part of it again)
            fields.append("dossiersBegun", state.get("dossiersBegun", 0L) + batch.begun());
        }
        // only over the token the batch was read after: a batch another instance kept meanwhile is never kept twice
        Document filter = new Document("_id", id).append("leaseOwner", owner);
        if (batch.before() == null) {
            filter.append("token", new Document("$exists", false));
        } else {
            filter.append("token", tokenFields(batch.before()).get("token"));
        }
        if (rebuilds.updateOne(filter, new Document("$set", fields).append("$inc", new Document("version", 1L)))
                .getModifiedCount() == 0) {
            closeStream(); // the lease, or the rebuild, moved on: it resumes from the stored token
            return false;
        }
        streamAfter = batch.after();
        eventsDone.set(done);
        if (Duration.between(lastLogAt, clock.instant()).toSeconds() >= 10) {
            lastLogAt = clock.instant();
            log.info("{} rebuild into {}: {} events applied; since the last report {} ms reading the stream, {} ms"
                    + " reading and writing the read model (the two overlap)", id, targets, done,
                    readNanos / 1_000_000, modelNanos / 1_000_000);
            readNanos = 0;
            modelNanos = 0;
        }
        return true;
    }

    /** An entry with the dossier's stored events after its last one applied, up to {@code through}, read by key. */
    private S foldFromStore(S entry, String dossierId, long through) {
        S next = entry;
        for (DomainEventMessage<?> event : eventStore.readEvents(dossierId, model.lastSequence(entry) + 1).asStream()
                .filter(e -> e.getSequenceNumber() <= through).toList()) {
            next = model.apply(next, event);
        }
        return next;
    }

    private TrackingToken token(Document state) {
        Binary data = state.get("token", Binary.class);
        if (data == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(data.getData(), byte[].class,
                state.getString("tokenType"), state.getString("tokenRevision")));
    }

    /**
     * Keeps the dossiers a version refused, one document each in {@code read_model_rebuild_refused} (however many),
     * for its retries; a dossier refused again is the same document.
     */
    private void refuse(String version, Map<String, String> why) {
        for (Map.Entry<String, String> dossier : why.entrySet()) {
            refused.replaceOne(Filters.eq("_id", id + "#" + version + "#" + dossier.getKey()),
                    new Document("readModel", id).append("version", version).append("dossierId", dossier.getKey())
                            .append("cause", dossier.getValue()), new ReplaceOptions().upsert(true));
        }
    }

    /** Applies the batch's events to one version, each entry over its own version; returns those it refused, why. */
    private Map<String, String> apply(String target, List<DomainEventMessage<?>> batch) {
        Map<String, List<DomainEventMessage<?>>> byDossier = new LinkedHashMap<>();
        batch.forEach(e -> byDossier.computeIfAbsent(e.getAggregateIdentifier(), k -> new ArrayList<>()).add(e));
        Map<String, String> refusals = new LinkedHashMap<>();
        java.util.Collection<String> dossiers = byDossier.keySet();
        // an entry another writer moved on meanwhile (the live processor, after writes moved) is read again and the
        // batch's events applied to it (those it has are skipped), so that none is lost from either version
        for (int attempt = 1; !dossiers.isEmpty(); attempt++) {
            Map<String, S> stored = model.read(target, dossiers);
            List<Write<S>> writes = new ArrayList<>();
            for (String dossierId : dossiers) {
                S entry = stored.get(dossierId);
                long replaces = entry == null ? -1 : model.lastSequence(entry);
                S next = entry == null ? model.empty(dossierId) : entry;
                for (DomainEventMessage<?> event : byDossier.get(dossierId)) {
                    long sequence = event.getSequenceNumber();
                    if (sequence <= model.lastSequence(next)) {
                        continue;
                    }
                    if (sequence > model.lastSequence(next) + 1) {
                        // events this version lacks before it: read from the store, by key
                        next = foldFromStore(next, dossierId, sequence - 1);
                    }
                    next = model.apply(next, event);
                }
                if (model.lastSequence(next) > replaces) {
                    writes.add(new Write<>(next, replaces));
                }
            }
            Written written = model.write(target, writes);
            refusals.putAll(written.refused());
            dossiers = written.stale();
            if (!dossiers.isEmpty() && attempt == 5) {
                throw new IllegalStateException(id + " rebuild: the entries of " + dossiers.size() + " dossiers in "
                        + target + " kept moving on under 5 writes");
            }
        }
        if (!refusals.isEmpty()) {
            log.error("{} rebuild: {} refused {} entries (not switched while so): {}", id, target, refusals.size(),
                    refusals);
        }
        return refusals;
    }

    /**
     * The dead-letter retries of the versions this loop writes: each dossier a version refused is folded again from the
     * store and written; those it takes now are cleared (a cause that went away: a limit raised, Elasticsearch back),
     * those it still refuses stay, and while any does the new version is not switched to. Returns how many stay.
     */
    private long retryRefused(List<String> versions) {
        long left = 0;
        for (String version : versions) {
            List<String> dossiers = new ArrayList<>();
            java.util.Set<String> whole = new java.util.HashSet<>();
            refused.find(Filters.and(Filters.eq("readModel", id), Filters.eq("version", version))).limit(REFUSED_RETRIED)
                    .forEach(d -> {
                        dossiers.add(d.getString("dossierId"));
                        if (d.getBoolean("whole", false)) {
                            whole.add(d.getString("dossierId"));
                        }
                    });
            if (dossiers.isEmpty()) {
                continue;
            }
            Map<String, S> stored = model.read(version, dossiers);
            List<Write<S>> writes = new ArrayList<>();
            for (String dossierId : dossiers) {
                S entry = stored.get(dossierId);
                long replaces = entry == null ? -1 : model.lastSequence(entry);
                // an entry the check found to differ from the store is folded again from the dossier's first event
                S next = foldFromStore(entry == null || whole.contains(dossierId) ? model.empty(dossierId) : entry,
                        dossierId, Long.MAX_VALUE);
                writes.add(new Write<>(next, replaces));
            }
            Map<String, String> still = model.write(version, writes).refused();
            for (String dossierId : dossiers) {
                if (!still.containsKey(dossierId)) {
                    refused.deleteOne(Filters.eq("_id", id + "#" + version + "#" + dossierId));
                }
            }
            refuse(version, still);
            left += refused.countDocuments(Filters.and(Filters.eq("readModel", id), Filters.eq("version", version)));
            if (!still.isEmpty()) {
                log.warn("{} rebuild: {} still refuses {} entries: {}", id, version, still.size(), still);
            }
        }
        return left;
    }

    /**
     * The new version against the store, then the switch: every document's last event is its dossier's last in the
     * store, it holds at least as many dossiers as the live version, and a random sample equals a fold of the store.
     */
    private void checkAndSwitch(String building, String previous, TrackingToken token) {
        long left = refused.countDocuments(Filters.and(Filters.eq("readModel", id), Filters.eq("version", building)));
        if (left > 0) {
            // retried every few seconds (the loop's turn), and the switch held back while any is still refused
            update(new Document("lastCheck", left + " entries refused by the new version or found wrong by the check"
                    + " (see the log), folded again from the store every few seconds: not switched"));
            return;
        }
        if (!building.equals(matched) || Duration.between(matchedAt, clock.instant()).toSeconds() >= 60) {
            if (Duration.between(lastCheckAt, clock.instant()).toSeconds() < 5) {
                return;
            }
            lastCheckAt = clock.instant();
            Optional<String> difference = difference(building, previous, token);
            if (difference.isPresent()) {
                update(new Document("lastCheck", difference.get()));
                log.warn("{} rebuild: {} does not match the store yet: {}", id, building, difference.get());
                return;
            }
            matched = building;
            matchedAt = clock.instant();
        }
        // the last events since the check, then the switch, once this version holds all the live one shows: every
        // event the live processor has reached (its furthest segment)
        feed(state(), List.of(building));
        long through = position(token(state()));
        long live = liveReached.applyAsLong(id);
        if (through < live) {
            update(new Document("lastCheck", "at position " + through + ", the live version at " + live));
            return;
        }
        model.readyForReads(building);
        // the switch is claimed (this instance's lease, still building) before anything moves
        if (!holdLease() || rebuilds.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("leaseOwner", owner),
                Filters.eq("status", Status.BUILDING.name())), new Document("$set", new Document("status",
                Status.SWITCHING.name()).append("lastCheck", "matches the store"))
                .append("$inc", new Document("version", 1L))).getModifiedCount() == 0) {
            return;
        }
        switchTo(building, previous, Status.SWITCHED);
    }

    /**
     * Moves writes to {@code target}, brings it level with {@code other} (every event the live processor may have
     * written to the other before the move, applied to both), then moves reads: no reader sees less than before.
     * Resumed by whichever instance holds the lease if this one stops half-way.
     */
    private void switchTo(String target, String other, Status done) {
        model.readyForReads(target);
        model.pointWritesAt(target);
        model.writesMoved(); // this instance's own writers follow at once
        // the others follow within moveTakesEffect, and a live batch that took the old version before the move holds
        // events up to the head at the move: what the live processor reached is measured once every segment has
        // delivered past that head (every such batch kept, or failed and retried into the new version), or after
        // MOVE_SETTLES when a segment does not move (no instance processes it now)
        long effectiveAt = System.nanoTime() + model.moveTakesEffect().toNanos();
        long headAtMove = position(eventStore.createHeadToken());
        long settleBy = System.nanoTime() + MOVE_SETTLES.toNanos();
        Long reachedBeforeTheMove = null;
        Document begun = state();
        // a version of a mapping this one cannot write is left as it is (no rollback to it)
        List<String> level = begun.getBoolean("keepsPrevious", true) ? List.of(target, other) : List.of(target);
        rewindToLive();
        for (int turn = 0; ; turn++) {
            if (!holdLease()) {
                return;
            }
            Document state = state();
            int read = feed(state, level);
            long through = position(token(state()));
            if (reachedBeforeTheMove == null && System.nanoTime() >= effectiveAt) {
                boolean settled = liveDelivered.applyAsLong(id) >= headAtMove;
                if (settled || System.nanoTime() >= settleBy) {
                    if (!settled) {
                        log.warn("{} rebuild: the live processor has not delivered past position {} within {} of the"
                                + " move; switching reads with what it reached", id, headAtMove, MOVE_SETTLES);
                    }
                    reachedBeforeTheMove = liveReached.applyAsLong(id);
                }
            }
            if (reachedBeforeTheMove != null && read < batchSize && through >= reachedBeforeTheMove) {
                break;
            }
            if (turn > 10_000) {
                throw new IllegalStateException("the " + id + " rebuild could not bring " + target + " level");
            }
        }
        model.readyForReads(target);
        model.pointReadsAt(target);
        Instant now = clock.instant();
        Document fields = new Document("status", done.name());
        if (done == Status.SWITCHED) {
            fields.append("switchedAt", Date.from(now)).append("retireAt", Date.from(now.plus(retainPrevious)));
        }
        update(fields);
        log.info("{} rebuild {}: {} serves reads and writes; {} is {} until retired", id,
                done == Status.SWITCHED ? "switched" : "rolled back", target, other,
                level.size() == 2 ? "kept current" : "left as it was (a mapping this version cannot write)");
    }

    /**
     * How the new version differs from the store, if it does, beyond the events still in flight (those after the
     * rebuild's token, which it applies next, as the live processor does). A random sample of its entries, drawn in
     * the same pass (each entry as likely as any other), is compared field by field with a fold of the store.
     */
    private Optional<String> difference(String building, String previous, TrackingToken token) {
        long through = position(token);
        long inFlight = Math.max(0, position(eventStore.createHeadToken()) - through);
        long built = model.count(building);
        long live = model.count(previous);
        // against the store: every dossier whose first event the rebuild applied has an entry (or was refused, and is
        // retried), whatever the live version holds
        long begun = state().get("dossiersBegun", 0L);
        long refusedHere = refused.countDocuments(Filters.and(Filters.eq("readModel", id),
                Filters.eq("version", building)));
        if (built + refusedHere < begun) {
            // entries lost after they were written (or deleted by hand): found by the store's first events, repaired
            long missing = repairMissing(building, token);
            return Optional.of(built + " entries and " + refusedHere + " refused, against " + begun + " dossiers the"
                    + " store has begun up to the rebuild's token: " + missing + " without an entry found, folded from"
                    + " the store and written by the retries");
        }
        if (built + inFlight < live) {
            // a dossier the live version has and this one lacks needs an event after the token
            return Optional.of(built + " entries against " + live + " in the live version, " + inFlight
                    + " events in flight");
        }
        // every entry's last event, by key lookups in the store
        java.util.Random random = new java.util.Random();
        Map<String, String> behind = new LinkedHashMap<>();
        List<String> sample = new ArrayList<>();
        long seen = 0;
        try (VersionedReadModel.Pages pages = model.lastSequences(building)) {
            while (pages.hasNext()) {
                List<Map.Entry<String, Long>> page = pages.next();
                if (!holdLease()) {
                    return Optional.of("the lease went to another instance during the check");
                }
                try {
                    behind.putAll(lastEventsDiffer(page, through));
                } catch (AheadOfStore e) {
                    return Optional.of(e.getMessage());
                }
                for (Map.Entry<String, Long> entry : page) {
                    // reservoir sampling: after n entries, each is in the sample with probability SAMPLE / n
                    seen++;
                    if (sample.size() < SAMPLE) {
                        sample.add(entry.getKey());
                    } else {
                        long slot = (long) (random.nextDouble() * seen);
                        if (slot < SAMPLE) {
                            sample.set((int) slot, entry.getKey());
                        }
                    }
                }
            }
        }
        if (!behind.isEmpty()) {
            // repaired as refused entries are: folded on from the store by the retries, which the switch waits for
            repair(building, behind, false);
            return Optional.of(behind.size() + " entries behind the store (" + behind.keySet().iterator().next()
                    + ": " + behind.values().iterator().next() + "), folded on from the store by the retries");
        }
        // the sample, field by field
        Map<String, String> differ = new LinkedHashMap<>();
        for (Map.Entry<String, S> found : model.readWhole(building, sample).entrySet()) {
            S expected = foldFromStore(model.empty(found.getKey()), found.getKey(),
                    model.lastSequence(found.getValue()));
            if (!json.valueToTree(expected).equals(json.valueToTree(found.getValue()))) {
                differ.put(found.getKey(), "differs from a fold of its events");
            }
        }
        if (!differ.isEmpty()) {
            // repaired from the dossier's first event: a fold of the store replaces the entry
            repair(building, differ, true);
            return Optional.of(differ.size() + " of the " + sample.size() + " sampled entries differ from a fold of"
                    + " their events (" + differ.keySet().iterator().next() + "), folded again from the store by the"
                    + " retries");
        }
        return Optional.empty();
    }

    /**
     * Finds the dossiers the store began up to the rebuild's token that the version holds no entry of (a write lost
     * after it was acknowledged, an entry deleted by hand), and hands them to the retries, which fold them from the
     * store: one pass over the stream up to the token for the dossiers' first events, their entries looked up by key
     * a page at a time. Rare, and no dearer than the stream read that built the version. Returns how many it found.
     */
    private long repairMissing(String building, TrackingToken token) {
        long through = position(token);
        java.util.SortedSet<Long> gaps = token instanceof org.axonframework.eventhandling.GapAwareTrackingToken gapAware
                ? gapAware.getGaps() : new java.util.TreeSet<>();
        long found = 0;
        List<String> page = new ArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> scan = eventStore.openStream(null)) {
            while (scan.hasNextAvailable(5, TimeUnit.SECONDS)) {
                TrackedEventMessage<?> message = scan.nextAvailable();
                long at = position(message.trackingToken());
                if (at > through) {
                    break;
                }
                // a first event at one of the token's gaps is not applied yet, nor counted as begun
                if (message instanceof DomainEventMessage<?> domain && domain.getPayload() instanceof DossierEvent
                        && domain.getSequenceNumber() == 0 && !gaps.contains(at)) {
                    page.add(domain.getAggregateIdentifier());
                }
                if (page.size() == REFUSED_RETRIED) {
                    found += repairAbsent(building, page);
                    page.clear();
                    if (!holdLease()) {
                        return found; // whoever holds the lease checks again
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return found;
        }
        return found + repairAbsent(building, page);
    }

    /** Hands those of these dossiers the version holds no entry of, nor refused, to the retries; how many. */
    private long repairAbsent(String building, List<String> dossiers) {
        if (dossiers.isEmpty()) {
            return 0;
        }
        java.util.Set<String> held = model.read(building, dossiers).keySet();
        Map<String, String> absent = new LinkedHashMap<>();
        for (String dossierId : dossiers) {
            if (!held.contains(dossierId) && refused.countDocuments(Filters.eq("_id", id + "#" + building + "#"
                    + dossierId)) == 0) {
                absent.put(dossierId, "no entry, though the store began the dossier before the rebuild's token");
            }
        }
        repair(building, absent, false);
        return absent.size();
    }

    /**
     * Hands entries the check found wrong to the retries (kept with the refused ones, which the switch waits for):
     * folded on from the store, or from the dossier's first event when {@code whole}. Counted in {@code entriesRepaired}.
     */
    private void repair(String building, Map<String, String> why, boolean whole) {
        if (why.isEmpty()) {
            return;
        }
        for (Map.Entry<String, String> dossier : why.entrySet()) {
            refused.replaceOne(Filters.eq("_id", id + "#" + building + "#" + dossier.getKey()),
                    new Document("readModel", id).append("version", building).append("dossierId", dossier.getKey())
                            .append("cause", "found by the check: " + dossier.getValue()).append("whole", whole),
                    new ReplaceOptions().upsert(true));
        }
        rebuilds.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("leaseOwner", owner)),
                new Document("$inc", new Document("entriesRepaired", (long) why.size())));
        log.warn("{} rebuild: the check found {} entries of {} wrong, repaired from the store by the retries: {}", id,
                why.size(), building, why.size() > 10 ? why.keySet().stream().limit(10).toList() + " ..." : why);
    }

    /**
     * Those of these entries whose last event is not their dossier's last in the store, and why: two key lookups each
     * (its last event is stored, the next one is not, or was stored after the rebuild's token and is in flight), a few
     * at a time, since each waits on the store. An entry ahead of the store (an event the store lacks) cannot be
     * repaired from it and stops the check.
     */
    private Map<String, String> lastEventsDiffer(List<Map.Entry<String, Long>> entries, long through) {
        List<java.util.concurrent.CompletableFuture<Optional<String>>> checks = new ArrayList<>();
        for (Map.Entry<String, Long> entry : entries) {
            checks.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                String dossierId = entry.getKey();
                long last = entry.getValue();
                if (engine.storedEvent(dossierId, last) == null) {
                    throw new AheadOfStore("dossier " + dossierId + " at event " + last + ", which the store lacks");
                }
                PositionedMongoEventStorageEngine.StoredEvent next = engine.storedEvent(dossierId, last + 1);
                return next != null && next.position() <= through
                        ? Optional.of("at event " + last + ", the store has event " + (last + 1))
                        : Optional.<String>empty();
            }, lookups));
        }
        Map<String, String> behind = new LinkedHashMap<>();
        for (int i = 0; i < checks.size(); i++) {
            Optional<String> wrong;
            try {
                wrong = checks.get(i).join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            String dossierId = entries.get(i).getKey();
            wrong.ifPresent(why -> behind.put(dossierId, why));
        }
        return behind;
    }
}
