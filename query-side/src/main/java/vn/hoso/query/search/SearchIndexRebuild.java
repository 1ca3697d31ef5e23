package vn.hoso.query.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
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
import vn.hoso.events.EventJson;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;
import vn.hoso.query.store.DaemonScheduler;
import vn.hoso.query.store.ReadModel.Write;
import vn.hoso.query.store.ReadModel.Written;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A rebuild of the search index beside the live one. An operator starts it: a new version of the index (this
 * version's mapping, no replicas, no refresh) is filled from the start of the event stream by this loop, which runs on
 * every query side and works on one at a time (a lease in {@code read_model_rebuilds}; the stream's token is kept
 * there after every batch, so an instance that takes over, or restarts, resumes). Meanwhile the live index behind the
 * alias keeps serving and its processor keeps it current.
 * <p>
 * Once the new version has caught up with the stream, it is checked against the store: every document's last event
 * is the dossier's last in the store, it holds at least as many dossiers as the live one, and a random sample equals,
 * field by field, a fold of the dossier's events. Then reads and writes switch to it at once (the alias moves in one
 * action). The previous version stays current (this loop keeps writing both, each document over its own version) so
 * that a rollback switches back to a current index, until it is retired after {@code hoso.rebuild.retain-previous}.
 */
public class SearchIndexRebuild {

    private static final Logger log = LoggerFactory.getLogger(SearchIndexRebuild.class);
    private static final String ID = "search-index";
    private static final int SAMPLE = 200;
    private static final Duration LEASE = Duration.ofSeconds(15);

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
        RETIRED
    }

    /** What an operator reads of a rebuild. */
    public record Progress(Status status, String building, String previous, java.util.Set<String> live,
                           long eventsDone, long eventsInStore, Double eventsPerSecond, Long secondsLeft,
                           Instant startedAt, Instant switchedAt, Instant retireAt, String lastCheck,
                           long documentsRefused) {
    }

    /** A rebuild is already under way (one per read model at a time). */
    public static final class AlreadyRunning extends RuntimeException {
        AlreadyRunning(Status status) {
            super("a rebuild of the search index is " + status);
        }
    }

    /** Nothing to roll back: no rebuild has switched. */
    public static final class NothingToRollBack extends RuntimeException {
        NothingToRollBack() {
            super("no switched rebuild of the search index to roll back");
        }
    }

    private final MongoCollection<Document> rebuilds;
    private final SearchIndex index;
    private final DossierDocuments documents;
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
    private Instant lastCheckAt = Instant.EPOCH;
    /** Which version last matched the store (the costly check), and when; the switch follows within a minute. */
    private String matched;
    private Instant matchedAt = Instant.EPOCH;
    /** The stream this instance reads, kept open between turns, and the token it stands after. */
    private BlockingStream<TrackedEventMessage<?>> stream;
    private TrackingToken streamAfter;
    private Instant lastLogAt = Instant.EPOCH;

    /**
     * @param wallClock      leases and retirement run on the wall clock, never on a test's domain clock
     * @param retainPrevious how long the version not in use after a switch is kept current, for a rollback
     */
    public SearchIndexRebuild(MongoDatabase readModelDatabase, SearchIndex index, ApplicantIdHasher idHasher,
                              EventStore eventStore, PositionedMongoEventStorageEngine engine, Serializer serializer,
                              MeterRegistry meters, Clock wallClock, Duration retainPrevious, Duration poll,
                              int batchSize, java.util.function.ToLongFunction<String> liveDelivered,
                              java.util.function.ToLongFunction<String> liveReached) {
        this.liveDelivered = liveDelivered;
        this.liveReached = liveReached;
        this.batchSize = batchSize;
        this.rebuilds = readModelDatabase.getCollection("read_model_rebuilds");
        this.index = index;
        this.documents = new DossierDocuments(idHasher);
        this.eventStore = eventStore;
        this.engine = engine;
        this.serializer = serializer;
        this.clock = wallClock;
        this.retainPrevious = retainPrevious;
        Gauge.builder("hoso.rebuild.events.done", eventsDone, AtomicLong::get).tag("readModel", ID)
                .description("events a rebuild of the read model has applied to its new version").register(meters);
        this.loop = DaemonScheduler.named("hoso-rebuild-" + ID);
        loop.scheduleWithFixedDelay(this::tick, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        loop.shutdownNow();
        closeStream();
    }

    private void closeStream() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    /** Starts a rebuild; refused while one is building, switched or rolled back (not yet retired). */
    public Progress start() {
        Document current = state();
        if (current != null && Status.valueOf(current.getString("status")) != Status.RETIRED) {
            throw new AlreadyRunning(Status.valueOf(current.getString("status")));
        }
        String previous = index.liveIndexes().stream().findFirst().orElseThrow();
        String building = index.createVersion();
        Document state = new Document("_id", ID).append("status", Status.BUILDING.name())
                .append("building", building).append("previous", previous)
                .append("startedAt", Date.from(clock.instant())).append("eventsDone", 0L)
                .append("refused", 0L).append("leaseUntil", new Date(0)).append("version", 0L);
        try {
            if (current == null) {
                rebuilds.insertOne(state);
            } else if (rebuilds.replaceOne(Filters.and(Filters.eq("_id", ID), Filters.eq("version",
                    current.getLong("version"))), state.append("version", current.getLong("version") + 1),
                    new ReplaceOptions()).getModifiedCount() == 0) {
                index.deleteIndex(building);
                throw new AlreadyRunning(Status.BUILDING);
            }
        } catch (MongoWriteException e) {
            index.deleteIndex(building);
            if (ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                throw new AlreadyRunning(Status.BUILDING);
            }
            throw e;
        } catch (RuntimeException e) {
            index.deleteIndex(building);
            throw e;
        }
        log.info("search index rebuild started: filling {} from the start of the event stream beside {}", building,
                previous);
        return progress().orElseThrow();
    }

    /**
     * Switches back to the previous version, which this loop has kept current: claimed here, carried out by the loop
     * within a turn (writes first, then reads once it is level).
     */
    public Progress rollBack() {
        Document state = state();
        // claimed (switched, and not retiring yet): the loop moves writes back, brings the previous version level, then
        // moves reads, and retires nothing this rollback serves
        if (state == null || rebuilds.updateOne(Filters.and(Filters.eq("_id", ID),
                        Filters.eq("status", Status.SWITCHED.name()), Filters.gt("retireAt", Date.from(clock.instant()))),
                new Document("$set", new Document("status", Status.ROLLING_BACK.name())
                        .append("retireAt", Date.from(clock.instant().plus(retainPrevious))))
                        .append("$inc", new Document("version", 1L))).getModifiedCount() == 0) {
            throw new NothingToRollBack();
        }
        log.warn("search index rebuild rolling back: writes, then reads, return to {} once it is level",
                state.getString("previous"));
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
        return Optional.of(new Progress(status, state.getString("building"), state.getString("previous"),
                index.liveIndexes(), done, total, rate, left, started, instant(state, "switchedAt"),
                instant(state, "retireAt"), state.getString("lastCheck"),
                state.get("refused", Number.class).longValue()));
    }

    /** The rebuild's state document, or null before the first rebuild. */
    private Document state() {
        return rebuilds.find(Filters.eq("_id", ID)).first();
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
            if (state == null || Status.valueOf(state.getString("status")) == Status.RETIRED || !holdLease()) {
                closeStream();
                return;
            }
            Status status = Status.valueOf(state.getString("status"));
            String building = state.getString("building");
            String previous = state.getString("previous");
            if (status == Status.SWITCHING) {
                switchTo(building, previous, Status.SWITCHED);
                return;
            }
            if (status == Status.ROLLING_BACK) {
                switchTo(previous, building, Status.ROLLED_BACK);
                return;
            }
            List<String> targets = status == Status.BUILDING ? List.of(building) : List.of(building, previous);
            int applied = feed(state, targets);
            if (status == Status.BUILDING && applied < batchSize) {
                // the stream had no more for now: caught up, within a poll of the head
                checkAndSwitch(building, previous, token(state()));
            } else if (status != Status.BUILDING && clock.instant().isAfter(instant(state, "retireAt"))) {
                // claimed first: a rollback racing it either came before (and the state says so) or finds it retired
                if (rebuilds.updateOne(Filters.and(Filters.eq("_id", ID), Filters.eq("status", status.name()),
                        Filters.eq("leaseOwner", owner)), new Document("$set", new Document("status",
                        Status.RETIRED.name())).append("$inc", new Document("version", 1L))).getModifiedCount() == 1) {
                    String unused = status == Status.SWITCHED ? previous : building;
                    index.deleteIndex(unused);
                    closeStream();
                    log.info("search index rebuild over: {} retired", unused);
                }
            }
        } catch (RuntimeException e) {
            closeStream();
            log.warn("search index rebuild: a turn failed, retried next turn: {}", e.toString());
        }
    }

    private boolean holdLease() {
        Date now = Date.from(clock.instant());
        return rebuilds.updateOne(Filters.and(Filters.eq("_id", ID), Filters.or(Filters.eq("leaseOwner", owner),
                        Filters.lt("leaseUntil", now))),
                new Document("$set", new Document("leaseOwner", owner).append("leaseUntil",
                        Date.from(clock.instant().plus(LEASE))))).getModifiedCount() == 1;
    }

    /** Updates the rebuild while this instance holds its lease; false when it no longer does. */
    private boolean update(Document fields) {
        return rebuilds.updateOne(Filters.and(Filters.eq("_id", ID), Filters.eq("leaseOwner", owner)),
                new Document("$set", fields).append("$inc", new Document("version", 1L))).getModifiedCount() == 1;
    }

    /**
     * After writes moved, the loop reads again from where both writers had applied everything (the live processor's
     * slowest segment, or this loop's own position if that is earlier): events either applied to the version it wrote
     * until then reach the other one too (a document already there is left as it is).
     */
    private void rewindToLive() {
        // back to where both writers had applied everything: never forward past what this loop has not applied yet
        long delivered = liveDelivered.applyAsLong(SearchIndexProjection.GROUP);
        TrackingToken own = token(state());
        if (own instanceof org.axonframework.eventhandling.GapAwareTrackingToken gapAware) {
            delivered = Math.min(delivered, gapAware.hasGaps() ? gapAware.getGaps().first() - 1 : gapAware.getIndex());
        } else if (own == null) {
            delivered = 0;
        }
        TrackingToken from = org.axonframework.eventhandling.GapAwareTrackingToken.newInstance(delivered,
                java.util.List.of());
        rebuilds.updateOne(Filters.eq("_id", ID), new Document("$set", tokenFields(from)).append("$inc",
                new Document("version", 1L)));
        closeStream();
    }

    /** Applies the next batch of the stream to each target version; returns how many events it applied. */
    private int feed(Document state, List<String> targets) {
        TrackingToken token = token(state);
        if (stream == null || !java.util.Objects.equals(token, streamAfter)) {
            // first turn here, or another instance moved the rebuild on: read from where the rebuild stands
            closeStream();
            stream = eventStore.openStream(token);
            streamAfter = token;
        }
        List<DomainEventMessage<?>> batch = new ArrayList<>();
        TrackingToken last = token;
        int read = 0;
        try {
            while (read < batchSize && stream.hasNextAvailable(read == 0 ? 300 : 50, TimeUnit.MILLISECONDS)) {
                TrackedEventMessage<?> message = stream.nextAvailable();
                read++;
                last = message.trackingToken();
                if (message instanceof DomainEventMessage<?> domain && domain.getPayload() instanceof DossierEvent) {
                    batch.add(domain);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeStream();
            return 0;
        }
        if (last == token) {
            return 0;
        }
        long refused = 0;
        for (String target : targets) {
            refused += apply(target, batch);
        }

        long done = state.get("eventsDone", Number.class).longValue() + batch.size();
        if (!update(tokenFields(last)
                .append("eventsDone", done)
                .append("refused", state.get("refused", Number.class).longValue() + refused))) {
            closeStream(); // the lease went to another instance: it resumes from the stored token
            return 0;
        }
        streamAfter = last;
        eventsDone.set(done);
        if (Duration.between(lastLogAt, clock.instant()).toSeconds() >= 10) {
            lastLogAt = clock.instant();
            log.info("search index rebuild into {}: {} events applied", targets, done);
        }
        return read;
    }

    private TrackingToken token(Document state) {
        Binary data = state.get("token", Binary.class);
        if (data == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(data.getData(), byte[].class,
                state.getString("tokenType"), state.getString("tokenRevision")));
    }

    /** Applies the batch's events to one version, each document over its own version; returns how many it refused. */
    private long apply(String target, List<DomainEventMessage<?>> batch) {
        Map<String, List<DomainEventMessage<?>>> byDossier = new LinkedHashMap<>();
        batch.forEach(e -> byDossier.computeIfAbsent(e.getAggregateIdentifier(), k -> new ArrayList<>()).add(e));
        Map<String, DossierDocument> stored = index.getAll(target, byDossier.keySet());
        List<Write<DossierDocument>> writes = new ArrayList<>();
        for (Map.Entry<String, List<DomainEventMessage<?>>> dossier : byDossier.entrySet()) {
            DossierDocument doc = stored.get(dossier.getKey());
            long replaces = doc == null ? -1 : doc.lastSequence();
            DossierDocument next = doc == null ? new DossierDocument() : doc;
            for (DomainEventMessage<?> event : dossier.getValue()) {
                long sequence = event.getSequenceNumber();
                if (sequence <= next.lastSequence()) {
                    continue;
                }
                if (sequence > next.lastSequence() + 1) {
                    // events this version lacks before it: read from the store, by key
                    for (DomainEventMessage<?> missing : eventStore.readEvents(dossier.getKey(),
                            next.lastSequence() + 1).asStream().filter(m -> m.getSequenceNumber() < sequence).toList()) {
                        next = documents.apply(next, missing);
                    }
                }
                next = documents.apply(next, event);
            }
            if (next.lastSequence() > replaces) {
                writes.add(new Write<>(next, replaces));
            }
        }
        Written written = index.write(target, writes);
        if (!written.refused().isEmpty()) {
            log.error("search index rebuild: {} refused {} documents (not switched while so): {}", target,
                    written.refused().size(), written.refused());
        }
        return written.refused().size();
    }

    /**
     * The new version against the store, then the switch: every document's last event is its dossier's last in the
     * store, it holds at least as many dossiers as the live version, and a random sample equals a fold of the store.
     */
    private void checkAndSwitch(String building, String previous, TrackingToken token) {
        Document current = state();
        if (current.get("refused", Number.class).longValue() > 0) {
            update(new Document("lastCheck", current.get("refused") + " documents refused by the new version (see the"
                    + " log): not switched"));
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
                log.warn("search index rebuild: {} does not match the store yet: {}", building, difference.get());
                return;
            }
            matched = building;
            matchedAt = clock.instant();
        }
        // the last events since the check, then the switch, once this version holds all the live one shows: every
        // event the live processor has reached (its furthest segment)
        feed(state(), List.of(building));
        long through = position(token(state()));
        long live = liveReached.applyAsLong(SearchIndexProjection.GROUP);
        if (through < live) {
            update(new Document("lastCheck", "at position " + through + ", the live version at " + live));
            return;
        }
        index.readyForReads(building);
        // the switch is claimed (this instance's lease, still building) before any alias moves
        if (!holdLease() || rebuilds.updateOne(Filters.and(Filters.eq("_id", ID), Filters.eq("leaseOwner", owner),
                Filters.eq("status", Status.BUILDING.name())), new Document("$set", new Document("status",
                Status.SWITCHING.name()).append("lastCheck", "matches the store"))
                .append("$inc", new Document("version", 1L))).getModifiedCount() == 0) {
            return;
        }
        switchTo(building, previous, Status.SWITCHED);
    }

    /**
     * Moves writes to {@code target}, brings it level with {@code other} (every event the live processor may have
     * written to the other before the move, applied to both), then moves reads: no search sees less than before.
     * Resumed by whichever instance holds the lease if this one stops half-way.
     */
    private void switchTo(String target, String other, Status done) {
        index.readyForReads(target);
        index.pointWritesAt(target);
        long reachedBeforeTheMove = liveReached.applyAsLong(SearchIndexProjection.GROUP);
        rewindToLive();
        for (int turn = 0; ; turn++) {
            if (!holdLease()) {
                return;
            }
            Document state = state();
            int read = feed(state, List.of(target, other));
            long through = position(token(state()));
            if (read < batchSize && through >= reachedBeforeTheMove) {
                break;
            }
            if (turn > 10_000) {
                throw new IllegalStateException("the search index rebuild could not bring " + target + " level");
            }
        }
        index.readyForReads(target);
        index.pointReadsAt(target);
        Instant now = clock.instant();
        Document fields = new Document("status", done.name());
        if (done == Status.SWITCHED) {
            fields.append("switchedAt", Date.from(now)).append("retireAt", Date.from(now.plus(retainPrevious)));
        }
        update(fields);
        log.info("search index rebuild {}: {} serves reads and writes; {} is kept current until retired",
                done == Status.SWITCHED ? "switched" : "rolled back", target, other);
    }

    /**
     * How the new version differs from the store, if it does, beyond the events still in flight (those after the
     * rebuild's token, which it applies next, as the live processor does).
     */
    private Optional<String> difference(String building, String previous, TrackingToken token) {
        long through = position(token);
        long inFlight = Math.max(0, position(eventStore.createHeadToken()) - through);
        long built = index.count(building);
        long live = index.count(previous);
        if (built + inFlight < live) {
            // a dossier the live version has and this one lacks needs an event after the token
            return Optional.of(built + " documents against " + live + " in the live version, " + inFlight
                    + " events in flight");
        }
        try {
            // every document's last event, by key lookups in the store
            List<FieldValue> after = null;
            while (true) {
                List<FieldValue> from = after;
                SearchResponse<JsonNode> page = index.client().search(s -> {
                    s.index(building).size(1_000).source(src -> src.filter(f -> f.includes("dossierId",
                            "lastSequence"))).sort(o -> o.field(f -> f.field("dossierId").order(SortOrder.Asc)));
                    if (from != null) {
                        s.searchAfter(from);
                    }
                    return s;
                }, JsonNode.class);
                List<Hit<JsonNode>> hits = page.hits().hits();
                if (!holdLease()) {
                    return Optional.of("the lease went to another instance during the check");
                }
                for (Hit<JsonNode> hit : hits) {
                    long last = hit.source().path("lastSequence").asLong();
                    Optional<Long> stored = engine.lastSequenceNumberFor(hit.id());
                    if (stored.isEmpty() || stored.get() < last || stored.get() > last && !inFlight(hit.id(),
                            last + 1, through)) {
                        return Optional.of("dossier " + hit.id() + " at event " + last + ", the store at "
                                + stored.orElse(null));
                    }
                }
                if (hits.size() < 1_000) {
                    break;
                }
                after = hits.get(hits.size() - 1).sort();
            }
            // a random sample, field by field
            SearchResponse<DossierDocument> sample = index.client().search(s -> s.index(building).size(SAMPLE)
                    .query(q -> q.functionScore(f -> f.functions(fn -> fn.randomScore(r -> r)))),
                    DossierDocument.class);
            for (Hit<DossierDocument> hit : sample.hits().hits()) {
                DossierDocument expected = new DossierDocument();
                long last = hit.source().lastSequence();
                for (DomainEventMessage<?> event : eventStore.readEvents(hit.id()).asStream()
                        .filter(e -> e.getSequenceNumber() <= last).toList()) {
                    expected = documents.apply(expected, event);
                }
                JsonNode want = json.valueToTree(expected);
                JsonNode got = json.valueToTree(hit.source());
                if (!want.equals(got)) {
                    return Optional.of("dossier " + hit.id() + " differs from a fold of its events");
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a dossier's event is stored after the rebuild's token: not applied yet, in flight. */
    private boolean inFlight(String dossierId, long sequence, long through) {
        PositionedMongoEventStorageEngine.StoredEvent stored = engine.storedEvent(dossierId, sequence);
        return stored != null && stored.position() > through;
    }
}
