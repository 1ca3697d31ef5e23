package vn.hoso.eventstore;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReturnDocument;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.hoso.tlog.Checkpoint;
import vn.hoso.tlog.Merkle;
import vn.hoso.tlog.SignedNote;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Seals the event store into the {@link SealedLog}: reads the store's documents by position, strictly in position
 * order, and makes each event the next leaf of the log, once its position is known (an event, or a void marker: a
 * position handed out but not visible is waited for up to the store's gap timeout, then voided as the stream readers
 * do, so nothing can land there later). The leaf order is therefore the position order, and never changes.
 * <p>
 * An event is sealed only when it chains to its dossier's sealed head: its stored hash must be the hash of its stored
 * fields and previous hash, its previous hash the hash of its dossier's previous sealed event (none for a first
 * event), and no other event of the dossier with its sequence number may be sealed. Anything else is an anomaly:
 * recorded in {@code log_anomalies}, logged, counted, and never sealed. An event stored before hashes (no {@code hash}
 * field) is sealed with the hash computed from its stored fields along its dossier's chain ({@code computed}).
 * <p>
 * One instance seals at a time: it holds the lease ({@link #holdLease}), and every batch is committed by a
 * compare-and-set of the state's version, so a second sealer that lost its lease cannot commit over the first; the
 * seals and tiles of a batch are unique inserts of deterministic content, so a batch repeated after a crash writes the
 * same documents. Checkpoints are signed every {@code checkpointEvery} or {@code checkpointEvents} events, whichever
 * comes first, with the signing key that never leaves this process.
 */
public final class LogSealer {

    static final String STATE_ID = "sealer";
    static final String LEASE_ID = "lease";
    private static final Logger log = LoggerFactory.getLogger(LogSealer.class);
    private static final int DUPLICATE_KEY = 11000;
    private static final int REMEMBERED_HEADS = 100_000;
    private static final java.util.regex.Pattern HASH_TEXT = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    /**
     * @param signer           the log's signing key; its name is the log's origin
     * @param checkpointEvery  the longest time between two checkpoints while events are sealed
     * @param checkpointEvents the most events sealed between two checkpoints
     * @param batchSize        positions read per batch
     */
    public record Settings(SignedNote.SignerKey signer, Duration checkpointEvery, long checkpointEvents, int batchSize,
                           List<SignedNote.VerifierKey> trusted) {
        /** With no earlier keys: only the signer's own checkpoints are trusted. */
        public Settings(SignedNote.SignerKey signer, Duration checkpointEvery, long checkpointEvents, int batchSize) {
            this(signer, checkpointEvery, checkpointEvents, batchSize, List.of(signer.verifier()));
        }
    }

    /** A sealer whose state was changed by another (it lost its lease): it reloads before it seals again. */
    public static final class LostLeaseException extends RuntimeException {
        LostLeaseException(String message) {
            super(message);
        }
    }

    private record Head(long sequence, byte[] hash) {
    }

    record TileWrite(int level, long index, byte[] hashes) {
    }

    private final PositionedMongoEventStorageEngine engine;
    private final SealedLog sealed;
    private final Settings settings;
    private final Clock clock;
    private final Map<Long, Instant> missingSince = new HashMap<>();
    private final Map<String, Head> heads = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Head> eldest) {
            return size() > REMEMBERED_HEADS;
        }
    };
    private final LongAdder sealedEvents = new LongAdder();
    private final LongAdder anomalyCount = new LongAdder();
    private final LongAdder checkpointCount = new LongAdder();
    private final LongAdder refusals = new LongAdder();
    /** How often a refusal that stands is told in the log again. */
    private static final Duration REPORT_EVERY = Duration.ofMinutes(1);
    private String lastRefusal;
    private Instant lastRefusalReportedAt = Instant.EPOCH;
    private long refusedSinceReported;
    private volatile Checkpoint lastSigned;
    private SealedLog.State state;
    private volatile Instant lastSealedAt;
    private volatile SealObserver observer = (events, lag) -> { };

    /** Told of each batch sealed: how many events, and how long ago the oldest of them was recorded. */
    @FunctionalInterface
    public interface SealObserver {
        void sealed(int events, Duration oldestLag);
    }

    public void observe(SealObserver observer) {
        this.observer = observer;
    }

    /**
     * @param clock the wall clock (gap waits, checkpoint times and leases are infrastructure time, never a test's domain
     *              clock)
     */
    public LogSealer(PositionedMongoEventStorageEngine engine, SealedLog sealed, Settings settings, Clock clock) {
        this.engine = engine;
        this.sealed = sealed;
        this.settings = settings;
        this.clock = clock;
    }

    // ---- the lease -----------------------------------------------------------------------------------------------

    /**
     * Takes or renews the lease for {@code ttl}: true when this owner holds it now. A lease is taken over only once its
     * holder let it run out (its time, written on the holder's clock, is past on this one's: clocks apart by more than
     * the margin can let two sealers run for a moment, and the state's compare-and-set keeps only one's batches).
     */
    public boolean holdLease(String owner, Duration ttl) {
        Instant now = clock.instant();
        Document filter = new Document("_id", LEASE_ID).append("$or", List.of(new Document("owner", owner),
                new Document("until", new Document("$lt", now.toEpochMilli()))));
        Document update = new Document("$set", new Document("owner", owner).append("until", now.plus(ttl).toEpochMilli()));
        try {
            Document held = sealed.state.findOneAndUpdate(filter, update,
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
            return held != null && owner.equals(held.getString("owner"));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false; // held by another, whose time is not up
            }
            throw e;
        } catch (com.mongodb.MongoCommandException e) {
            if (e.getErrorCode() == DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Gives the lease up (at shutdown), so that another instance takes over at once. */
    public void releaseLease(String owner) {
        sealed.state.updateOne(new Document("_id", LEASE_ID).append("owner", owner),
                new Document("$set", new Document("until", 0L)));
    }

    /** Forgets what this sealer held in memory: it reads the state again before its next batch (a new lease). */
    public synchronized void reload() {
        state = null;
        heads.clear();
        missingSince.clear();
    }

    /** Publishes the signing key's public half ({@code log_keys}), once. */
    public void publishKey() {
        SignedNote.VerifierKey verifier = settings.signer().verifier();
        try {
            sealed.keys.insertOne(new Document("_id", keyId(verifier)).append("verifierKey", verifier.toString())
                    .append("since", clock.instant().toString()));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /** A key's id: SHA-256 of its raw public key, hex. */
    public static String keyId(SignedNote.VerifierKey key) {
        try {
            return SealedLog.hex(MessageDigest.getInstance("SHA-256").digest(key.publicKey()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    // ---- sealing -------------------------------------------------------------------------------------------------

    /**
     * Seals the next batch of positions: returns how many positions it moved past (0 when it is at the store's head or
     * waits for a gap). Call it while it returns more than 0 to catch up.
     */
    public synchronized int sealNext() {
        SealedLog.State current = current();
        completeExistingHistoryIfSealed(current);
        long allocated = engine.lastAllocatedPosition();
        if (current.position() >= allocated) {
            return 0;
        }
        long to = Math.min(allocated, current.position() + settings.batchSize());
        if (existingHistoryThrough > current.position()) {
            to = Math.min(to, existingHistoryThrough); // (the record counts exactly the events stored before the log)
        }
        List<Long> wanted = new ArrayList<>();
        for (long p = current.position() + 1; p <= to; p++) {
            wanted.add(p);
        }
        Map<Long, Document> found = new HashMap<>();
        engine.read(wanted).forEach(d -> found.put(EventDocuments.position(d), d));
        Instant now = clock.instant();
        List<Document> events = new ArrayList<>();
        long through = current.position();
        for (long p : wanted) {
            Document document = found.get(p);
            if (document == null) {
                // every position missing in the window starts its wait now: a block left by a dead writer is voided
                // after one gap timeout, not one per position
                wanted.stream().filter(q -> !found.containsKey(q)).forEach(q -> missingSince.putIfAbsent(q, now));
                Instant since = missingSince.get(p);
                if (Duration.between(since, now).compareTo(engine.gapTimeout()) < 0) {
                    break; // sealed behind the gap: its event may still land
                }
                if (!engine.voidGivenUp(p)) {
                    document = engine.read(List.of(p)).stream().findFirst().orElse(null);
                    if (document == null) {
                        break;
                    }
                } else {
                    log.warn("sealer: event position {} was handed out but never filled within the gap timeout ({}):"
                            + " voided, and sealed past", p, engine.gapTimeout());
                    missingSince.remove(p);
                    through = p;
                    continue;
                }
            }
            missingSince.remove(p);
            through = p;
            if (!EventDocuments.isVoid(document)) {
                events.add(document);
            }
        }
        if (through == current.position()) {
            return 0;
        }
        Batch batch = seal(current, events);
        commit(current, batch, through, events.size());
        if (batch.sealed() > 0) {
            Instant oldest = stamp(events.get(0));
            observer.sealed(batch.sealed(), oldest == null ? Duration.ZERO : Duration.between(oldest, now));
        }
        completeExistingHistoryIfSealed(state);
        return (int) (through - current.position());
    }

    private record Batch(List<TileWrite> tiles, List<BundleWrite> bundles, List<Document> anomalies,
                         List<List<byte[]>> partial, List<SealedLog.Seal> entries, long size, long computed,
                         Map<String, Head> heads, int sealed) {
    }

    record BundleWrite(long index, List<SealedLog.Seal> entries) {
    }

    private Batch seal(SealedLog.State current, List<Document> events) {
        List<List<byte[]>> partial = new ArrayList<>();
        current.partial().forEach(level -> partial.add(new ArrayList<>(level)));
        if (partial.isEmpty()) {
            partial.add(new ArrayList<>());
        }
        List<SealedLog.Seal> entries = new ArrayList<>(current.entries());
        Map<String, Head> batchHeads = new HashMap<>();
        List<TileWrite> tiles = new ArrayList<>();
        List<BundleWrite> bundles = new ArrayList<>();
        List<Document> anomalies = new ArrayList<>();
        long size = current.size();
        long computed = current.computedHashes();
        int sealedHere = 0;
        for (Document event : events) {
            long position = EventDocuments.position(event);
            String shape = malformed(event);
            if (shape != null) {
                anomalies.add(anomaly(position, String.valueOf(event.get(EventDocuments.AGGREGATE)), -1,
                        "MALFORMED:" + shape));
                continue;
            }
            String dossier = event.getString(EventDocuments.AGGREGATE);
            long sequence = sequence(event);
            Head head = batchHeads.containsKey(dossier) ? batchHeads.get(dossier) : heads.get(dossier);
            if (sequence > 0 && (head == null || head.sequence() < sequence - 1)) {
                head = sealedHead(current, dossier, sequence - 1);
            }
            String problem = null;
            byte[] expectedPrevious = sequence == 0 ? EventChain.NONE
                    : head != null && head.sequence() == sequence - 1 ? head.hash() : null;
            String storedPrevious = event.getString(EventChain.PREVIOUS);
            byte[] previous = storedPrevious != null ? SealedLog.unhex(storedPrevious) : expectedPrevious;
            byte[] hash = previous == null ? null : EventChain.hash(event, previous);
            if (head != null && head.sequence() >= sequence) {
                problem = "ALREADY_SEALED:its dossier's event " + sequence + " is sealed already, at another position";
            } else if (expectedPrevious == null) {
                problem = "PREVIOUS_NOT_SEALED:its dossier's event " + (sequence - 1) + " is not sealed";
            } else if (!MessageDigest.isEqual(previous, expectedPrevious)) {
                problem = "CHAIN_BROKEN:its previous hash is not the hash of its dossier's sealed event " + (sequence - 1);
            } else if (EventChain.storedHash(event) != null && !MessageDigest.isEqual(EventChain.storedHash(event), hash)) {
                problem = "HASH_MISMATCH:its stored hash is not the hash of its stored fields";
            }
            if (problem != null) {
                anomalies.add(anomaly(position, dossier, sequence, problem));
                continue;
            }
            if (EventChain.storedHash(event) == null) {
                computed++;
            }
            appendLeaf(partial, size, SealedLog.leafHash(position, hash), tiles);
            entries.add(new SealedLog.Seal(size, position, dossier, sequence, hash));
            size++;
            if (entries.size() == SealedLog.TILE_WIDTH) {
                bundles.add(new BundleWrite((size / SealedLog.TILE_WIDTH) - 1, entries));
                entries = new ArrayList<>();
            }
            batchHeads.put(dossier, new Head(sequence, hash));
            sealedHere++;
        }
        return new Batch(tiles, bundles, anomalies, partial, entries, size, computed, batchHeads, sealedHere);
    }

    /**
     * The dossier's sealed event {@code sequence}, when the sealer does not remember it: its stored document's position
     * (one key lookup), and the log's entry at that position (a search of the entry bundles), which must be that event.
     */
    private Head sealedHead(SealedLog.State current, String dossier, long sequence) {
        Document stored = engine.stored(dossier, sequence);
        if (stored == null) {
            return null;
        }
        return sealed.sealAt(current, EventDocuments.position(stored))
                .filter(seal -> seal.dossier().equals(dossier) && seal.sequence() == sequence)
                .map(seal -> new Head(sequence, seal.hash())).orElse(null);
    }

    /** An anomaly ({@code CHECK:detail}), logged as it is found. */
    private Document anomaly(long position, String dossier, long sequence, String problem) {
        int colon = problem.indexOf(':');
        log.error("sealer: the event at position {} (dossier {}, event {}) is not sealed: {} ({}); see"
                + " GET /api/v1/log/anomalies", position, dossier, sequence, problem.substring(0, colon),
                problem.substring(colon + 1));
        return new Document("_id", position).append("dossier", dossier).append("sequence", sequence)
                .append("check", problem.substring(0, colon)).append("detail", problem.substring(colon + 1))
                .append("at", clock.instant().toString());
    }

    /**
     * What makes a stored document no event the chain can be computed over (a field of the wrong type, a hash that is
     * not 64 hex digits), or null: such a document is an anomaly, and never stops the sealer.
     */
    static String malformed(Document event) {
        for (String field : List.of(EventDocuments.AGGREGATE, EventDocuments.TYPE, EventDocuments.EVENT_ID,
                EventDocuments.TIMESTAMP, EventDocuments.PAYLOAD_TYPE, EventDocuments.PAYLOAD,
                EventDocuments.PAYLOAD_REVISION, EventDocuments.META_DATA, EventChain.HASH, EventChain.PREVIOUS)) {
            Object value = event.get(field);
            if (value != null && !(value instanceof String)) {
                return "its field " + field + " is not a string";
            }
        }
        if (event.getString(EventDocuments.AGGREGATE) == null || !(event.get(EventDocuments.SEQUENCE) instanceof Number)
                || ((Number) event.get(EventDocuments.SEQUENCE)).longValue() < 0) {
            return "it has no dossier or no sequence number";
        }
        for (String field : List.of(EventChain.HASH, EventChain.PREVIOUS)) {
            String value = event.getString(field);
            if (value != null && !HASH_TEXT.matcher(value).matches()) {
                return "its " + field + " is not 64 hex digits";
            }
        }
        return null;
    }

    /** Adds a leaf to the right edge; each tile it fills is written whole and its head goes up a level. */
    static void appendLeaf(List<List<byte[]>> partial, long sizeBefore, byte[] leafHash, List<TileWrite> tiles) {
        long size = sizeBefore + 1;
        partial.get(0).add(leafHash);
        for (int level = 0; partial.get(level).size() == SealedLog.TILE_WIDTH; level++) {
            long entries = size >>> (SealedLog.TILE_HEIGHT * level);
            long index = (entries >>> SealedLog.TILE_HEIGHT) - 1;
            List<byte[]> full = partial.get(level);
            tiles.add(new TileWrite(level, index, SealedLog.join(full)));
            if (partial.size() == level + 1) {
                partial.add(new ArrayList<>());
            }
            partial.get(level + 1).add(SealedLog.head(full));
            partial.set(level, new ArrayList<>());
        }
    }

    private void commit(SealedLog.State current, Batch batch, long through, int events) {
        batch.bundles().forEach(b -> sealed.writeBundle(b.index(), b.entries(), current.size()));
        batch.tiles().forEach(t -> sealed.writeTile(t.level(), t.index(), t.hashes(), current.size()));
        for (Document anomaly : batch.anomalies()) {
            try {
                sealed.anomalies.insertOne(anomaly);
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
        }
        SealedLog.State next = new SealedLog.State(current.version() + 1, batch.size(), through, batch.partial(),
                batch.entries(), current.checkpointSize(), current.checkpointAt(), batch.computed());
        store(current, next);
        heads.putAll(batch.heads());
        sealedEvents.add(batch.sealed());
        anomalyCount.add(batch.anomalies().size());
        if (batch.sealed() > 0) {
            lastSealedAt = clock.instant();
        }
    }

    /** Stores the state by compare-and-set on its version. */
    private void store(SealedLog.State current, SealedLog.State next) {
        List<Binary> partial = next.partial().stream().map(level -> new Binary(SealedLog.join(level))).toList();
        Document document = new Document("_id", STATE_ID).append("version", next.version()).append("size", next.size())
                .append("position", next.position()).append("partial", partial)
                .append("entries", SealedLog.bundle(next.entries())).append("computedHashes", next.computedHashes())
                .append("checkpoint", next.checkpointSize())
                .append("checkpointAt", next.checkpointAt() == null ? null : next.checkpointAt().toString())
                .append("updatedAt", clock.instant().toString());
        boolean stored;
        if (current.version() == 0) {
            try {
                sealed.state.insertOne(document);
                stored = true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                stored = false;
            }
        } else {
            stored = sealed.state.replaceOne(new Document("_id", STATE_ID).append("version", current.version()),
                    document).getMatchedCount() == 1;
        }
        if (!stored) {
            state = null;
            throw new LostLeaseException("the log's state moved on since this sealer read it (version "
                    + current.version() + "): another sealer holds the lease");
        }
        state = next;
    }

    private SealedLog.State current() {
        if (state == null) {
            state = sealed.state();
            heads.clear();
            if (state.version() == 0) {
                long allocated = engine.lastAllocatedPosition();
                if (allocated > 0) {
                    recordExistingHistory(allocated); // a log begun on a store that holds events (once: a unique insert)
                }
            }
            Document existing = sealed.state.find(new Document("_id", EXISTING_HISTORY_ID)).first();
            existingHistoryThrough = existing == null || existing.get("sealedAt") != null ? -1
                    : SealedLog.number(existing, "throughPosition");
        }
        return state;
    }

    // ---- the history stored before the log ----------------------------------------------------------------------

    static final String EXISTING_HISTORY_ID = "existing-history";
    private long existingHistoryThrough = -1;

    /**
     * The first batch of a log started on a store that already holds events: what is there, up to the last position
     * handed out now, is sealed from its stored bytes (the hashes of events stored before hashes computed along each
     * dossier's chain). That it was is recorded ({@code log_state}, {@code existing-history}) and shown by the log's
     * status; the checkpoint that first covers it is named there once it is signed.
     */
    private void recordExistingHistory(long allocated) {
        Document record = new Document("_id", EXISTING_HISTORY_ID).append("throughPosition", allocated)
                .append("startedAt", clock.instant().toString());
        try {
            sealed.state.insertOne(record);
            log.warn("sealer: the log starts on a store that holds positions 1..{}: they are sealed from their stored"
                    + " bytes now, and this is recorded (GET /api/v1/log)", allocated);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        Document there = sealed.state.find(new Document("_id", EXISTING_HISTORY_ID)).first();
        existingHistoryThrough = there == null ? -1 : SealedLog.number(there, "throughPosition");
    }

    private void completeExistingHistoryIfSealed(SealedLog.State sealedThrough) {
        if (existingHistoryThrough <= 0 || sealedThrough.position() < existingHistoryThrough) {
            return;
        }
        long computed = sealedThrough.computedHashes();
        sealed.state.updateOne(new Document("_id", EXISTING_HISTORY_ID).append("sealedAt", null),
                new Document("$set", new Document("sealedAt", clock.instant().toString())
                        .append("events", sealedThrough.size()).append("computedHashes", computed)));
        log.warn("sealer: the history stored before the log is sealed: {} events through position {} ({} of them"
                + " stored before hashes, their hashes computed from their stored fields)", sealedThrough.size(),
                existingHistoryThrough, computed);
        existingHistoryThrough = -1;
    }

    private static Instant stamp(Document event) {
        try {
            return Instant.parse(event.getString(EventDocuments.TIMESTAMP));
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- checkpoints ---------------------------------------------------------------------------------------------

    /**
     * Signs a checkpoint of the sealed tree when one is due: none yet, or events sealed since the last one and either
     * {@code checkpointEvery} passed or {@code checkpointEvents} were sealed. Returns the checkpoint signed, or null.
     */
    public synchronized SealedLog.StoredCheckpoint checkpointIfDue() {
        SealedLog.State current = current();
        Instant now = clock.instant();
        boolean due = current.checkpointSize() < 0
                || current.size() > current.checkpointSize()
                && (current.size() - current.checkpointSize() >= settings.checkpointEvents()
                || current.checkpointAt() == null
                || Duration.between(current.checkpointAt(), now).compareTo(settings.checkpointEvery()) >= 0);
        if (!due) {
            return null;
        }
        byte[] root = Merkle.root((Merkle.Subtrees) (level, index) -> sealed.perfect(current, level, index),
                current.size());
        String refusal = refusalToSign(current, root);
        if (refusal != null) {
            refusals.increment();
            refusedSinceReported++;
            // told at once, then once a minute while the same refusal stands (the sealer asks after every batch it
            // seals); hoso_log_checkpoint_refusals_total counts every one
            if (!refusal.equals(lastRefusal) || Duration.between(lastRefusalReportedAt, now).compareTo(REPORT_EVERY) >= 0) {
                log.error("sealer: refusing to sign a checkpoint of {} events: {}; the log's documents were changed:"
                        + " start a verification (POST /api/v1/log/verifications) against a checkpoint kept outside"
                        + " ({} refusals since the last report of it; told again each minute while it stands)",
                        current.size(), refusal, refusedSinceReported);
                lastRefusal = refusal;
                lastRefusalReportedAt = now;
                refusedSinceReported = 0;
            }
            return null;
        }
        Checkpoint checkpoint = new Checkpoint(settings.signer().name(), current.size(), root);
        String note = SignedNote.sign(checkpoint.text(), settings.signer());
        String keyId = keyId(settings.signer().verifier());
        try {
            sealed.checkpoints.insertOne(new Document("_id", current.size()).append("note", note)
                    .append("root", SealedLog.hex(root)).append("keyId", keyId).append("at", now.toString()));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // a checkpoint of this size exists (signed before a crash, or by another sealer): it is the one published
        }
        store(current, new SealedLog.State(current.version() + 1, current.size(), current.position(), current.partial(),
                current.entries(), current.size(), now, current.computedHashes()));
        checkpointCount.increment();
        lastSigned = checkpoint;
        log.info("log checkpoint signed: {} events, root {}", current.size(), SealedLog.hex(root));
        return sealed.checkpoint(current.size()).orElseThrow();
    }

    /**
     * Why the tree the stored tiles give now must not be signed, or null: it must extend the last checkpoint (the one
     * the state names, opened with a trusted key, or the larger one this process signed itself), as a consistency proof
     * from the tiles shows. A sealer never signs over a history that differs from one it signed before, whatever the
     * database holds.
     */
    private String refusalToSign(SealedLog.State current, byte[] root) {
        Checkpoint previous = null;
        if (current.checkpointSize() >= 0) {
            java.util.Optional<SealedLog.StoredCheckpoint> stored = sealed.checkpoint(current.checkpointSize());
            if (stored.isEmpty()) {
                return "the checkpoint of " + current.checkpointSize() + " events the state names is gone";
            }
            previous = Checkpoint.openByLog(stored.get().note(), settings.trusted()).orElse(null);
            if (previous == null || previous.size() != current.checkpointSize()) {
                return "the checkpoint of " + current.checkpointSize() + " events is not one a trusted key signed";
            }
        }
        Checkpoint own = lastSigned;
        if (own != null && (previous == null || own.size() > previous.size())) {
            previous = own; // the database lost checkpoints this process signed: the log was rolled back
        }
        if (previous == null || previous.size() == 0) {
            return null;
        }
        if (previous.size() > current.size()) {
            return "the log holds " + current.size() + " events, fewer than the " + previous.size() + " it signed";
        }
        try {
            List<byte[]> proof = Merkle.consistencyProof(
                    (Merkle.Subtrees) (level, index) -> sealed.perfect(current, level, index), previous.size(),
                    current.size());
            if (!Merkle.verifyConsistency(previous.size(), current.size(), previous.root(), root, proof)) {
                return "the tiles do not extend the checkpoint of " + previous.size() + " events";
            }
        } catch (SealedLog.DamagedLogException damaged) {
            return damaged.getMessage();
        }
        return null;
    }

    // ---- figures -------------------------------------------------------------------------------------------------

    /** Checkpoints this sealer refused to sign: the log's documents no longer extend what it signed before. */
    public long refusedCheckpoints() {
        return refusals.sum();
    }

    public long sealedEvents() {
        return sealedEvents.sum();
    }

    public long anomalies() {
        return anomalyCount.sum();
    }

    public long checkpoints() {
        return checkpointCount.sum();
    }

    /** The store position sealed through, as this sealer last knew it (-1 before it read the state). */
    public synchronized long sealedPosition() {
        return state == null ? -1 : state.position();
    }

    public synchronized long size() {
        return state == null ? -1 : state.size();
    }

    private static long sequence(Document event) {
        return event.get(EventDocuments.SEQUENCE, Number.class).longValue();
    }
}
