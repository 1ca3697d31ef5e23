package vn.hoso.eventstore;

import org.bson.Document;
import vn.hoso.tlog.Checkpoint;
import vn.hoso.tlog.CompactRange;
import vn.hoso.tlog.Merkle;
import vn.hoso.tlog.SignedNote;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies the sealed history from what is stored, trusting nothing stored: the events are hashed again from their
 * stored fields, chained again, and proven against the latest checkpoint, whose signature is checked with the keys this
 * process trusts (its own signing key's public half and the earlier keys it is told of), never with the keys the
 * database publishes. Reports OK, or the first broken link: the dossier, the event, the check that failed.
 * <ul>
 * <li>the log: every key the database publishes is a trusted one; the latest checkpoint is signed by a trusted key and
 * the tiles give its root; an older checkpoint the inspector kept (pinned) is one the log extends;</li>
 * <li>each event: its hash is the hash of its stored fields, its previous hash is the hash of its dossier's previous
 * event, it is sealed at its own position, and its leaf is in the checkpoint's tree (an inclusion proof), or it is
 * newer than the checkpoint (pending);</li>
 * <li>completeness: no sealed event is missing from the store, no event below the sealed position is unsealed, and
 * over everything, the leaves recomputed from the events give the checkpoint's root.</li>
 * </ul>
 */
public final class LogVerifier {

    /** The checks, as reports name them. */
    public enum Check {
        PUBLISHED_KEY, CHECKPOINT_SIGNATURE, CHECKPOINT_ROOT, TILES_DAMAGED, PINNED_CHECKPOINT, LOG_TRUNCATED,
        LOG_NOT_CONSISTENT, MALFORMED, EVENT_MISSING, HASH_MISMATCH, CHAIN_BROKEN, NOT_SEALED, SEAL_MISMATCH,
        NOT_IN_LOG, WITNESS_QUORUM, NOT_YET_COVERED
    }

    /** The first link that does not hold. Fields that do not apply are null (a key, a checkpoint). */
    public record BrokenLink(Check check, String dossier, Long sequence, Long position, Long leaf, String detail) {
    }

    /**
     * The outcome: OK when no link is broken; events checked, events not covered by the checkpoint yet (pending), the
     * checkpoint they were proven against.
     */
    public record Report(boolean ok, long checkedEvents, long pendingEvents, long checkpointSize, String checkpointRoot,
                         BrokenLink firstBroken) {
    }

    /** Told of progress: how far a verification is (positions or events) of how many. */
    @FunctionalInterface
    public interface Progress {
        void at(long done, long total);
    }

    /** A verification stopped at its first broken link. */
    private static final class Broken extends RuntimeException {
        final BrokenLink link;

        Broken(BrokenLink link) {
            super(link.check() + ": " + link.detail(), null, false, false);
            this.link = link;
        }
    }

    private static final int AGENCIES_REMEMBERED = 100_000;
    private static final int WINDOW = 500;
    private static final int GAP_PROBES = 8;
    private static final Duration STAMP_MARGIN = Duration.ofMinutes(5);

    private final PositionedMongoEventStorageEngine engine;
    private final SealedLog sealed;
    private final List<SignedNote.VerifierKey> trusted;

    public LogVerifier(PositionedMongoEventStorageEngine engine, SealedLog sealed, List<SignedNote.VerifierKey> trusted) {
        this.engine = engine;
        this.sealed = sealed;
        this.trusted = List.copyOf(trusted);
    }

    /** The log as it is now: its state, its latest checkpoint, checked; what every scope starts with. */
    private record Reference(SealedLog.State state, long size, byte[] root) {
    }

    // ---- scopes --------------------------------------------------------------------------------------------------

    /** One dossier's history. */
    public Report verifyDossier(String dossier, String pinnedCheckpoint, Progress progress) {
        Counter counter = new Counter();
        try {
            Reference reference = reference(pinnedCheckpoint);
            counter.against = reference;
            byte[] previous = EventChain.NONE;
            for (long sequence = 0; ; sequence++) {
                Document event = engine.stored(dossier, sequence);
                if (event == null) {
                    if (sequence == 0) {
                        probeLater(dossier, 0);
                        return null; // no such dossier
                    }
                    // a gap in the dossier's sequence: are later events still stored? (probed by key: the next 8, then
                    // every power of two up to 2^20 ahead). An event deleted from the end of a dossier leaves its chain
                    // whole: the period and whole-store verifications, which walk the log's entries, find it
                    probeLater(dossier, sequence);
                    break;
                }
                previous = checkEvent(reference, event, previous, true, counter, null);
                progress.at(sequence + 1, -1);
            }
            return counter.report(reference, null);
        } catch (Broken broken) {
            return counter.report(null, broken.link);
        }
    }

    /**
     * The events recorded in {@code [from, to)} (by their recorded time), of one agency's dossiers or of all when
     * {@code agencyCode} is null: each checked and proven as in a dossier's verification, its previous event by its seal.
     */
    public Report verifyPeriod(String agencyCode, Instant from, Instant to, String pinnedCheckpoint, Progress progress) {
        Counter counter = new Counter();
        try {
            Reference reference = reference(pinnedCheckpoint);
            counter.against = reference;
            long first = engine.firstPositionAtOrAfter(from.minus(STAMP_MARGIN));
            long last = Math.min(engine.lastAllocatedPosition(), engine.firstPositionAtOrAfter(to.plus(STAMP_MARGIN)));
            Map<String, String> agencies = bounded();
            Map<String, byte[]> lastHashes = bounded();
            for (long from1 = first; from1 <= last; from1 += WINDOW) {
                long to1 = Math.min(last, from1 + WINDOW - 1);
                Map<Long, Document> found = new HashMap<>();
                window(from1, to1).forEach(d -> found.put(EventDocuments.position(d), d));
                for (long position = from1; position <= Math.min(to1, reference.state().position()); position++) {
                    Document there = found.get(position);
                    if (there == null || EventDocuments.isVoid(there)) {
                        // a sealed event gone from its position: named when it is of this agency (or of any, for a
                        // period); a position below the sealed one that holds nothing at all is broken for a period
                        Optional<SealedLog.Seal> gone = sealed.sealAt(reference.state(), position);
                        if (gone.isPresent() && (agencyCode == null || agencyCode.equals(agencies.computeIfAbsent(
                                gone.get().dossier(), d -> verifiedAgencyOf(reference, d))))) {
                            throw broken(Check.EVENT_MISSING, gone.get().dossier(), gone.get().sequence(), position,
                                    gone.get().leaf(), "sealed at leaf " + gone.get().leaf() + " and no longer in the"
                                            + " store: " + (there == null ? "deleted" : "a void marker stands in its place"));
                        }
                        if (there == null && agencyCode == null) {
                            throw broken(Check.EVENT_MISSING, null, null, position, null, "position " + position
                                    + " is below the sealed position and holds nothing: its event was deleted");
                        }
                    }
                }
                for (long position = from1; position <= to1; position++) {
                    Document event = found.get(position);
                    if (event == null || EventDocuments.isVoid(event) || LogSealer.malformed(event) != null) {
                        continue; // (a malformed one in range fails the whole-store check and is an anomaly)
                    }
                    // every event at the period's positions is checked, whatever time it says (a time changed to leave
                    // the period would otherwise hide it); the agency comes from the dossier's first event, checked first
                    String dossier = event.getString(EventDocuments.AGGREGATE);
                    if (agencyCode != null && !agencyCode.equals(agencies.computeIfAbsent(dossier,
                            d -> verifiedAgencyOf(reference, d)))) {
                        continue;
                    }
                    long sequence = sequence(event);
                    byte[] previous = lastHashes.get(dossier + "#" + (sequence - 1));
                    if (previous == null) {
                        previous = sequence == 0 ? EventChain.NONE
                                : previousBySeal(reference.state(), event, dossier, sequence);
                    }
                    lastHashes.put(dossier + "#" + sequence, checkEvent(reference, event, previous, true, counter, null));
                }
                progress.at(to1 - first + 1, last - first + 1);
            }
            return counter.report(reference, null);
        } catch (Broken broken) {
            return counter.report(null, broken.link);
        }
    }

    /**
     * Everything: every position up to the sealed one, in order. Each event is checked, its leaf is the next one, and
     * the leaves recomputed from the events give the checkpoint's root (so tiles changed with the events are caught
     * too). When only the root disagrees, each leaf is proven again to name the first that is not in the tree.
     */
    public Report verifyAll(String pinnedCheckpoint, Progress progress) {
        Counter counter = new Counter();
        try {
            Reference reference = reference(pinnedCheckpoint);
            counter.against = reference;
            Optional<BrokenLink> root = scanAll(reference, counter, progress, false);
            if (root.isPresent()) {
                Counter again = new Counter();
                scanAll(reference, again, progress, true); // throws the first leaf not in the checkpoint's tree
                throw new Broken(root.get());
            }
            return counter.report(reference, null);
        } catch (Broken broken) {
            return counter.report(null, broken.link);
        }
    }

    private Optional<BrokenLink> scanAll(Reference reference, Counter counter, Progress progress, boolean prove) {
        SealedLog.State state = reference.state();
        long through = state.position();
        CompactRange recomputed = CompactRange.empty();
        Map<String, byte[]> lastHashes = bounded();
        long leaf = 0;
        for (long from = 1; from <= through; from += WINDOW) {
            long to = Math.min(through, from + WINDOW - 1);
            Map<Long, Document> found = new HashMap<>();
            window(from, to).forEach(d -> found.put(EventDocuments.position(d), d));
            for (long position = from; position <= to; position++) {
                Document event = found.get(position);
                SealedLog.Seal next;
                try {
                    next = leaf < state.size() ? sealed.bundle(state, leaf / SealedLog.TILE_WIDTH)
                            .get((int) (leaf % SealedLog.TILE_WIDTH)) : null;
                } catch (SealedLog.DamagedLogException damaged) {
                    throw broken(Check.TILES_DAMAGED, null, null, position, leaf, damaged.getMessage());
                }
                boolean sealedHere = next != null && next.position() == position;
                if (event == null || EventDocuments.isVoid(event)) {
                    if (sealedHere) {
                        throw broken(Check.EVENT_MISSING, next.dossier(), next.sequence(), position, leaf, "sealed at"
                                + " leaf " + leaf + " and no longer in the store: "
                                + (event == null ? "deleted" : "a void marker stands in its place"));
                    }
                    if (event == null) {
                        throw broken(Check.EVENT_MISSING, null, null, position, null, "position " + position + " is"
                                + " below the sealed position " + through + " and holds nothing: its event was deleted");
                    }
                    continue;
                }
                String shape = LogSealer.malformed(event);
                if (shape != null) {
                    throw broken(Check.MALFORMED, String.valueOf(event.get(EventDocuments.AGGREGATE)), null, position,
                            null, shape);
                }
                String dossier = event.getString(EventDocuments.AGGREGATE);
                long sequence = sequence(event);
                if (!sealedHere) {
                    throw broken(Check.NOT_SEALED, dossier, sequence, position, null, "stored at position " + position
                            + ", below the sealed position " + through + ", and not in the log: added after sealing,"
                            + " or refused by the sealer (see the anomalies)");
                }
                if (!next.dossier().equals(dossier) || next.sequence() != sequence) {
                    throw broken(Check.SEAL_MISMATCH, dossier, sequence, position, leaf, "the log sealed another event"
                            + " at position " + position + " (dossier " + next.dossier() + ", event " + next.sequence()
                            + "): events were moved or replaced after sealing");
                }
                byte[] previous = lastHashes.get(dossier + "#" + (sequence - 1));
                if (previous == null) {
                    previous = sequence == 0 ? EventChain.NONE : previousBySeal(state, event, dossier, sequence);
                }
                byte[] hash = checkEvent(reference, event, previous, prove, counter, next);
                lastHashes.put(dossier + "#" + sequence, hash);
                if (leaf < reference.size()) {
                    recomputed.append(SealedLog.leafHash(position, hash));
                }
                leaf++;
            }
            progress.at(to, through);
        }
        if (leaf < state.size()) {
            throw broken(Check.EVENT_MISSING, null, null, null, leaf, "the log has sealed " + state.size()
                    + " events and the store holds " + leaf + " of them below the sealed position");
        }
        if (reference.size() > 0 && !MessageDigest.isEqual(recomputed.root(), reference.root())) {
            return Optional.of(new BrokenLink(Check.CHECKPOINT_ROOT, null, null, null, null, "the " + reference.size()
                    + " events the checkpoint covers, hashed again from the store, do not give its root: events and"
                    + " the log's tiles were changed together"));
        }
        return Optional.empty();
    }

    // ---- the log -------------------------------------------------------------------------------------------------

    private Reference reference(String pinnedCheckpoint) {
        for (SealedLog.PublishedKey published : sealed.publishedKeys()) {
            boolean isTrusted = trusted.stream().anyMatch(key -> key.toString().equals(published.verifierKey())
                    && LogSealer.keyId(key).equals(published.keyId()));
            if (!isTrusted) {
                throw broken(Check.PUBLISHED_KEY, null, null, null, null, "the database publishes the key "
                        + published.keyId() + " (" + published.verifierKey() + "), which is not one this log signs"
                        + " with or was told to trust: the published keys were replaced");
            }
        }
        SealedLog.State state;
        try {
            state = sealed.state();
        } catch (SealedLog.DamagedLogException damaged) {
            throw broken(Check.TILES_DAMAGED, null, null, null, null, damaged.getMessage());
        }
        Optional<SealedLog.StoredCheckpoint> latest = state.checkpointSize() < 0 ? Optional.empty()
                : sealed.checkpoint(state.checkpointSize());
        long size = 0;
        byte[] root = Merkle.root((Merkle.Subtrees) (l, i) -> {
            throw new IllegalStateException();
        }, 0);
        if (latest.isPresent()) {
            Checkpoint opened = Checkpoint.openByLog(latest.get().note(), trusted).orElseThrow(() -> broken(Check.CHECKPOINT_SIGNATURE, null,
                    null, null, null, "the latest checkpoint (size " + latest.get().size() + ") is not signed by a"
                            + " trusted key: it was replaced or re-signed"));
            if (opened.size() != latest.get().size() || opened.size() > state.size()) {
                throw broken(Check.CHECKPOINT_SIGNATURE, null, null, null, null, "the latest checkpoint says "
                        + opened.size() + " events where the log stores it at size " + latest.get().size()
                        + " and has sealed " + state.size());
            }
            size = opened.size();
            root = opened.root();
            try {
                byte[] fromTiles = Merkle.root((Merkle.Subtrees) (l, i) -> sealed.perfect(state, l, i), size);
                if (!MessageDigest.isEqual(fromTiles, root)) {
                    throw broken(Check.CHECKPOINT_ROOT, null, null, null, null, "the log's tiles do not give the root"
                            + " of the latest checkpoint (size " + size + "): the tiles were changed");
                }
            } catch (SealedLog.DamagedLogException damaged) {
                throw broken(Check.TILES_DAMAGED, null, null, null, null, damaged.getMessage());
            }
        } else if (state.size() > 0) {
            throw broken(Check.CHECKPOINT_SIGNATURE, null, null, null, null, "the log has sealed " + state.size()
                    + " events and holds no checkpoint: its checkpoints were deleted");
        }
        if (pinnedCheckpoint != null && !pinnedCheckpoint.isBlank()) {
            Checkpoint pinned = Checkpoint.openByLog(pinnedCheckpoint, trusted).orElseThrow(() -> broken(Check.PINNED_CHECKPOINT, null, null,
                    null, null, "the pinned checkpoint is not a checkpoint signed by a trusted key"));
            if (pinned.size() > size) {
                throw broken(Check.LOG_TRUNCATED, null, null, null, null, "the pinned checkpoint covers "
                        + pinned.size() + " events and the log's latest covers " + size + ": the log was truncated or"
                        + " rolled back");
            }
            try {
                List<byte[]> proof = Merkle.consistencyProof(
                        (Merkle.Subtrees) (l, i) -> sealed.perfect(state, l, i), pinned.size(), size);
                if (!Merkle.verifyConsistency(pinned.size(), size, pinned.root(), root, proof)) {
                    throw broken(Check.LOG_NOT_CONSISTENT, null, null, null, null, "the log's latest checkpoint (size "
                            + size + ") does not extend the pinned one (size " + pinned.size() + "): the history it"
                            + " covered was changed");
                }
            } catch (SealedLog.DamagedLogException damaged) {
                throw broken(Check.TILES_DAMAGED, null, null, null, null, damaged.getMessage());
            }
        }
        return new Reference(state, size, root);
    }

    // ---- one event -----------------------------------------------------------------------------------------------

    /**
     * Checks one stored event chained to {@code previous}; returns its hash (recomputed). {@code seal} is the log's
     * entry at its position when the caller has it, else it is looked up.
     */
    private byte[] checkEvent(Reference reference, Document event, byte[] previous, boolean prove, Counter counter,
                              SealedLog.Seal seal) {
        long position = EventDocuments.position(event);
        String shape = LogSealer.malformed(event);
        if (shape != null) {
            throw broken(Check.MALFORMED, String.valueOf(event.get(EventDocuments.AGGREGATE)), null, position, null,
                    shape);
        }
        String dossier = event.getString(EventDocuments.AGGREGATE);
        long sequence = sequence(event);
        String storedPrevious = event.getString(EventChain.PREVIOUS);
        if (storedPrevious != null && !MessageDigest.isEqual(SealedLog.unhex(storedPrevious), previous)) {
            throw broken(Check.CHAIN_BROKEN, dossier, sequence, position, null, "its previous hash is not the hash of"
                    + " its dossier's event " + (sequence - 1) + ": an event before it was deleted, inserted or moved");
        }
        byte[] hash = EventChain.hash(event, previous);
        byte[] stored = EventChain.storedHash(event);
        if (stored != null && !MessageDigest.isEqual(stored, hash)) {
            throw broken(Check.HASH_MISMATCH, dossier, sequence, position, null, "its stored hash is not the hash of"
                    + " its stored fields: its payload, metadata or another field was changed");
        }
        SealedLog.Seal entry;
        try {
            entry = seal != null ? seal : sealed.sealAt(reference.state(), position).orElse(null);
        } catch (SealedLog.DamagedLogException damaged) {
            throw broken(Check.TILES_DAMAGED, dossier, sequence, position, null, damaged.getMessage());
        }
        if (entry == null) {
            if (position <= reference.state().position()) {
                throw broken(Check.NOT_SEALED, dossier, sequence, position, null, "stored at position " + position
                        + ", below the sealed position " + reference.state().position() + ", and not in the log:"
                        + " added after sealing, or refused by the sealer (see the anomalies)");
            }
            counter.pending++;
            return hash;
        }
        if (!entry.dossier().equals(dossier) || entry.sequence() != sequence || !MessageDigest.isEqual(entry.hash(), hash)) {
            throw broken(Check.SEAL_MISMATCH, dossier, sequence, position, entry.leaf(), "the log sealed another event"
                    + " at position " + position + " (dossier " + entry.dossier() + ", event " + entry.sequence()
                    + "): this one was changed, replaced or moved after it was sealed");
        }
        byte[] leafHash = SealedLog.leafHash(position, hash);
        if (entry.leaf() >= reference.size()) {
            counter.pending++; // sealed after the checkpoint: the next one covers it
            return hash;
        }
        try {
            boolean included = prove
                    ? Merkle.verifyInclusion(entry.leaf(), reference.size(), leafHash,
                    Merkle.inclusionProof((Merkle.Subtrees) (l, i) -> sealed.perfect(reference.state(), l, i),
                            entry.leaf(), reference.size()), reference.root())
                    : MessageDigest.isEqual(leafHash, sealed.perfect(reference.state(), 0, entry.leaf()));
            if (!included) {
                throw broken(Check.NOT_IN_LOG, dossier, sequence, position, entry.leaf(), "its leaf " + entry.leaf()
                        + " is not the one the checkpoint of " + reference.size() + " events covers: the event and the"
                        + " log's entries were changed after it was sealed");
            }
        } catch (SealedLog.DamagedLogException damaged) {
            throw broken(Check.TILES_DAMAGED, dossier, sequence, position, entry.leaf(), damaged.getMessage());
        }
        counter.checked++;
        return hash;
    }

    private void probeLater(String dossier, long missing) {
        long later = laterStored(engine, dossier, missing);
        if (later >= 0) {
            throw broken(Check.EVENT_MISSING, dossier, missing, null, null, "event " + later + " of the dossier is"
                    + " stored (position " + EventDocuments.position(engine.stored(dossier, later)) + ") and event "
                    + missing + " is not: deleted");
        }
    }

    /**
     * The first of a dossier's events stored after a missing sequence number, or -1: probed by key, the next 8, then
     * every power of two up to 2^20 ahead (what a dossier's verification and its bundle's export look past a gap with).
     */
    static long laterStored(PositionedMongoEventStorageEngine engine, String dossier, long missing) {
        for (long step = 1; step <= (1L << 20); step = step < GAP_PROBES ? step + 1 : step * 2) {
            if (engine.stored(dossier, missing + step) != null) {
                return missing + step;
            }
        }
        return -1;
    }

    private byte[] previousBySeal(SealedLog.State state, Document event, String dossier, long sequence) {
        Document previous = engine.stored(dossier, sequence - 1);
        if (previous != null && EventDocuments.position(previous) > state.position()
                && EventChain.storedHash(previous) != null && LogSealer.malformed(previous) == null) {
            return EventChain.storedHash(previous); // not sealed yet (nor is the event after it): both are pending
        }
        Optional<SealedLog.Seal> seal = previous == null ? Optional.empty()
                : sealed.sealAt(state, EventDocuments.position(previous))
                .filter(s -> s.dossier().equals(dossier) && s.sequence() == sequence - 1);
        if (seal.isEmpty()) {
            throw broken(Check.NOT_SEALED, dossier, sequence - 1, null, null, "the event before event " + sequence
                    + " (position " + EventDocuments.position(event) + ") is not in the log");
        }
        return seal.get().hash();
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    private List<Document> window(long from, long to) {
        List<Long> positions = new ArrayList<>();
        for (long p = from; p <= to; p++) {
            positions.add(p);
        }
        List<Document> found = engine.read(positions);
        found.sort(java.util.Comparator.comparingLong(EventDocuments::position));
        return found;
    }

    /**
     * The agency a dossier was submitted to, from its first event, which is checked first (its hash, and its place in
     * the log when sealed): an agency changed in the store, or a first event gone, is a broken link, never a dossier
     * quietly left out of its agency's verification.
     */
    private String verifiedAgencyOf(Reference reference, String dossier) {
        Document first = engine.stored(dossier, 0);
        if (first == null) {
            throw broken(Check.EVENT_MISSING, dossier, 0L, null, null, "the dossier's first event is not in the store:"
                    + " deleted (its agency cannot be known)");
        }
        checkEvent(reference, first, EventChain.NONE, true, new Counter(), null);
        return Evidence.agencyOf(first);
    }

    private static long sequence(Document event) {
        return event.get(EventDocuments.SEQUENCE, Number.class).longValue();
    }

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > AGENCIES_REMEMBERED;
            }
        };
    }

    private static Broken broken(Check check, String dossier, Long sequence, Long position, Long leaf, String detail) {
        return new Broken(new BrokenLink(check, dossier, sequence, position, leaf, detail));
    }

    private static final class Counter {
        long checked;
        long pending;
        Reference against;

        /** The report; a broken one still names the checkpoint it was checked against, when the log's own checks held. */
        Report report(Reference reference, BrokenLink broken) {
            Reference used = reference != null ? reference : against;
            return new Report(broken == null, checked, pending, used == null ? -1 : used.size(),
                    used == null ? null : SealedLog.hex(used.root()), broken);
        }
    }
}
