package vn.hoso.eventstore;

import com.mongodb.ErrorCategory;
import com.mongodb.ReadConcern;
import com.mongodb.WriteConcern;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import org.axonframework.common.AxonConfigurationException;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.BatchingEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The event store on MongoDB, one document per event, each at a <em>global position</em> that is its {@code _id}.
 * <p>
 * <b>Appending.</b> An append takes as many positions as it has events from a counter ({@code $inc}, reading the
 * value before the increment: the emulator handed out duplicates when asked for the value after it), then inserts its
 * events at those positions. The unique {@code _id} refuses a position handed out twice (the append retries at new
 * ones) and the unique {@code (aggregateIdentifier, sequenceNumber)} index refuses a concurrent change of the same
 * dossier (Axon's {@code ConcurrencyException}). Positions an append took but did not fill are voided, so readers step
 * over them at once instead of waiting for the gap timeout. An insert whose outcome is unknown (its answer lost, the
 * connection dropped, the driver's own retry refused as a duplicate of itself) is settled before anything else: its
 * positions are voided where empty and read back, and what holds this append's event identifiers is its own, stored
 * once; the rest is stored at new positions. An append is therefore never stored twice, and when the store cannot be
 * asked, the append fails with {@link AppendOutcomeUnknownException}, which no one may retry blindly.
 * <p>
 * <b>Tracking.</b> Processors track the stream with Axon's {@link GapAwareTrackingToken}: the highest position
 * delivered and the positions below it not yet visible (appends still under way). Every poll reads the token's gaps
 * and the next positions with one {@code {_id: {$in: [...]}}}; a gap stays in the token until its event appears or
 * the gap timeout passes ({@link GapTimeouts}: logged and counted, never silent); the reader then claims the position
 * with a void marker before moving past it, so a writer that held it that long is refused there and appends again at
 * new positions: an acknowledged event is never at a position the stream gave up. A run of missing positions longer
 * than a batch is crossed by reading on, up to the last position handed out.
 * <p>
 * <b>Reading by key.</b> Every read is by key, so that its cost does not grow with the store on the emulator
 * (which uses an index only for flat equality on one unique index's keys, or {@code _id} with {@code $in}): a
 * dossier's events are read one sequence number at a time by {@code (aggregateIdentifier, sequenceNumber)}, its
 * snapshot by {@code _id}. Only {@link #createTokenAt(Instant)}, an operator's tool, filters on time.
 */
public class PositionedMongoEventStorageEngine extends BatchingEventStorageEngine {

    private static final Logger log = LoggerFactory.getLogger(PositionedMongoEventStorageEngine.class);
    private static final String COUNTER = "events";
    private static final String LAST = "last";
    private static final int DUPLICATE_KEY = 11000;
    private static final int APPEND_ATTEMPTS = 5;

    private final MongoCollection<Document> events;
    /**
     * The events as the stream reads them: only what a majority of a replica set holds ({@link #committed}), so that
     * no read model, and no seal, ever takes an event a failover then rolls back.
     */
    private final MongoCollection<Document> committed;
    private final MongoCollection<Document> snapshots;
    private final MongoCollection<Document> positions;
    private final GapTimeouts gaps;
    private final BeforeInsert beforeInsert;
    private final AfterInsert afterInsert;
    private final PersonalData personalData;
    private final Clock recordingClock;
    private final EventChain chain = new EventChain(20_000);
    /** A reading of the position counter this thread's stream reads use instead of reading it ({@link #readingUpTo}). */
    private final ThreadLocal<long[]> knownAllocated = new ThreadLocal<>();

    protected PositionedMongoEventStorageEngine(Builder builder) {
        super(builder);
        WriteConcern durable = durable(builder.database.getWriteConcern());
        this.events = builder.database.getCollection(builder.eventsCollection).withWriteConcern(durable);
        this.committed = events.withReadConcern(committed(builder.database.getReadConcern()));
        this.snapshots = builder.database.getCollection(builder.snapshotsCollection).withWriteConcern(durable);
        this.positions = builder.database.getCollection(builder.positionsCollection).withWriteConcern(durable);
        this.gaps = new GapTimeouts(builder.gapTimeout, builder.clock);
        this.beforeInsert = builder.beforeInsert;
        this.afterInsert = builder.afterInsert;
        this.recordingClock = builder.recordingClock;
        this.personalData = new PersonalData(builder.database.getCollection(PersonalData.KEYS));
        if (builder.readOnly) {
            return; // a reader that must not write (an inspector's verifier with read-only rights): no index, no counter
        }
        events.createIndex(Indexes.ascending(EventDocuments.AGGREGATE, EventDocuments.SEQUENCE),
                new IndexOptions().unique(true).name("aggregate_sequence"));
        try {
            positions.insertOne(new Document(EventDocuments.POSITION, COUNTER).append(LAST, 0L));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        repairCounter();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The write concern of every write of the engine: a majority of the replica set, journalled, unless the URI names
     * one ({@code w=}, {@code journal=}, {@code wtimeoutMS=}), which is then used as it is. An append is acknowledged
     * only once a failover can no longer roll it back. A standalone server (and the emulator) treats it as
     * acknowledged.
     */
    static WriteConcern durable(WriteConcern configured) {
        return configured == null || configured.getWObject() == null && configured.getJournal() == null
                ? WriteConcern.MAJORITY.withJournal(true) : configured;
    }

    /**
     * The read concern of the stream's reads: {@code majority} (what a majority holds, never rolled back), unless the
     * URI names a level ({@code readConcernLevel=}).
     */
    static ReadConcern committed(ReadConcern configured) {
        return configured == null || configured.getLevel() == null ? ReadConcern.MAJORITY : configured;
    }

    // ---- appending -----------------------------------------------------------------------------------------------

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> messages, Serializer serializer) {
        if (messages.isEmpty()) {
            return;
        }
        List<DomainEventMessage<?>> pending = messages.stream().<DomainEventMessage<?>>map(EventUtils::asDomainEventMessage)
                .toList();
        // the documents are made before any position is taken (what they need from the store, a dossier's previous
        // hash or its personal-data secret, may fail to come): a failure here takes nothing and stores nothing
        Map<DomainEventMessage<?>, Document> documents = new IdentityHashMap<>();
        Map<DomainEventMessage<?>, byte[]> hashes = new IdentityHashMap<>();
        Instant recordedAt = recordingClock == null ? null : recordingClock.instant();
        Map<String, byte[]> lastHashes = new HashMap<>();
        for (DomainEventMessage<?> event : pending) {
            Document document = EventDocuments.event(0, event, serializer);
            if (recordedAt != null) {
                document.put(EventDocuments.TIMESTAMP, DateTimeUtils.formatInstant(recordedAt));
            }
            personalData.protect(document);
            String dossier = event.getAggregateIdentifier();
            byte[] previous = lastHashes.containsKey(dossier) ? lastHashes.get(dossier)
                    : chain.hashOf(dossier, event.getSequenceNumber() - 1, sequence -> stored(dossier, sequence));
            byte[] hash = EventChain.stamp(document, previous); // (the position is not hashed: it is set below)
            lastHashes.put(dossier, hash);
            hashes.put(event, hash);
            documents.put(event, document);
        }
        List<DomainEventMessage<?>> all = pending;
        boolean partlyStored = false;
        for (int attempt = 1; ; attempt++) {
            try {
                pending = appendAt(pending, documents, attempt);
            } catch (AppendOutcomeUnknownException unknown) {
                throw unknown;
            } catch (RuntimeException failure) {
                if (partlyStored) {
                    // some of this append's events are stored and the rest failed: never to be retried as if nothing
                    // were (a retry would decide the command again on a half-applied dossier)
                    throw new AppendOutcomeUnknownException(pending, -1, failure);
                }
                throw failure;
            }
            if (pending.isEmpty()) {
                all.forEach(event -> chain.saw(event.getAggregateIdentifier(), event.getSequenceNumber(),
                        hashes.get(event)));
                return;
            }
            if (pending.size() < documents.size()) {
                partlyStored = true;
            }
        }
    }

    /** One attempt: takes positions, inserts; returns the events still to store (none when all are stored). */
    private List<DomainEventMessage<?>> appendAt(List<DomainEventMessage<?>> pending,
                                                 Map<DomainEventMessage<?>, Document> made, int attempt) {
        long first = allocate(pending.size());
        List<Document> documents = new ArrayList<>(pending.size());
        for (int i = 0; i < pending.size(); i++) {
            Document document = made.get(pending.get(i));
            document.put(EventDocuments.POSITION, first + i);
            documents.add(document);
        }
        try {
            beforeInsert.positionsAllocated(first, pending.size());
            events.insertMany(documents, new InsertManyOptions().ordered(true));
            afterInsert.inserted(first, pending.size());
            return List.of();
        } catch (RuntimeException failure) {
            List<DomainEventMessage<?>> missing = settle(first, pending, failure);
            if (missing.isEmpty()) {
                return missing;
            }
            if (failure instanceof MongoBulkWriteException bulk
                    && bulk.getWriteErrors().stream().anyMatch(error -> error.getCode() != DUPLICATE_KEY)) {
                // the store refused the document itself (too large, say): storing it again would fail again
                throw new EventStoreException("could not store event " + missing.get(0).getIdentifier(), failure);
            }
            if (attempt == APPEND_ATTEMPTS) {
                throw new EventStoreException("could not store event " + missing.get(0).getIdentifier() + " in "
                        + APPEND_ATTEMPTS + " attempts", failure);
            }
            repairCounter(); // a counter set back (a restore, a mistake) would make every append collide
            return missing;
        }
    }

    /**
     * Settles an insert that failed, whatever its outcome (refused, or stored although its answer was lost or the
     * driver retried it): voids the positions that hold nothing, so nothing can land there any more, then reads them
     * back and keeps, by event identifier, what is stored. Returns the events still to store (none when the append
     * landed whole); throws a {@link ConcurrencyException} when another event holds the dossier's sequence number of
     * the first of them, and {@link AppendOutcomeUnknownException} when the store cannot say (it does not answer).
     */
    private List<DomainEventMessage<?>> settle(long first, List<DomainEventMessage<?>> pending, RuntimeException failure) {
        long last = first + pending.size() - 1;
        Map<Long, Document> stored = new HashMap<>();
        try {
            voidPositions(first, last, true);
            List<Long> positions = new ArrayList<>();
            addRange(positions, first, last);
            for (Document document : events.find(EventDocuments.byPositions(positions))) {
                stored.put(EventDocuments.position(document), document);
            }
        } catch (RuntimeException unanswered) {
            failure.addSuppressed(unanswered);
            throw new AppendOutcomeUnknownException(pending, first, failure);
        }
        List<DomainEventMessage<?>> missing = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Document document = stored.get(first + i);
            if (document == null || !pending.get(i).getIdentifier().equals(document.getString(EventDocuments.EVENT_ID))) {
                missing.add(pending.get(i));
            }
        }
        if (missing.size() < pending.size()) {
            log.warn("an append to dossier {} failed ({}) after storing {} of its {} events at positions {}..{}: they"
                            + " are kept, {} stored again", pending.get(0).getAggregateIdentifier(), failure.toString(),
                    pending.size() - missing.size(), pending.size(), first, last, missing.size());
        }
        if (missing.isEmpty()) {
            return missing;
        }
        DomainEventMessage<?> next = missing.get(0);
        Document holder;
        try {
            holder = stored(next.getAggregateIdentifier(), next.getSequenceNumber());
        } catch (RuntimeException unanswered) {
            failure.addSuppressed(unanswered);
            throw new AppendOutcomeUnknownException(missing, first, failure);
        }
        if (holder != null) {
            // another append changed the dossier first (or this very event was appended before, by an earlier unit
            // of work: never by an earlier attempt of this append, whose positions were settled)
            throw new ConcurrencyException(String.format("An event for aggregate [%s] at sequence [%d] was already"
                    + " inserted", next.getAggregateIdentifier(), next.getSequenceNumber()), failure);
        }
        log.warn("event positions {}..{} could not be filled ({}): storing {} events at new positions", first, last,
                failure.toString(), missing.size());
        return missing;
    }

    private long allocate(int count) {
        Document before = positions.findOneAndUpdate(EventDocuments.byKey(COUNTER),
                new Document("$inc", new Document(LAST, (long) count)),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE));
        long last = before == null ? 0 : before.get(LAST, Number.class).longValue();
        return last + 1;
    }

    /**
     * Moves the position counter past the highest position that holds a document, if it is behind (a restore, a
     * mistake): found by key probes from the counter on (doubling steps, then a binary search), never a scan or a
     * sort, and set with {@code $max}, so the counter never goes back. Runs when the engine is built and after an
     * append collided with a stored position. Returns the counter's value afterwards.
     */
    public long repairCounter() {
        long counter = lastAllocatedPosition();
        if (!holdsDocument(counter + 1)) {
            return counter;
        }
        long found = counter + 1;
        long step = 1;
        while (holdsDocument(found + step)) {
            found += step;
            step *= 2;
        }
        long missing = found + step;
        while (missing - found > 1) {
            long middle = found + (missing - found) / 2;
            if (holdsDocument(middle)) {
                found = middle;
            } else {
                missing = middle;
            }
        }
        positions.updateOne(EventDocuments.byKey(COUNTER), new Document("$max", new Document(LAST, found)));
        long now = lastAllocatedPosition();
        log.warn("the event position counter was at {} while the store holds position {}: moved it to {} so that"
                + " appends stop colliding", counter, found, now);
        return now;
    }

    private boolean holdsDocument(long position) {
        return events.find(EventDocuments.byKey(position)).first() != null;
    }

    /** Fills the positions with void markers; a position that holds an event already keeps it. */
    private void voidPositions(long from, long to) {
        voidPositions(from, to, false);
    }

    /** ... and, when {@code mustAnswer}, throws when the store does not answer instead of logging it. */
    private void voidPositions(long from, long to, boolean mustAnswer) {
        if (from > to) {
            return;
        }
        List<Document> voids = new ArrayList<>();
        for (long position = from; position <= to; position++) {
            voids.add(EventDocuments.voided(position));
        }
        try {
            events.insertMany(voids, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            if (mustAnswer && e.getWriteErrors().stream().anyMatch(error -> error.getCode() != DUPLICATE_KEY)) {
                throw e; // a position neither voided nor filled: what lands there later is not known
            }
            e.getWriteErrors().stream().filter(error -> error.getCode() != DUPLICATE_KEY).findFirst().ifPresent(error ->
                    log.error("could not void event position {}: readers wait for it until the gap timeout ({})",
                            from + error.getIndex(), error.getMessage()));
        } catch (MongoException e) {
            if (mustAnswer) {
                throw e;
            }
            log.error("could not void event positions {}..{}: readers wait for them until the gap timeout", from, to, e);
        }
    }

    /**
     * Erases a dossier's personal data: deletes the personal values of its events (the one change ever made to a
     * stored event document) and its secret, so that the commitments left in the payloads can no longer be tested
     * against any value, while every hash over the rest of the history stays what it was. Events stored before
     * commitments (revision 1 of the submission) hold their applicant inline and are not changed here: see the README.
     * Returns how many events had their values deleted.
     */
    public int erasePersonalData(String aggregateIdentifier) {
        int erased = 0;
        for (long sequence = 0; ; sequence++) {
            Document document = stored(aggregateIdentifier, sequence);
            if (document == null) {
                break;
            }
            if (document.containsKey(PersonalData.FIELD)) {
                events.updateOne(EventDocuments.byKey(EventDocuments.position(document)),
                        new Document("$unset", new Document(PersonalData.FIELD, "")));
                erased++;
            }
        }
        personalData.forgetKey(aggregateIdentifier);
        snapshots.deleteOne(EventDocuments.byKey(aggregateIdentifier)); // the dossier's state holds the applicant's ID
        log.info("personal data of dossier {} erased: the values of {} events and the dossier's secret",
                aggregateIdentifier, erased);
        return erased;
    }

    /**
     * Whether the personal values stored with the dossier's event are the ones its commitment was made to, under the
     * dossier's secret: false when either is erased, or when the values were altered.
     */
    public boolean personalDataCommitmentHolds(String aggregateIdentifier, long sequenceNumber) {
        Document document = stored(aggregateIdentifier, sequenceNumber);
        byte[] key = personalData.existingKey(aggregateIdentifier);
        return document != null && key != null && PersonalData.commitmentHolds(document, key);
    }

    /**
     * What the store holds of an event beyond its message: its position, the payload revision its document is in, its
     * hash and previous hash (hex; null for an event stored before hashes).
     */
    public record StoredEvent(long position, String revision, String hash, String previousHash) {
    }

    /** The dossier's event with this sequence number as stored (null if none): one key lookup. */
    public StoredEvent storedEvent(String aggregateIdentifier, long sequenceNumber) {
        Document document = stored(aggregateIdentifier, sequenceNumber);
        return document == null ? null : new StoredEvent(EventDocuments.position(document),
                document.getString(EventDocuments.PAYLOAD_REVISION), document.getString(EventChain.HASH),
                document.getString(EventChain.PREVIOUS));
    }

    /** The dossier's stored event document with this sequence number, or null: one key lookup. */
    Document stored(String aggregateIdentifier, long sequenceNumber) {
        return events.find(EventDocuments.byAggregateSequence(aggregateIdentifier, sequenceNumber)).first();
    }

    /** Whether the dossier has an event with this sequence number: one key lookup. */
    public boolean contains(String aggregateIdentifier, long sequenceNumber) {
        return stored(aggregateIdentifier, sequenceNumber) != null;
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        snapshots.replaceOne(EventDocuments.byKey(snapshot.getAggregateIdentifier()),
                EventDocuments.snapshot(snapshot, serializer), new ReplaceOptions().upsert(true));
    }

    // ---- reading a dossier -------------------------------------------------------------------------------------

    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier, long firstSequenceNumber,
                                                                   int batchSize) {
        List<DomainEventData<?>> batch = new ArrayList<>();
        Document last = null;
        for (long sequence = firstSequenceNumber; batch.size() < batchSize; sequence++) {
            Document document = stored(aggregateIdentifier, sequence);
            if (document == null) {
                break;
            }
            batch.add(EventDocuments.data(document));
            last = document;
        }
        if (last != null && EventChain.storedHash(last) != null) {
            // the dossier's head as loaded: its next append chains to it without reading it again
            chain.saw(aggregateIdentifier, last.get(EventDocuments.SEQUENCE, Number.class).longValue(),
                    EventChain.storedHash(last));
        }
        return batch;
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        Document document = snapshots.find(EventDocuments.byKey(aggregateIdentifier)).first();
        return document == null ? Stream.empty() : Stream.of(EventDocuments.data(document));
    }

    /** By key lookups only: doubling probes, then a binary search between the last found and the first missing. */
    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        if (!contains(aggregateIdentifier, 0)) {
            return Optional.empty();
        }
        long found = 0;
        long missing = 1;
        while (contains(aggregateIdentifier, missing)) {
            found = missing;
            missing *= 2;
        }
        while (missing - found > 1) {
            long middle = found + (missing - found) / 2;
            if (contains(aggregateIdentifier, middle)) {
                found = middle;
            } else {
                missing = middle;
            }
        }
        return Optional.of(found);
    }

    // ---- tracking the stream ------------------------------------------------------------------------------------

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        Instant now = gaps.now();
        GapAwareTrackingToken token = gaps.withoutExpired(startingAt(lastToken), now, this::voidGivenUp);
        long[] known = knownAllocated.get();
        long allocated = known != null ? known[0] : lastAllocatedPosition();
        long scannedTo = Math.min(allocated, token.getIndex() + batchSize);
        List<Long> wanted = new ArrayList<>(token.getGaps());
        addRange(wanted, token.getIndex() + 1, scannedTo);
        if (wanted.isEmpty()) {
            return List.of();
        }
        List<Document> found = read(wanted);
        // a run of missing or void positions longer than a batch: read on, up to the last position handed out
        while (found.stream().allMatch(EventDocuments::isVoid) && scannedTo < allocated) {
            long from = scannedTo + 1;
            scannedTo = Math.min(allocated, scannedTo + batchSize);
            List<Long> next = new ArrayList<>();
            addRange(next, from, scannedTo);
            found.addAll(read(next));
        }
        found.sort(Comparator.comparingLong(EventDocuments::position));
        List<TrackedEventData<?>> batch = new ArrayList<>(found.size());
        GapAwareTrackingToken advanced = token;
        for (Document document : found) {
            long position = EventDocuments.position(document);
            gaps.found(position);
            if (position <= advanced.getIndex() && !advanced.getGaps().contains(position)) {
                continue;
            }
            advanced = advanced.advanceTo(position, Integer.MAX_VALUE);
            if (EventDocuments.isVoid(document)) {
                continue; // its position is covered by the token of the next event delivered
            }
            DomainEventData<String> data = EventDocuments.data(document);
            gaps.noteMissing(advanced.getGaps(), now);
            batch.add(new TrackedDomainEventData<>(advanced, data));
        }
        return batch;
    }

    /**
     * Claims a position the stream gives up with a void marker (a unique insert at its {@code _id}): true when the
     * position holds a void now (this reader's or another's), false when its event landed at the last moment (it is
     * then read as usual). A store that cannot be written fails the read: a position is never given up unclaimed.
     */
    boolean voidGivenUp(long position) {
        try {
            events.insertOne(EventDocuments.voided(position));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            Document there = events.find(EventDocuments.byKey(position)).first();
            return there != null && EventDocuments.isVoid(there);
        }
    }

    private static GapAwareTrackingToken startingAt(TrackingToken token) {
        if (token == null) {
            return tail();
        }
        if (token instanceof GapAwareTrackingToken gapAware) {
            return gapAware;
        }
        throw new IllegalArgumentException("this event store tracks positions with a GapAwareTrackingToken, not with "
                + token.getClass().getName() + ": a token stored by the previous event store must be removed"
                + " (see LegacyEventStore)");
    }

    private static void addRange(Collection<Long> positions, long from, long to) {
        for (long position = from; position <= to; position++) {
            positions.add(position);
        }
    }

    /**
     * The documents at these positions, events and voids, as a majority of the replica set holds them (one {@code $in}
     * on {@code _id}): an append not yet majority-committed reads as a gap, waited for like any other.
     */
    List<Document> read(List<Long> wanted) {
        return committed.find(EventDocuments.byPositions(wanted)).into(new ArrayList<>());
    }

    /**
     * The events at these positions, read with one {@code $in} on {@code _id}, in position order (voided and missing
     * positions are absent): for tools that walk the store, such as a completeness check.
     */
    public List<PositionedEvent> eventsAt(Collection<Long> positions) {
        List<PositionedEvent> found = new ArrayList<>();
        for (Document document : read(List.copyOf(positions))) {
            if (!EventDocuments.isVoid(document)) {
                found.add(new PositionedEvent(EventDocuments.position(document), document.getString(EventDocuments.AGGREGATE),
                        document.get(EventDocuments.SEQUENCE, Number.class).longValue(),
                        DateTimeUtils.parseInstant(document.getString(EventDocuments.TIMESTAMP))));
            }
        }
        found.sort(Comparator.comparingLong(PositionedEvent::position));
        return found;
    }

    /** Where an event is in the store, and when it was stamped. */
    public record PositionedEvent(long position, String aggregateIdentifier, long sequenceNumber, Instant timestamp) {
    }

    /**
     * The first position whose event was stamped at or after {@code instant}, found by binary search over positions
     * (key lookups only); timestamps follow positions closely but not strictly, so callers leave a margin.
     */
    public long firstPositionAtOrAfter(Instant instant) {
        long low = 1;
        long high = lastAllocatedPosition() + 1;
        while (low < high) {
            long middle = low + (high - low) / 2;
            Instant stamped = firstStampAtOrAfter(middle, high);
            if (stamped == null || !stamped.isBefore(instant)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    private Instant firstStampAtOrAfter(long position, long limit) {
        for (long from = position; from < limit; from += batchSize()) {
            List<Long> window = new ArrayList<>();
            addRange(window, from, Math.min(limit - 1, from + batchSize() - 1));
            List<PositionedEvent> events = eventsAt(window);
            if (!events.isEmpty()) {
                return events.get(0).timestamp();
            }
        }
        return null;
    }

    /** The global position of one event of a dossier, read by key. */
    public OptionalLong positionOf(String aggregateIdentifier, long sequenceNumber) {
        Document document = stored(aggregateIdentifier, sequenceNumber);
        return document == null ? OptionalLong.empty() : OptionalLong.of(EventDocuments.position(document));
    }

    /**
     * Runs {@code read}, this thread's reads of the event stream ({@code readEvents} consumed within it), with
     * {@code allocated} standing for the position counter instead of a read of it each batch: a reading of
     * {@link #lastAllocatedPosition()} the caller took moments ago. A reading lower than the counter never loses an
     * event: positions past it are read by a later call (the reader's next look at the counter).
     */
    public void readingUpTo(long allocated, Runnable read) {
        long[] previous = knownAllocated.get();
        knownAllocated.set(new long[]{allocated});
        try {
            read.run();
        } finally {
            if (previous == null) {
                knownAllocated.remove();
            } else {
                knownAllocated.set(previous);
            }
        }
    }

    /** The highest position handed out to an append so far (0 for an empty store). */
    public long lastAllocatedPosition() {
        Document counter = positions.find(EventDocuments.byKey(COUNTER)).first();
        return counter == null ? 0 : counter.get(LAST, Number.class).longValue();
    }

    /** How long a position handed out but not visible is waited for before readers move past it. */
    public Duration gapTimeout() {
        return gaps.timeout();
    }

    /** How many positions this process gave up waiting for (see {@link GapTimeouts}). */
    public long gapTimeouts() {
        return gaps.timedOut();
    }

    private static GapAwareTrackingToken tail() {
        return GapAwareTrackingToken.newInstance(0, List.of());
    }

    @Override
    public TrackingToken createTailToken() {
        return tail();
    }

    /**
     * At the last position, among the last batch's worth handed out, that holds an event; the positions below it not
     * visible yet are gaps, and those above it (appends under way) are read by a stream from here when they land.
     */
    @Override
    public TrackingToken createHeadToken() {
        long allocated = lastAllocatedPosition();
        if (allocated == 0) {
            return tail();
        }
        List<Long> recent = new ArrayList<>();
        long first = Math.max(1, allocated - batchSize() + 1);
        addRange(recent, first, allocated);
        TreeSet<Long> missing = new TreeSet<>(recent);
        TreeSet<Long> present = new TreeSet<>();
        read(recent).forEach(document -> {
            missing.remove(EventDocuments.position(document));
            present.add(EventDocuments.position(document));
        });
        // the head is the last position holding an event: one allocated above it and not written yet (an append under
        // way) cannot be a gap of a token at its own index, and a stream from here reads it when it lands
        long head = present.isEmpty() ? first - 1 : present.last();
        SortedSet<Long> below = missing.headSet(head);
        gaps.noteMissing(below, gaps.now());
        return GapAwareTrackingToken.newInstance(head, below);
    }

    /**
     * Just before the first position whose event was stamped at or after {@code dateTime}. This filters on time (a
     * full scan on the emulator): it is an operator's tool for a reset to a moment, never on a hot path.
     */
    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        Document first = events.find(new Document(EventDocuments.TIMESTAMP,
                        new Document("$gte", DateTimeUtils.formatInstant(dateTime))))
                .sort(Sorts.ascending(EventDocuments.POSITION)).limit(1).first();
        if (first == null) {
            return createHeadToken();
        }
        return GapAwareTrackingToken.newInstance(EventDocuments.position(first) - 1, List.of());
    }

    /** Called once an insert was answered; tests use it to lose the answer of an insert that was stored. */
    @FunctionalInterface
    public interface AfterInsert {
        void inserted(long firstPosition, int count);
    }

    /** Called between taking positions and inserting the events there; tests use it to hold a commit back. */
    @FunctionalInterface
    public interface BeforeInsert {
        void positionsAllocated(long firstPosition, int count);
    }

    /**
     * Builds the engine. Defaults: collections {@code events}, {@code snapshots} and {@code event_positions}, a gap
     * timeout of 60 seconds, the system clock, batches of 100. The database and both serializers must be set (the
     * Jackson ones: Axon's default is XStream).
     */
    public static class Builder extends BatchingEventStorageEngine.Builder {

        private MongoDatabase database;
        private String eventsCollection = "events";
        private String snapshotsCollection = "snapshots";
        private String positionsCollection = "event_positions";
        private Duration gapTimeout = Duration.ofSeconds(60);
        private boolean readOnly;
        private Clock clock = Clock.systemUTC();
        private BeforeInsert beforeInsert = (first, count) -> {
        };
        private AfterInsert afterInsert = (first, count) -> {
        };
        private Clock recordingClock;

        protected Builder() {
            persistenceExceptionResolver(e -> e instanceof MongoBulkWriteException bulk
                    && bulk.getWriteErrors().stream().anyMatch(error -> error.getCode() == DUPLICATE_KEY));
        }

        public Builder database(MongoDatabase database) {
            this.database = database;
            return this;
        }

        public Builder collections(String events, String snapshots, String positions) {
            this.eventsCollection = events;
            this.snapshotsCollection = snapshots;
            this.positionsCollection = positions;
            return this;
        }

        /** How long a position handed out but not visible is waited for before the stream moves past it. */
        public Builder gapTimeout(Duration gapTimeout) {
            this.gapTimeout = gapTimeout;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder beforeInsert(BeforeInsert beforeInsert) {
            this.beforeInsert = beforeInsert;
            return this;
        }

        /**
         * The clock an event's recorded time (its stored timestamp) is taken on as it is appended; without one, the
         * message's own timestamp (Axon's clock when the event was applied). The command side gives its domain clock, so
         * that a test's fixed clock governs recorded and reported times alike (one JVM-wide Axon clock would also move
         * the processors' claims of a query side running in the same JVM).
         */
        public Builder recordOn(Clock recordingClock) {
            this.recordingClock = recordingClock;
            return this;
        }

        /**
         * An engine that only reads (an inspector's offline verifier on a read-only account): it creates no index and
         * no counter at start; appending with it is an error of the caller's.
         */
        public Builder readOnly() {
            this.readOnly = true;
            return this;
        }

        public Builder afterInsert(AfterInsert afterInsert) {
            this.afterInsert = afterInsert;
            return this;
        }

        @Override
        public Builder eventSerializer(Serializer eventSerializer) {
            super.eventSerializer(eventSerializer);
            return this;
        }

        @Override
        public Builder snapshotSerializer(Serializer snapshotSerializer) {
            super.snapshotSerializer(snapshotSerializer);
            return this;
        }

        @Override
        public Builder upcasterChain(EventUpcaster upcasterChain) {
            super.upcasterChain(upcasterChain);
            return this;
        }

        @Override
        public Builder batchSize(int batchSize) {
            super.batchSize(batchSize);
            return this;
        }

        @Override
        protected void validate() throws AxonConfigurationException {
            super.validate();
            if (database == null) {
                throw new AxonConfigurationException("the event store needs a MongoDB database");
            }
            if (gapTimeout == null || gapTimeout.isNegative() || gapTimeout.isZero()) {
                throw new AxonConfigurationException("the gap timeout must be positive");
            }
        }

        public PositionedMongoEventStorageEngine build() {
            validate();
            return new PositionedMongoEventStorageEngine(this);
        }
    }
}
