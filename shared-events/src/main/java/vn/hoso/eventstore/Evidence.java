package vn.hoso.eventstore;

import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import vn.hoso.tlog.Checkpoint;
import vn.hoso.tlog.Merkle;
import vn.hoso.tlog.SignedNote;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Evidence bundles: a dossier's events as stored, with what proves them, in one JSON document that an inspector
 * checks offline, with no server and no secret ({@link #verify}), against a checkpoint and a key pinned earlier.
 * <p>
 * Format {@code hoso-evidence/1} (MongoDB extended JSON, so that every stored value comes back with its type):
 * {@code dossierId}; {@code checkpoint}, the signed note the events are proven against; {@code keys}, the log's verifier
 * keys (informational: a verifier uses the key it pinned, never one the bundle brings); {@code consistency}, when the
 * export was asked for one, a proof that the checkpoint extends the tree of {@code fromSize} leaves (the inspector's
 * pinned checkpoint); {@code events}, each with its stored {@code document} (without its personal values: the
 * commitment in the payload stands in for them, and the hash never covered them), its {@code leafIndex} and its
 * inclusion {@code proof} (base64), or {@code pending} when it was sealed after the checkpoint or not yet.
 */
public final class Evidence {

    public static final String FORMAT = "hoso-evidence/1";
    /** The largest bundle read: a dossier's bundle is tens of kilobytes; anything near this is not one. */
    public static final int MAX_BYTES = 64 * 1024 * 1024;
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).indent(true)
            .build();

    private Evidence() {
    }

    /**
     * The bundle of a dossier as the store and the log hold it now, proven against the latest checkpoint; with a
     * consistency proof from {@code pinnedSize} leaves when it is given. Empty when the dossier has no event.
     */
    public static Optional<String> dossierBundle(PositionedMongoEventStorageEngine engine, SealedLog log,
                                                 String dossierId, Long pinnedSize, List<SignedNote.VerifierKey> keys) {
        Proving proving = Proving.now(log);
        Optional<List<Document>> events = events(engine, log, proving, dossierId);
        if (events.isEmpty()) {
            return Optional.empty();
        }
        Document bundle = head(proving, pinnedSize, keys).append("dossierId", dossierId);
        bundle.append("events", events.get());
        return Optional.of(bundle.toJson(JSON));
    }

    /** The log's state and latest checkpoint, read once: every event of a bundle is proven against the same one. */
    private record Proving(SealedLog.State state, Optional<SealedLog.StoredCheckpoint> checkpoint, long size,
                           Merkle.Subtrees tiles) {
        static Proving now(SealedLog log) {
            SealedLog.State state = log.state();
            Optional<SealedLog.StoredCheckpoint> checkpoint = state.checkpointSize() < 0 ? Optional.empty()
                    : log.checkpoint(state.checkpointSize());
            return new Proving(state, checkpoint, checkpoint.map(SealedLog.StoredCheckpoint::size).orElse(0L),
                    (level, index) -> log.perfect(state, level, index));
        }
    }

    private static Document head(Proving proving, Long pinnedSize, List<SignedNote.VerifierKey> keys) {
        Document head = new Document("format", FORMAT)
                .append("checkpoint", proving.checkpoint().map(SealedLog.StoredCheckpoint::cosignedNote).orElse(null))
                .append("keys", keys.stream().map(SignedNote.VerifierKey::toString).toList());
        if (pinnedSize != null && pinnedSize >= 0 && pinnedSize <= proving.size()) {
            head.append("consistency", new Document("fromSize", pinnedSize)
                    .append("proof", base64(Merkle.consistencyProof(proving.tiles(), pinnedSize, proving.size()))));
        }
        return head;
    }

    /** A dossier's events as stored (without personal values), each with its leaf and proof; empty if it has none. */
    private static Optional<List<Document>> events(PositionedMongoEventStorageEngine engine, SealedLog log,
                                                   Proving proving, String dossierId) {
        List<Document> events = new ArrayList<>();
        for (long sequence = 0; ; sequence++) {
            Document stored = engine.stored(dossierId, sequence);
            if (stored == null) {
                // a gap: are later events stored? (the next 8, then powers of two ahead, by key) They go in the
                // bundle after the gap, where the verifier names the missing one, instead of the bundle ending here
                long later = LogVerifier.laterStored(engine, dossierId, sequence);
                if (later < 0) {
                    break;
                }
                sequence = later;
                stored = engine.stored(dossierId, sequence);
            }
            Document document = new Document(stored);
            document.remove(PersonalData.FIELD);
            Document entry = new Document("document", document);
            Optional<SealedLog.Seal> seal = log.sealAt(proving.state(), EventDocuments.position(stored))
                    .filter(s -> s.dossier().equals(dossierId));
            if (seal.isPresent()) {
                entry.append("leafIndex", seal.get().leaf());
            }
            if (seal.isPresent() && seal.get().leaf() < proving.size()) {
                entry.append("proof", base64(Merkle.inclusionProof(proving.tiles(), seal.get().leaf(), proving.size())));
            } else {
                entry.append("pending", true);
            }
            events.add(entry);
        }
        return events.isEmpty() ? Optional.empty() : Optional.of(events);
    }

    /** At most this many dossiers in an agency's bundle: a larger period is asked for in parts. */
    public static final int MAX_DOSSIERS = 2_000;

    /** An agency's bundle asked for a period with more dossiers than a bundle holds. */
    public static final class TooManyDossiersException extends RuntimeException {
        TooManyDossiersException(int limit) {
            super("more than " + limit + " dossiers");
        }
    }

    /**
     * The bundle of an agency for a period: every dossier of the agency (by its first event) with an event recorded
     * in {@code [from, to)}, each with all its events, proven as in a dossier's bundle. The positions of the period
     * are found by the recorded times (5 minutes' margin), and read by key.
     */
    public static String agencyBundle(PositionedMongoEventStorageEngine engine, SealedLog log, String agencyCode,
                                      java.time.Instant from, java.time.Instant to, Long pinnedSize,
                                      List<SignedNote.VerifierKey> keys) {
        long first = engine.firstPositionAtOrAfter(from.minus(java.time.Duration.ofMinutes(5)));
        long last = Math.min(engine.lastAllocatedPosition(),
                engine.firstPositionAtOrAfter(to.plus(java.time.Duration.ofMinutes(5))));
        java.util.LinkedHashSet<String> dossiers = new java.util.LinkedHashSet<>();
        java.util.Map<String, Boolean> ofAgency = new java.util.HashMap<>();
        for (long window = first; window <= last; window += 500) {
            List<Long> positions = new ArrayList<>();
            for (long p = window; p <= Math.min(last, window + 499); p++) {
                positions.add(p);
            }
            for (PositionedMongoEventStorageEngine.PositionedEvent event : engine.eventsAt(positions)) {
                if (event.timestamp().isBefore(from) || !event.timestamp().isBefore(to)) {
                    continue;
                }
                boolean agencys = ofAgency.computeIfAbsent(event.aggregateIdentifier(), d -> {
                    Document zero = engine.stored(d, 0);
                    return zero != null && agencyCode.equals(agencyOf(zero));
                });
                if (agencys && dossiers.add(event.aggregateIdentifier()) && dossiers.size() > MAX_DOSSIERS) {
                    throw new TooManyDossiersException(MAX_DOSSIERS);
                }
            }
        }
        Proving proving = Proving.now(log);
        List<Document> proven = new ArrayList<>();
        for (String dossier : dossiers) {
            events(engine, log, proving, dossier).ifPresent(events -> proven.add(new Document("dossierId", dossier)
                    .append("events", events)));
        }
        Document bundle = head(proving, pinnedSize, keys).append("agencyCode", agencyCode)
                .append("from", from.toString()).append("to", to.toString()).append("dossiers", proven);
        return bundle.toJson(JSON);
    }

    /**
     * What an offline verification found: OK (every event proven), or the first broken link, and what it checked. An
     * event the bundle marks as newer than its checkpoint is not proven: the bundle is then not OK (export it again
     * after the next checkpoint), so that a bundle can never pass by leaving its proofs out.
     */
    public record Verdict(boolean ok, long checkedEvents, long pendingEvents, long checkpointSize,
                          LogVerifier.BrokenLink firstBroken) {
        /** One line: what a command-line verifier prints. */
        public String line() {
            if (ok) {
                return "OK: " + checkedEvents + " events proven against the checkpoint of " + checkpointSize
                        + " events" + (pendingEvents > 0 ? ", " + pendingEvents + " newer than it (not proven)" : "");
            }
            LogVerifier.BrokenLink link = firstBroken;
            return "BROKEN: " + (link.dossier() == null ? "" : "dossier " + link.dossier() + ", ")
                    + (link.sequence() == null ? "" : "event " + link.sequence() + ", ")
                    + (link.position() == null ? "" : "position " + link.position() + ", ")
                    + (link.leaf() == null ? "" : "leaf " + link.leaf() + ", ")
                    + link.check() + ": " + link.detail();
        }
    }

    /** A bundle that is not one (malformed, truncated, too large, of another format): never a verdict. */
    public static final class NotABundleException extends RuntimeException {
        NotABundleException(String message) {
            super(message);
        }
    }

    /**
     * Verifies a bundle offline against the key the inspector pinned (its origin must be the checkpoint's) and,
     * optionally, a checkpoint pinned earlier, which the bundle's checkpoint must extend. Trusts nothing else the
     * bundle says: every hash, chain link and proof is computed again.
     *
     * @throws NotABundleException when the input is not a bundle at all
     */
    public static Verdict verify(String json, SignedNote.VerifierKey key, String pinnedCheckpoint) {
        return verify(json, key, pinnedCheckpoint, List.of(), 0);
    }

    /**
     * ... and with a witness policy: the checkpoint must also carry valid cosignatures (C2SP tlog-cosignature) by at
     * least {@code quorum} of {@code witnesses}.
     */
    public static Verdict verify(String json, SignedNote.VerifierKey key, String pinnedCheckpoint,
                                 List<vn.hoso.tlog.Cosignature.WitnessKey> witnesses, int quorum) {
        Document bundle = parse(json);
        long[] counts = new long[2];
        String checkpointNote = text(bundle, "checkpoint");
        Checkpoint checkpoint = Checkpoint.openByLog(checkpointNote, List.of(key)).orElse(null);
        if (checkpoint == null) {
            return broken(counts, -1, LogVerifier.Check.CHECKPOINT_SIGNATURE, null, null, null, null,
                    "the bundle's checkpoint is not signed by the pinned key " + key.name());
        }
        int cosigned = vn.hoso.tlog.Cosignature.count(checkpointNote, witnesses);
        if (cosigned < quorum) {
            return broken(counts, checkpoint.size(), LogVerifier.Check.WITNESS_QUORUM, null, null, null, null,
                    "the checkpoint carries valid cosignatures by " + cosigned + " of the " + witnesses.size()
                            + " witnesses given, fewer than " + quorum);
        }
        if (pinnedCheckpoint != null) {
            Checkpoint pinned = Checkpoint.openByLog(pinnedCheckpoint, List.of(key)).orElse(null);
            if (pinned == null) {
                return broken(counts, checkpoint.size(), LogVerifier.Check.PINNED_CHECKPOINT, null, null, null, null,
                        "the pinned checkpoint is not a checkpoint signed by the pinned key");
            }
            String inconsistency = extension(pinned, checkpoint, bundle.get("consistency"));
            if (inconsistency != null) {
                return broken(counts, checkpoint.size(), pinned.size() > checkpoint.size()
                        ? LogVerifier.Check.LOG_TRUNCATED : LogVerifier.Check.LOG_NOT_CONSISTENT, null, null, null,
                        null, inconsistency);
            }
        }
        LogVerifier.BrokenLink[] firstPending = new LogVerifier.BrokenLink[1];
        if (bundle.get("dossiers") instanceof List<?> dossiers) {
            // an agency's bundle: every dossier in it checked, each from its first event, of that agency
            String agencyCode = text(bundle, "agencyCode");
            if (dossiers.isEmpty()) {
                return new Verdict(true, 0, 0, checkpoint.size(), null);
            }
            for (Object item : dossiers) {
                if (!(item instanceof Document dossier)) {
                    throw new NotABundleException("a dossier of the bundle is not an object");
                }
                Verdict broken = dossier(dossier, checkpoint, counts, agencyCode, firstPending);
                if (broken != null) {
                    return broken;
                }
            }
            return proven(counts, checkpoint, firstPending);
        }
        Verdict broken = dossier(bundle, checkpoint, counts, null, firstPending);
        return broken != null ? broken : proven(counts, checkpoint, firstPending);
    }

    /** OK when every event was proven; else the first one that was not, named. */
    private static Verdict proven(long[] counts, Checkpoint checkpoint, LogVerifier.BrokenLink[] firstPending) {
        if (counts[1] > 0) {
            return new Verdict(false, counts[0], counts[1], checkpoint.size(), firstPending[0]);
        }
        return new Verdict(true, counts[0], counts[1], checkpoint.size(), null);
    }

    /** One dossier's events checked (and, for an agency's bundle, its agency); null when every link holds. */
    private static Verdict dossier(Document bundle, Checkpoint checkpoint, long[] counts, String agencyCode,
                                   LogVerifier.BrokenLink[] firstPending) {
        String dossierId = text(bundle, "dossierId");
        List<?> events = bundle.get("events") instanceof List<?> list ? list : null;
        if (events == null || events.isEmpty()) {
            throw new NotABundleException("the bundle has no events");
        }
        byte[] previous = EventChain.NONE;
        long lastPosition = 0;
        for (int i = 0; i < events.size(); i++) {
            if (!(events.get(i) instanceof Document entry) || !(entry.get("document") instanceof Document event)) {
                throw new NotABundleException("event " + i + " of the bundle is not an object with a document");
            }
            String shape = LogSealer.malformed(event);
            if (shape != null || !(event.get(EventDocuments.POSITION) instanceof Number)) {
                return broken(counts, checkpoint.size(), LogVerifier.Check.MALFORMED, dossierId, (long) i, null, null,
                        shape == null ? "it has no position" : shape);
            }
            long position = EventDocuments.position(event);
            long sequence = event.get(EventDocuments.SEQUENCE, Number.class).longValue();
            if (!dossierId.equals(event.getString(EventDocuments.AGGREGATE)) || sequence != i || position <= lastPosition) {
                return broken(counts, checkpoint.size(), LogVerifier.Check.EVENT_MISSING, dossierId, (long) i, position,
                        null, "the bundle's event " + i + " is event " + sequence + " of dossier "
                                + event.getString(EventDocuments.AGGREGATE) + " at position " + position
                                + ": the dossier's events are not all there, in order");
            }
            lastPosition = position;
            if (i == 0 && agencyCode != null && !agencyCode.equals(agencyOf(event))) {
                return broken(counts, checkpoint.size(), LogVerifier.Check.MALFORMED, dossierId, 0L, position, null,
                        "the dossier's first event names agency " + agencyOf(event) + ", not the bundle's "
                                + agencyCode);
            }
            String storedPrevious = event.getString(EventChain.PREVIOUS);
            if (storedPrevious != null && !MessageDigest.isEqual(SealedLog.unhex(storedPrevious), previous)) {
                return broken(counts, checkpoint.size(), LogVerifier.Check.CHAIN_BROKEN, dossierId, sequence, position,
                        null, "its previous hash is not the hash of the dossier's event " + (sequence - 1));
            }
            byte[] hash = EventChain.hash(event, previous);
            byte[] stored = EventChain.storedHash(event);
            if (stored != null && !MessageDigest.isEqual(stored, hash)) {
                return broken(counts, checkpoint.size(), LogVerifier.Check.HASH_MISMATCH, dossierId, sequence, position,
                        null, "its stored hash is not the hash of its stored fields: its payload, metadata or another"
                                + " field was changed");
            }
            previous = hash;
            Object leafValue = entry.get("leafIndex");
            if (Boolean.TRUE.equals(entry.getBoolean("pending")) || !(leafValue instanceof Number)) {
                counts[1]++;
                if (firstPending[0] == null) {
                    firstPending[0] = new LogVerifier.BrokenLink(LogVerifier.Check.NOT_YET_COVERED, dossierId, sequence,
                            position, null, "the bundle's checkpoint does not cover it (no proof): export the bundle"
                            + " again after the next checkpoint");
                }
                continue;
            }
            long leaf = ((Number) leafValue).longValue();
            List<byte[]> proof = hashes(entry.get("proof"));
            if (proof == null || !Merkle.verifyInclusion(leaf, checkpoint.size(), SealedLog.leafHash(position, hash),
                    proof, checkpoint.root())) {
                return broken(counts, checkpoint.size(), LogVerifier.Check.NOT_IN_LOG, dossierId, sequence, position,
                        leaf, "its inclusion proof does not lead from this event to the checkpoint's root: the event,"
                                + " its position or its proof differ from what the log sealed");
            }
            counts[0]++;
        }
        return null;
    }

    /** The agency a dossier's first event names (its payload's agencyCode), or "" when it names none. */
    static String agencyOf(Document event) {
        try {
            return vn.hoso.events.EventJson.mapper().readTree(event.getString(EventDocuments.PAYLOAD))
                    .path("agencyCode").asText("");
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Why {@code newer} does not extend {@code older}, or null: equal sizes must have equal roots; a larger one needs a
     * consistency proof ({@code {"fromSize": n, "proof": [base64...]}}, as the log's API answers it).
     */
    public static String extension(Checkpoint older, Checkpoint newer, Object consistency) {
        if (older.size() > newer.size()) {
            return "the checkpoint (" + newer.size() + " events) is older than the pinned one (" + older.size()
                    + "): the log was truncated or rolled back";
        }
        if (older.size() == newer.size()) {
            return MessageDigest.isEqual(older.root(), newer.root()) ? null
                    : "the checkpoint and the pinned one cover " + older.size() + " events with different roots";
        }
        if (!(consistency instanceof Document proof) || !(proof.get("fromSize") instanceof Number from)
                || from.longValue() != older.size()) {
            return "no consistency proof from the pinned checkpoint's " + older.size() + " events (export the bundle"
                    + " with pinnedSize=" + older.size() + ")";
        }
        List<byte[]> hashes = hashes(proof.get("proof"));
        if (hashes == null || !Merkle.verifyConsistency(older.size(), newer.size(), older.root(), newer.root(), hashes)) {
            return "the checkpoint of " + newer.size() + " events does not extend the pinned one of " + older.size()
                    + ": the history it covered was changed";
        }
        return null;
    }

    private static Document parse(String json) {
        if (json == null || json.isBlank()) {
            throw new NotABundleException("the bundle is empty");
        }
        if (json.length() > MAX_BYTES) {
            throw new NotABundleException("the bundle has " + json.length() + " characters: more than " + MAX_BYTES);
        }
        Document bundle;
        try {
            bundle = Document.parse(json);
        } catch (RuntimeException | StackOverflowError e) {
            throw new NotABundleException("the bundle is not JSON (truncated or edited?): " + first(e.getMessage()));
        }
        if (!FORMAT.equals(bundle.get("format"))) {
            throw new NotABundleException("not a " + FORMAT + " bundle");
        }
        return bundle;
    }

    private static String text(Document bundle, String field) {
        if (!(bundle.get(field) instanceof String value) || value.isEmpty()) {
            throw new NotABundleException("the bundle has no " + field);
        }
        return value;
    }

    /** Base64 hashes of 32 bytes, or null when the value is not such a list. */
    static List<byte[]> hashes(Object value) {
        if (!(value instanceof List<?> list) || list.size() > 64) {
            return null;
        }
        List<byte[]> hashes = new ArrayList<>();
        for (Object item : list) {
            try {
                byte[] hash = item instanceof String text ? Base64.getDecoder().decode(text) : null;
                if (hash == null || hash.length != Merkle.HASH_SIZE) {
                    return null;
                }
                hashes.add(hash);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return hashes;
    }

    private static List<String> base64(List<byte[]> hashes) {
        return hashes.stream().map(h -> Base64.getEncoder().encodeToString(h)).toList();
    }

    private static Verdict broken(long[] counts, long checkpointSize, LogVerifier.Check check, String dossier,
                                  Long sequence, Long position, Long leaf, String detail) {
        return new Verdict(false, counts[0], counts[1], checkpointSize,
                new LogVerifier.BrokenLink(check, dossier, sequence, position, leaf, detail));
    }

    private static String first(String message) {
        if (message == null) {
            return "";
        }
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
