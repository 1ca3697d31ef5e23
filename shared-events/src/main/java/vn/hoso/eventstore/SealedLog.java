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
 * <li>{@code log_seals}: one document per sealed event, {@code _id} {@code <dossier>#<sequence>}: its leaf index, its
 * position and its hash (computed at sealing for an event stored before hashes: {@code computed}).</li>
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

    static final String SEALS = "log_seals";
    static final String TILES = "log_tiles";
    static final String STATE = "log_state";
    static final String CHECKPOINTS = "log_checkpoints";
    static final String KEYS = "log_keys";
    static final String ANOMALIES = "log_anomalies";
    static final int TILE_HEIGHT = 8;
    static final int TILE_WIDTH = 1 << TILE_HEIGHT;
    private static final int CACHED_TILES = 2048;
    private static final HexFormat HEX = HexFormat.of();

    /** A sealed event: where it is in the log and in the store, and the hash it was sealed with. */
    public record Seal(String dossier, long sequence, long leaf, long position, byte[] hash, boolean computed) {
    }

    /** A checkpoint as stored: its size, its signed note, its root, the id of the key that signed it. */
    public record StoredCheckpoint(long size, String note, byte[] root, String keyId, Instant at) {
    }

    /** A public key that signed checkpoints: its id (SHA-256 of the raw public key, hex) and its verifier key text. */
    public record PublishedKey(String keyId, String verifierKey, Instant since) {
    }

    /** An event the sealer did not seal, and why. */
    public record Anomaly(long position, String dossier, long sequence, String check, String detail, Instant at) {
    }

    /** The log's sealed size and the right edge of its tiles, as the sealer last stored them. */
    record State(long version, long size, long position, List<List<byte[]>> partial, long checkpointSize,
                 Instant checkpointAt) {
        static State empty() {
            return new State(0, 0, 0, new ArrayList<>(), -1, null);
        }
    }

    /** A read of the log that found it damaged (a tile missing or malformed): the verification reports it. */
    public static final class DamagedLogException extends RuntimeException {
        DamagedLogException(String message) {
            super(message);
        }
    }

    final MongoCollection<Document> seals;
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

    public SealedLog(MongoDatabase database) {
        this.seals = database.getCollection(SEALS);
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
        List<List<byte[]>> partial = new ArrayList<>();
        for (Object level : document.getList("partial", Object.class, List.of())) {
            partial.add(split(((Binary) level).getData()));
        }
        String at = document.getString("checkpointAt");
        return new State(number(document, "version"), number(document, "size"), number(document, "position"), partial,
                number(document, "checkpoint"), at == null ? null : Instant.parse(at));
    }

    /** How many events are sealed (the tree's size), and the store position sealed through. */
    public long size() {
        return state().size();
    }

    public long sealedPosition() {
        return state().position();
    }

    /** The seals of a dossier's events by sequence number (one {@code _id $in}); unsealed ones are absent. */
    public Map<Long, Seal> seals(String dossier, Collection<Long> sequences) {
        List<String> ids = sequences.stream().map(s -> sealId(dossier, s)).toList();
        Map<Long, Seal> found = new HashMap<>();
        for (Document document : seals.find(new Document("_id", new Document("$in", ids)))) {
            Seal seal = seal(document);
            found.put(seal.sequence(), seal);
        }
        return found;
    }

    public Optional<Seal> seal(String dossier, long sequence) {
        return Optional.ofNullable(seals.find(new Document("_id", sealId(dossier, sequence))).first()).map(SealedLog::seal);
    }

    /** Several dossiers' seals at once, by {@code <dossier>#<sequence>} id. */
    Map<String, Seal> sealsById(Collection<String> ids) {
        Map<String, Seal> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        for (Document document : seals.find(new Document("_id", new Document("$in", List.copyOf(ids))))) {
            found.put(document.getString("_id"), seal(document));
        }
        return found;
    }

    static Seal seal(Document document) {
        String id = document.getString("_id");
        int hash = id.lastIndexOf('#');
        return new Seal(id.substring(0, hash), Long.parseLong(id.substring(hash + 1)), number(document, "leaf"),
                number(document, "position"), HEX.parseHex(document.getString("hash")),
                Boolean.TRUE.equals(document.getBoolean("computed")));
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
                document.getString("keyId"), Instant.parse(document.getString("at"))));
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

    /** Forgets the cached tiles (after the log was found damaged, or in tests that damage it). */
    public void forgetCachedTiles() {
        synchronized (tileCache) {
            tileCache.clear();
        }
    }

    /** Writes a full tile once: a tile already there must be the same, or the log is damaged. */
    void writeTile(int tileLevel, long tileIndex, byte[] hashes) {
        String id = tileLevel + "/" + tileIndex;
        try {
            tiles.insertOne(new Document("_id", id).append("hashes", new Binary(hashes)));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
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
