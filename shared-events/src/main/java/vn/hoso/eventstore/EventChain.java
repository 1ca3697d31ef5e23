package vn.hoso.eventstore;

import org.bson.Document;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Each event's hash, chained per dossier: {@code hash = SHA-256("hoso-event-v1" || fields)} over exactly what the
 * store holds for it (its dossier, sequence number, type, identifier, recorded time, payload type and revision,
 * payload and metadata as serialized, each length-prefixed) and the hash of the dossier's previous event
 * ({@code previousHash}; 32 zero bytes before the first). The personal values an event keeps apart are covered through
 * the commitment its payload holds, never themselves, so that their erasure leaves every hash valid. Stored with each
 * event ({@code hash}, {@code previousHash}, hex) when it is appended.
 * <p>
 * The previous hash is taken from the dossier as the engine last saw it (its load, or its last append here), held in a
 * bounded map: an append reads nothing more for it in the usual case, and one key lookup when the dossier was not seen
 * here. An event stored before hashes has none: its hash is computed from its stored fields along the dossier's chain.
 */
final class EventChain {

    static final String HASH = "hash";
    static final String PREVIOUS = "previousHash";
    static final byte[] NONE = new byte[32];
    private static final byte[] DOMAIN = "hoso-event-v1".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    /** The last hash seen of each dossier: sequence number and hash. */
    private record Head(long sequence, byte[] hash) {
    }

    private final Map<String, Head> heads;

    EventChain(int capacity) {
        this.heads = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Head> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Notes the hash of a dossier's event the engine read or stored (only the latest of each dossier is kept). */
    synchronized void saw(String dossier, long sequence, byte[] hash) {
        Head head = heads.get(dossier);
        if (head == null || head.sequence() <= sequence) {
            heads.put(dossier, new Head(sequence, hash));
        }
    }

    /**
     * The hash of the dossier's event {@code sequence}: from what the engine saw, else from {@code stored} (the
     * stored document by sequence number, one key lookup; walking back only through events stored before hashes).
     */
    byte[] hashOf(String dossier, long sequence, LongFunction<Document> stored) {
        if (sequence < 0) {
            return NONE;
        }
        synchronized (this) {
            Head head = heads.get(dossier);
            if (head != null && head.sequence() == sequence) {
                return head.hash();
            }
        }
        Document document = stored.apply(sequence);
        if (document == null) {
            return NONE; // (the append that follows collides on its sequence number, or the dossier is new)
        }
        byte[] hash = storedHash(document) != null ? storedHash(document)
                : hash(document, hashOf(dossier, sequence - 1, stored));
        saw(dossier, sequence, hash);
        return hash;
    }

    /** The hash a stored document holds, or null for one stored before hashes. */
    static byte[] storedHash(Document document) {
        String hash = document.getString(HASH);
        return hash == null ? null : HEX.parseHex(hash);
    }

    /** Stamps a document about to be stored with its previous hash and its own; returns its hash. */
    static byte[] stamp(Document document, byte[] previous) {
        document.put(PREVIOUS, HEX.formatHex(previous));
        byte[] hash = hash(document, previous);
        document.put(HASH, HEX.formatHex(hash));
        return hash;
    }

    /** The hash of a stored document, given its previous event's hash: what a verifier recomputes. */
    static byte[] hash(Document document, byte[] previous) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        digest.update(DOMAIN);
        field(digest, document.getString(EventDocuments.AGGREGATE));
        digest.update(ByteBuffer.allocate(8).putLong(document.get(EventDocuments.SEQUENCE, Number.class).longValue())
                .array());
        field(digest, document.getString(EventDocuments.TYPE));
        field(digest, document.getString(EventDocuments.EVENT_ID));
        field(digest, document.getString(EventDocuments.TIMESTAMP));
        field(digest, document.getString(EventDocuments.PAYLOAD_TYPE));
        field(digest, document.getString(EventDocuments.PAYLOAD_REVISION));
        field(digest, document.getString(EventDocuments.PAYLOAD));
        field(digest, document.getString(EventDocuments.META_DATA));
        digest.update(previous);
        return digest.digest();
    }

    /** A length-prefixed field (-1 for an absent one), so that no two different documents hash the same bytes. */
    private static void field(MessageDigest digest, String value) {
        if (value == null) {
            digest.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    static String hex(byte[] hash) {
        return HEX.formatHex(hash);
    }
}
