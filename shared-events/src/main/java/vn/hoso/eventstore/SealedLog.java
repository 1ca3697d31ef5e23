package vn.hoso.eventstore;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.bson.types.Binary;
import vn.hoso.tlog.Merkle;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Merkle log that seals the event store (RFC 9162 hashing), as MongoDB holds it: what the sealer
 * ({@link LogSealer}) wrote and what proofs and verifications read. Every read is by key.
 * <ul>
 * <li>{@code log_entries}: the leaves' entries in bundles of 256 (as C2SP {@code tlog-tiles} keeps entry bundles),
 * {@code _id} the bundle's index: each leaf's store position and event hash (its leaf data), and, to name what a
 * verification finds, its dossier and sequence number. Written once each, when full; the partial bundle is kept in the
 * sealer's state. An event's leaf is found from its position (positions grow with leaves): a binary search over
 * bundles read by key. No document is written per event: the sealer's writes are a few per 256 events.</li>
 * <li>{@code log_tiles}: C2SP {@code tlog-tiles}: {@code _id} {@code <tile level>/<tile index>}, 256 hashes of 32 bytes
 * each; a tile of level {@code L} holds the heads of the subtrees of {@code 256^L} leaves. Only full tiles are
 * written, each once (a unique insert); the right edge (the partial tile of each level) is kept in the sealer's
 * state.</li>
 * <li>{@code log_state}: the sealer's state ({@code _id} {@code sealer}, changed by compare-and-set on its version) and
 * its lease ({@code _id} {@code lease}).</li>
 * <li>{@code log_checkpoints}: the signed checkpoints, {@code _id} the tree size; {@code log_keys}: the public keys
 * that signed them; {@code log_anomalies}: events the sealer refused to seal, {@code _id} their position.</li>
 * </ul>
 * A leaf is an event's position (8 bytes, big-endian) followed by its hash ({@link EventChain}): the leaf binds the
 * event's place in the store as well as its content. Nothing here holds personal data: hashes, positions, dossier ids.
 */
public final class SealedLog {

    static final String ENTRIES = "log_entries";
    static final String TILES = "log_tiles";
    static final String STATE = "log_state";
    static final String CHECKPOINTS = "log_checkpoints";
    static final String KEYS = "log_keys";
    static final String ANOMALIES = "log_anomalies";
    static final int TILE_HEIGHT = 8;
    static final int TILE_WIDTH = 1 << TILE_HEIGHT;
    private static final int CACHED_TILES = 2048;
    private static final HexFormat HEX = HexFormat.of();

    /**
     * A sealed event: its leaf, its store position and the hash it was sealed with (the leaf's data), and its dossier and
     * sequence number as the sealer read them.
     */
    public record Seal(long leaf, long position, String dossier, long sequence, byte[] hash) {
    }

    /**
     * A checkpoint as stored: its size, its signed note, its root, the id of the key that signed it, and the witnesses'
     * cosignatures (signature lines) it collected since.
     */
    public record StoredCheckpoint(long size, String note, byte[] root, String keyId, Instant at,
                                   List<String> cosignatures) {
        /** The note with its cosignatures: one more signature line each (C2SP tlog-cosignature). */
        public String cosignedNote() {
            StringBuilder note = new StringBuilder(note());
            cosignatures.forEach(line -> note.append(line).append('\n'));
            return note.toString();
        }
    }

    /** A public key that signed checkpoints: its id (SHA-256 of the raw public key, hex) and its verifier key text. */
    public record PublishedKey(String keyId, String verifierKey, Instant since) {
    }

    /**
     * The sealing of what the store held before the log existed: through which position, when it started and ended,
     * how many events, and how many of them had no stored hash (theirs was computed from their stored fields).
     */
    public record ExistingHistory(long throughPosition, Instant startedAt, Instant sealedAt, Long events,
                                  Long computedHashes) {
    }

    /** An event the sealer did not seal, and why. */
    public record Anomaly(long position, String dossier, long sequence, String check, String detail, Instant at) {
    }

    /** The log's sealed size and the right edge of its tiles, as the sealer last stored them. */
    record State(long version, long size, long position, List<List<byte[]>> partial, List<Seal> entries,
                 long checkpointSize, Instant checkpointAt, long computedHashes) {
        static State empty() {
            return new State(0, 0, 0, new ArrayList<>(), new ArrayList<>(), -1, null, 0);
        }
    }

    /** A read of the log that found it damaged (a tile missing or malformed): the verification reports it. */
    public static final class DamagedLogException extends RuntimeException {
        DamagedLogException(String message) {
            super(message);
        }
    }

    final MongoCollection<Document> entries;
    final MongoCollection<Document> tiles;
    final MongoCollection<Document> state;
    final MongoCollection<Document> checkpoints;
    final MongoCollection<Document> keys;
    final MongoCollection<Document> anomalies;
    private final Map<String, byte[]> tileCache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CACHED_TILES;
        }
    };

    private final Map<Long, List<Seal>> bundleCache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<Seal>> eldest) {
            return size() > CACHED_TILES / 4;
        }
    };

    public SealedLog(MongoDatabase database) {
        this.entries = database.getCollection(ENTRIES);
        this.tiles = database.getCollection(TILES);
        this.state = database.getCollection(STATE);
        this.checkpoints = database.getCollection(CHECKPOINTS);
        this.keys = database.getCollection(KEYS);
        this.anomalies = database.getCollection(ANOMALIES);
    }

    // ---- what a leaf is ------------------------------------------------------------------------------------------

    /** The leaf's data: the event's position (8 bytes, big-endian) and its hash. */
    public static byte[] leafData(long position, byte[] eventHash) {
        return ByteBuffer.allocate(8 + eventHash.length).putLong(position).put(eventHash).array();
    }

    public static byte[] leafHash(long position, byte[] eventHash) {
        return Merkle.leafHash(leafData(position, eventHash));
    }

    static String sealId(String dossier, long sequence) {
        return dossier + "#" + sequence;
    }

    // ---- reads ---------------------------------------------------------------------------------------------------

    /** The sealer's state, or the empty log's. */
    State state() {
        Document document = state.find(new Document("_id", LogSealer.STATE_ID)).first();
        if (document == null) {
            return State.empty();
        }
        try {
            return state(document);
        } catch (DamagedLogException damaged) {
            throw damaged;
        } catch (RuntimeException malformed) {
            throw new DamagedLogException("the sealer's state is malformed: " + malformed);
        }
    }

    private static State state(Document document) {
        List<List<byte[]>> partial = new ArrayList<>();
        for (Object level : document.getList("partial", Object.class, List.of())) {
            partial.add(split(((Binary) level).getData()));
        }
        long size = number(document, "size");
        Document bundle = document.get("entries", Document.class);
        List<Seal> entries = bundle == null ? new ArrayList<>() : entries(bundle, size - size % TILE_WIDTH);
        if (size < 0 || entries.size() != size % TILE_WIDTH) {
            throw new DamagedLogException("the sealer's state holds " + entries.size() + " entries for a log of " + size);
        }
        String at = document.getString("checkpointAt");
        return new State(number(document, "version"), size, number(document, "position"), partial, entries,
                number(document, "checkpoint"), at == null ? null : Instant.parse(at),
                Math.max(0, number(document, "computedHashes")));
    }

    /** A bundle of entries as stored, the first of them leaf {@code firstLeaf}. */
    static Document bundle(List<Seal> entries) {
        return new Document("positions", entries.stream().map(Seal::position).toList())
                .append("dossiers", entries.stream().map(Seal::dossier).toList())
                .append("sequences", entries.stream().map(Seal::sequence).toList())
                .append("hashes", new Binary(join(entries.stream().map(Seal::hash).toList())));
    }

    static List<Seal> entries(Document bundle, long firstLeaf) {
        List<Number> positions = bundle.getList("positions", Number.class, List.of());
        List<String> dossiers = bundle.getList("dossiers", String.class, List.of());
        List<Number> sequences = bundle.getList("sequences", Number.class, List.of());
        List<byte[]> hashes = bundle.get("hashes") instanceof Binary binary ? split(binary.getData()) : List.of();
        if (dossiers.size() != positions.size() || sequences.size() != positions.size()
                || hashes.size() != positions.size()) {
            throw new DamagedLogException("the entry bundle from leaf " + firstLeaf + " is malformed");
        }
        List<Seal> found = new ArrayList<>(positions.size());
        for (int i = 0; i < positions.size(); i++) {
            found.add(new Seal(firstLeaf + i, positions.get(i).longValue(), dossiers.get(i),
                    sequences.get(i).longValue(), hashes.get(i)));
        }
        return found;
    }

    /** How many events are sealed (the tree's size), and the store position sealed through. */
    public long size() {
        return state().size();
    }

    public long sealedPosition() {
        return state().position();
    }

    /** The sealed events at these store positions (one read of the state for all); positions not sealed are absent. */
    public Map<Long, Seal> sealsAt(Collection<Long> positions) {
        State current = state();
        Map<Long, Seal> found = new HashMap<>();
        for (long position : positions) {
            sealAt(current, position).ifPresent(seal -> found.put(position, seal));
        }
        return found;
    }

    /** The sealed event at this store position, if one is (a binary search over the entry bundles, read by key). */
    public Optional<Seal> sealAt(long position) {
        return sealAt(state(), position);
    }

    Optional<Seal> sealAt(State current, long position) {
        if (position < 1 || position > current.position() || current.size() == 0) {
            return Optional.empty();
        }
        long bundles = (current.size() + TILE_WIDTH - 1) / TILE_WIDTH;
        long low = 0;
        long high = bundles - 1; // the bundle holding the position is the last whose first position is at most it
        while (low < high) {
            long middle = low + (high - low + 1) / 2;
            if (bundle(current, middle).get(0).position() <= position) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        List<Seal> bundle = bundle(current, low);
        int from = 0;
        int to = bundle.size() - 1;
        while (from <= to) {
            int middle = (from + to) >>> 1;
            long at = bundle.get(middle).position();
            if (at == position) {
                return Optional.of(bundle.get(middle));
            } else if (at < position) {
                from = middle + 1;
            } else {
                to = middle - 1;
            }
        }
        return Optional.empty();
    }

    /** The sealed event at this leaf (below the sealed size). */
    public Seal sealOf(long leaf) {
        State current = state();
        if (leaf < 0 || leaf >= current.size()) {
            throw new IllegalArgumentException("the log has sealed " + current.size() + " events, not leaf " + leaf);
        }
        return bundle(current, leaf / TILE_WIDTH).get((int) (leaf % TILE_WIDTH));
    }

    /** A bundle of entries: a full one read by key (and cached: it never changes), or the partial one of the state. */
    List<Seal> bundle(State current, long index) {
        long full = current.size() / TILE_WIDTH;
        if (index == full) {
            if (current.entries().isEmpty()) {
                throw new DamagedLogException("the sealer's state holds no entries for bundle " + index);
            }
            return current.entries();
        }
        synchronized (bundleCache) {
            List<Seal> cached = bundleCache.get(index);
            if (cached != null) {
                return cached;
            }
        }
        Document document = entries.find(new Document("_id", index)).first();
        if (document == null) {
            throw new DamagedLogException("the entry bundle " + index + " is missing");
        }
        List<Seal> bundle = entries(document, index * TILE_WIDTH);
        if (bundle.size() != TILE_WIDTH) {
            throw new DamagedLogException("the entry bundle " + index + " holds " + bundle.size() + " entries");
        }
        synchronized (bundleCache) {
            bundleCache.put(index, bundle);
        }
        return bundle;
    }

    /**
     * Writes a full bundle once: one already there must be the same, or the log is damaged, unless it lies beyond the
     * committed state ({@code committedSize} leaves): then it is the leftover of a batch whose state was never stored
     * (a sealer that died or lost its lease), and the batch that now commits that range replaces it.
     */
    void writeBundle(long index, List<Seal> bundle, long committedSize) {
        Document document = bundle(bundle).append("_id", index);
        try {
            entries.insertOne(document);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            if (index >= committedSize / TILE_WIDTH) {
                entries.replaceOne(new Document("_id", index), document);
                return;
            }
            Document there = entries.find(new Document("_id", index)).first();
            List<Seal> stored = there == null ? List.of() : entries(there, index * TILE_WIDTH);
            boolean same = stored.size() == bundle.size();
            for (int i = 0; same && i < bundle.size(); i++) {
                same = stored.get(i).position() == bundle.get(i).position()
                        && Arrays.equals(stored.get(i).hash(), bundle.get(i).hash());
            }
            if (!same) {
                throw new DamagedLogException("entry bundle " + index + " is stored with other entries than the"
                        + " sealer computes");
            }
        }
    }

    /** The record of the sealing of the history stored before the log, if the log started on a store that had one. */
    public Optional<ExistingHistory> existingHistory() {
        Document d = state.find(new Document("_id", LogSealer.EXISTING_HISTORY_ID)).first();
        if (d == null) {
            return Optional.empty();
        }
        return Optional.of(new ExistingHistory(number(d, "throughPosition"), Instant.parse(d.getString("startedAt")),
                d.getString("sealedAt") == null ? null : Instant.parse(d.getString("sealedAt")),
                d.get("events") == null ? null : number(d, "events"),
                d.get("computedHashes") == null ? null : number(d, "computedHashes")));
    }

    /** The latest checkpoint, if the log has signed one. */
    public Optional<StoredCheckpoint> latestCheckpoint() {
        long size = state().checkpointSize();
        return size < 0 ? Optional.empty() : checkpoint(size);
    }

    /** The checkpoint signed at this tree size, if one was. */
    public Optional<StoredCheckpoint> checkpoint(long size) {
        Document document = checkpoints.find(new Document("_id", size)).first();
        if (document == null) {
            return Optional.empty();
        }
        return Optional.of(new StoredCheckpoint(size, document.getString("note"), HEX.parseHex(document.getString("root")),
                document.getString("keyId"), Instant.parse(document.getString("at")),
                document.getList("cosignatures", String.class, List.of())));
    }

    /** Adds a witness's cosignature line to a checkpoint (once; the caller has verified it). */
    public void addCosignature(long size, String line) {
        checkpoints.updateOne(new Document("_id", size), new Document("$addToSet", new Document("cosignatures", line)));
    }

    /** Every public key the log has signed with (a handful: the collection grows by one per key rotation). */
    public List<PublishedKey> publishedKeys() {
        List<PublishedKey> found = new ArrayList<>();
        for (Document document : keys.find()) {
            found.add(new PublishedKey(document.getString("_id"), document.getString("verifierKey"),
                    Instant.parse(document.getString("since"))));
        }
        return found;
    }

    /** The latest anomalies (newest first, at most {@code limit}). */
    public List<Anomaly> anomalies(int limit) {
        List<Anomaly> found = new ArrayList<>();
        for (Document document : anomalies.find().sort(new Document("_id", -1)).limit(limit)) {
            found.add(new Anomaly(number(document, "_id"), document.getString("dossier"), number(document, "sequence"),
                    document.getString("check"), document.getString("detail"), Instant.parse(document.getString("at"))));
        }
        return found;
    }

    public long anomalyCount() {
        return anomalies.countDocuments();
    }

    // ---- the tree, from tiles ------------------------------------------------------------------------------------

    /** The tree's perfect subtrees as the tiles hold them, for trees up to the sealed size. */
    public Merkle.Subtrees subtrees() {
        State current = state();
        return (level, index) -> perfect(current, level, index);
    }

    /** The leaf hash at this index (up to the sealed size). */
    public byte[] leafHashAt(long index) {
        return subtrees().perfect(0, index);
    }

    /** The head of the tree of the first {@code size} leaves (at most the sealed size). */
    public byte[] root(long size) {
        State current = state();
        requireSealed(current, size);
        return Merkle.root((Merkle.Subtrees) (level, index) -> perfect(current, level, index), size);
    }

    public List<byte[]> inclusionProof(long leaf, long size) {
        State current = state();
        requireSealed(current, size);
        return Merkle.inclusionProof((Merkle.Subtrees) (level, index) -> perfect(current, level, index), leaf, size);
    }

    public List<byte[]> consistencyProof(long size1, long size2) {
        State current = state();
        requireSealed(current, size2);
        return Merkle.consistencyProof((Merkle.Subtrees) (level, index) -> perfect(current, level, index), size1, size2);
    }

    private static void requireSealed(State current, long size) {
        if (size > current.size()) {
            throw new IllegalArgumentException("the log has sealed " + current.size() + " events, not " + size);
        }
    }

    /**
     * The head of the {@code 2^level} leaves from {@code index * 2^level}: read from the tile of level {@code level / 8}
     * that holds its entries, and hashed up the {@code level % 8} levels inside the tile.
     */
    byte[] perfect(State current, int level, long index) {
        int tileLevel = level / TILE_HEIGHT;
        int inside = level % TILE_HEIGHT;
        long first = index << inside;
        int count = 1 << inside;
        long tileIndex = first >>> TILE_HEIGHT;
        int offset = (int) (first & (TILE_WIDTH - 1));
        List<byte[]> entries = tileEntries(current, tileLevel, tileIndex);
        if (entries.size() < offset + count) {
            throw new DamagedLogException("tile " + tileLevel + "/" + tileIndex + " holds " + entries.size()
                    + " hashes, fewer than the tree of " + current.size() + " needs");
        }
        return head(entries.subList(offset, offset + count));
    }

    private List<byte[]> tileEntries(State current, int tileLevel, long tileIndex) {
        long entries = current.size() >>> (TILE_HEIGHT * tileLevel);
        long fullTiles = entries >>> TILE_HEIGHT;
        if (tileIndex < fullTiles) {
            return split(fullTile(tileLevel, tileIndex));
        }
        if (tileIndex == fullTiles && tileLevel < current.partial().size()) {
            return current.partial().get(tileLevel);
        }
        return List.of();
    }

    /** A full tile's 256 hashes, read by key (and cached: a full tile never changes). */
    byte[] fullTile(int tileLevel, long tileIndex) {
        String id = tileLevel + "/" + tileIndex;
        synchronized (tileCache) {
            byte[] cached = tileCache.get(id);
            if (cached != null) {
                return cached;
            }
        }
        Document document = tiles.find(new Document("_id", id)).first();
        if (document == null || !(document.get("hashes") instanceof Binary binary)
                || binary.getData().length != TILE_WIDTH * Merkle.HASH_SIZE) {
            throw new DamagedLogException("tile " + id + " is missing or malformed");
        }
        synchronized (tileCache) {
            tileCache.put(id, binary.getData());
        }
        return binary.getData();
    }

    /** Forgets the cached tiles and bundles (after the log was found damaged, or in tests that damage it). */
    public void forgetCachedTiles() {
        synchronized (tileCache) {
            tileCache.clear();
        }
        synchronized (bundleCache) {
            bundleCache.clear();
        }
    }

    /**
     * Writes a full tile once: a tile already there must be the same, or the log is damaged, unless it lies beyond the
     * committed state ({@code committedSize} leaves; see {@link #writeBundle}).
     */
    void writeTile(int tileLevel, long tileIndex, byte[] hashes, long committedSize) {
        String id = tileLevel + "/" + tileIndex;
        try {
            tiles.insertOne(new Document("_id", id).append("hashes", new Binary(hashes)));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            if (tileIndex >= (committedSize >>> (TILE_HEIGHT * tileLevel)) >>> TILE_HEIGHT) {
                tiles.replaceOne(new Document("_id", id), new Document("_id", id).append("hashes", new Binary(hashes)));
                synchronized (tileCache) {
                    tileCache.remove(id);
                }
                return;
            }
            Document there = tiles.find(new Document("_id", id)).first();
            if (there == null || !Arrays.equals(((Binary) there.get("hashes")).getData(), hashes)) {
                throw new DamagedLogException("tile " + id + " is stored with other hashes than the sealer computes");
            }
        }
    }

    /** The head of a perfect run of hashes (a power of two of them). */
    static byte[] head(List<byte[]> hashes) {
        List<byte[]> level = hashes;
        while (level.size() > 1) {
            List<byte[]> up = new ArrayList<>(level.size() / 2);
            for (int i = 0; i < level.size(); i += 2) {
                up.add(Merkle.nodeHash(level.get(i), level.get(i + 1)));
            }
            level = up;
        }
        return level.get(0);
    }

    static List<byte[]> split(byte[] joined) {
        List<byte[]> hashes = new ArrayList<>(joined.length / Merkle.HASH_SIZE);
        for (int i = 0; i + Merkle.HASH_SIZE <= joined.length; i += Merkle.HASH_SIZE) {
            hashes.add(Arrays.copyOfRange(joined, i, i + Merkle.HASH_SIZE));
        }
        return hashes;
    }

    static byte[] join(List<byte[]> hashes) {
        ByteBuffer buffer = ByteBuffer.allocate(hashes.size() * Merkle.HASH_SIZE);
        hashes.forEach(buffer::put);
        return buffer.array();
    }

    static long number(Document document, String field) {
        Object value = document.get(field);
        return value instanceof Number number ? number.longValue() : -1;
    }

    static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
