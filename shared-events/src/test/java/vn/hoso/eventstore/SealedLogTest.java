package vn.hoso.eventstore;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import vn.hoso.tlog.Checkpoint;
import vn.hoso.tlog.Merkle;
import vn.hoso.tlog.SignedNote;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sealed log on the MongoDB emulator: the tiles give the same heads and proofs as the leaves, the sealer makes
 * every event one leaf in position order and refuses what does not chain, and each kind of tampering done straight in
 * the store is found by the verification, which names the first broken link. One store for the class: each tampering is
 * undone before the next, and the clean store verifies before and after.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SealedLogTest {

    record Noted(String text) {
    }

    private static final TestStore store = new TestStore();
    private static final PositionedMongoEventStorageEngineTest.MutableClock clock =
            new PositionedMongoEventStorageEngineTest.MutableClock(Instant.parse("2030-03-04T03:00:00Z"));
    private static final SignedNote.SignerKey key = SignedNote.SignerKey.generate("hoso.test/log", new SecureRandom());
    private static PositionedMongoEventStorageEngine engine;
    private static SealedLog log;
    private static LogSealer sealer;
    private static LogVerifier verifier;
    private static final List<String> dossiers = new ArrayList<>();
    /** The sealer's state once the first 24 events were sealed and signed: what a rollback restores. */
    private static Document stateAt24;

    @BeforeAll
    static void sealSomeHistory() {
        engine = store.engine().clock(clock).gapTimeout(Duration.ofSeconds(30)).build();
        log = new SealedLog(store.database());
        sealer = new LogSealer(engine, log, new LogSealer.Settings(key, Duration.ofSeconds(5), 1000, 100), clock);
        sealer.publishKey();
        verifier = new LogVerifier(engine, log, List.of(key.verifier()));
        for (int d = 0; d < 6; d++) {
            dossiers.add("d" + d + "-" + UUID.randomUUID());
        }
        for (int round = 0; round < 4; round++) { // interleaved: a dossier's events are not adjacent in the store
            for (String dossier : dossiers) {
                engine.appendEvents(event(dossier, round));
            }
        }
        sealAll();
        stateAt24 = store.database().getCollection("log_state").find(new Document("_id", "sealer")).first();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static GenericDomainEventMessage<Noted> event(String dossier, long sequence) {
        return new GenericDomainEventMessage<>("Dossier", dossier, sequence, new Noted(dossier + "#" + sequence),
                MetaData.with("who", "officer-" + sequence), UUID.randomUUID().toString(), clock.instant());
    }

    private static void sealAll() {
        while (sealer.sealNext() > 0) {
            // catching up
        }
        clock.advance(Duration.ofSeconds(6));
        sealer.checkpointIfDue();
    }

    private static org.bson.conversions.Bson at(String dossier, long sequence) {
        return new Document("aggregateIdentifier", dossier).append("sequenceNumber", sequence);
    }

    /** The log's entry for a dossier's event, found from its stored position. */
    private static java.util.Optional<SealedLog.Seal> sealOf(TestStore in, SealedLog of, String dossier, long sequence) {
        Document event = in.database().getCollection("events").find(at(dossier, sequence)).first();
        return event == null ? java.util.Optional.empty() : of.sealAt(event.get("_id", Number.class).longValue())
                .filter(s -> s.dossier().equals(dossier) && s.sequence() == sequence);
    }

    private static java.util.Optional<SealedLog.Seal> sealOf(String dossier, long sequence) {
        return sealOf(store, log, dossier, sequence);
    }

    private static Document stored(String dossier, long sequence) {
        return store.database().getCollection("events").find(at(dossier, sequence)).first();
    }

    /** Does {@code damage} to the store, checks what the verification says, and puts everything back as it was. */
    private static void tampered(Runnable damage, Runnable expectation, List<String> collections) {
        var database = store.database();
        List<List<Document>> saved = new ArrayList<>();
        collections.forEach(c -> saved.add(database.getCollection(c).find().into(new ArrayList<>())));
        damage.run();
        log.forgetCachedTiles();
        try {
            expectation.run();
        } finally {
            for (int i = 0; i < collections.size(); i++) {
                database.getCollection(collections.get(i)).deleteMany(new Document());
                database.getCollection(collections.get(i)).insertMany(saved.get(i));
            }
            log.forgetCachedTiles();
        }
        assertThat(verifier.verifyAll(null, (d, t) -> { }).ok()).as("the undamaged store verifies again").isTrue();
    }

    private static void tamperedEvents(Runnable damage, Runnable expectation) {
        tampered(damage, expectation, List.of("events"));
    }

    private static LogVerifier.BrokenLink brokenInDossier(String dossier) {
        LogVerifier.Report report = verifier.verifyDossier(dossier, null, (d, t) -> { });
        assertThat(report.ok()).as("the dossier's verification fails").isFalse();
        return report.firstBroken();
    }

    private static LogVerifier.BrokenLink brokenInAll() {
        LogVerifier.Report report = verifier.verifyAll(null, (d, t) -> { });
        assertThat(report.ok()).as("the whole store's verification fails").isFalse();
        return report.firstBroken();
    }

    // ---- the tree from tiles -------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void theTilesGiveTheSameHeadsAndProofsAsTheLeavesAtEverySize() {
        TestStore own = new TestStore();
        try {
            SealedLog tiles = new SealedLog(own.database());
            Random random = new Random(21);
            List<byte[]> leaves = new ArrayList<>();
            List<List<byte[]>> partial = new ArrayList<>(List.of(new ArrayList<>()));
            int total = 66_000; // past one full tile of level 1 (65,536 leaves)
            for (int i = 0; i < total; i++) {
                byte[] data = new byte[12];
                random.nextBytes(data);
                byte[] leaf = Merkle.leafHash(data);
                List<LogSealer.TileWrite> writes = new ArrayList<>();
                LogSealer.appendLeaf(partial, i, leaf, writes);
                long before = i;
                writes.forEach(w -> tiles.writeTile(w.level(), w.index(), w.hashes(), before));
                leaves.add(leaf);
            }
            SealedLog.State state = new SealedLog.State(1, total, total, partial, List.of(), -1, null, 0);
            Merkle.Subtrees fromTiles = (level, index) -> tiles.perfect(state, level, index);
            Merkle.LeafHashes fromLeaves = index -> leaves.get((int) index);
            for (long size : List.of(1L, 2L, 3L, 255L, 256L, 257L, 511L, 4097L, 65_535L, 65_536L, 65_537L, 66_000L)) {
                assertThat(Merkle.root(fromTiles, size)).as("head at %d", size).isEqualTo(Merkle.root(fromLeaves, size));
                for (long leaf : List.of(0L, size / 3, size - 1)) {
                    assertThat(Merkle.inclusionProof(fromTiles, leaf, size)).as("inclusion of %d in %d", leaf, size)
                            .usingElementComparator(SealedLogTest::compare)
                            .containsExactlyElementsOf(Merkle.inclusionProof(fromLeaves, leaf, size));
                }
                long older = Math.max(1, size / 2 + 1);
                assertThat(Merkle.consistencyProof(fromTiles, older, size)).as("consistency %d..%d", older, size)
                        .usingElementComparator(SealedLogTest::compare)
                        .containsExactlyElementsOf(Merkle.consistencyProof(fromLeaves, older, size));
            }
            assertThat(own.database().getCollection("log_tiles").countDocuments())
                    .as("257 full tiles of level 0 and one of level 1").isEqualTo(257 + 1);
        } finally {
            own.close();
        }
    }

    private static int compare(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b) ? 0 : 1;
    }

    // ---- sealing -------------------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void everyEventIsOneLeafInPositionOrderAndTheCheckpointIsSignedOverThem() {
        assertThat(log.size()).isEqualTo(24);
        long leaf = 0;
        for (long position = 1; position <= 24; position++) {
            Document event = store.database().getCollection("events").find(new Document("_id", position)).first();
            SealedLog.Seal seal = sealOf(event.getString("aggregateIdentifier"),
                    event.get("sequenceNumber", Number.class).longValue()).orElseThrow();
            assertThat(seal.leaf()).isEqualTo(leaf++);
            assertThat(seal.position()).isEqualTo(position);
            assertThat(SealedLog.hex(seal.hash())).isEqualTo(event.getString("hash"));
            assertThat(log.leafHashAt(seal.leaf())).isEqualTo(SealedLog.leafHash(position, seal.hash()));
        }
        SealedLog.StoredCheckpoint checkpoint = log.latestCheckpoint().orElseThrow();
        Checkpoint opened = Checkpoint.open(checkpoint.note(), key.verifier()).orElseThrow();
        assertThat(opened.size()).isEqualTo(24);
        assertThat(opened.origin()).isEqualTo("hoso.test/log");
        assertThat(opened.root()).isEqualTo(log.root(24));
        assertThat(verifier.verifyAll(null, (d, t) -> { })).satisfies(r -> {
            assertThat(r.ok()).isTrue();
            assertThat(r.checkedEvents()).isEqualTo(24);
        });
        assertThat(verifier.verifyDossier(dossiers.get(0), checkpoint.note(), (d, t) -> { }).ok()).isTrue();
    }

    @Test
    @Order(3)
    void aBatchRepeatedAfterACrashWritesTheSameLeavesAndASecondSealerCannotCommitOverTheFirst() {
        String dossier = dossiers.get(5);
        Document before = store.database().getCollection("log_state").find(new Document("_id", "sealer")).first();
        engine.appendEvents(event(dossier, 4), event(dossier, 5));
        assertThat(sealer.sealNext()).isEqualTo(2);
        // the state's commit is lost (the process died after writing seals and tiles): the batch runs again
        store.database().getCollection("log_state").replaceOne(new Document("_id", "sealer"), before);
        sealer.reload();
        assertThat(sealer.sealNext()).isEqualTo(2);
        assertThat(sealOf(dossier, 5).orElseThrow().leaf()).isEqualTo(25);

        // a second sealer commits a batch while the first still holds the state it read before
        LogSealer other = new LogSealer(engine, log, new LogSealer.Settings(key, Duration.ofSeconds(5), 1000, 100),
                clock);
        engine.appendEvents(event(dossier, 6));
        assertThat(other.sealNext()).isEqualTo(1);
        engine.appendEvents(event(dossier, 7));
        assertThatThrownBy(sealer::sealNext).as("the first cannot commit over the second's batch")
                .isInstanceOf(LogSealer.LostLeaseException.class);
        sealer.reload();
        assertThat(sealer.sealNext()).isEqualTo(1);
        assertThat(sealOf(dossier, 6).orElseThrow().leaf()).isEqualTo(26);
        assertThat(sealOf(dossier, 7).orElseThrow().leaf()).isEqualTo(27);

        assertThat(sealer.holdLease("first", Duration.ofSeconds(10))).isTrue();
        assertThat(sealer.holdLease("first", Duration.ofSeconds(10))).as("renewed by its holder").isTrue();
        assertThat(other.holdLease("second", Duration.ofSeconds(10))).as("the lease is held").isFalse();
        clock.advance(Duration.ofSeconds(11));
        assertThat(other.holdLease("second", Duration.ofSeconds(10))).as("taken over once it ran out").isTrue();
        assertThat(sealer.holdLease("first", Duration.ofSeconds(10))).isFalse();
        sealAll();
        assertThat(verifier.verifyAll(null, (d, t) -> { }).ok()).isTrue();
    }

    @Test
    @Order(4)
    void aPositionNeverFilledIsWaitedForThenVoidedAndSealedPast() {
        var counter = store.database().getCollection("event_positions");
        counter.updateOne(new Document("_id", "events"), new Document("$inc", new Document("last", 1L))); // a dead writer
        long hole = engine.lastAllocatedPosition();
        String dossier = dossiers.get(5);
        engine.appendEvents(event(dossier, 8));
        assertThat(sealer.sealNext()).as("sealed behind the gap: its event may still land").isZero();
        clock.advance(Duration.ofSeconds(31));
        assertThat(sealer.sealNext()).isEqualTo(2);
        assertThat(store.database().getCollection("events").find(new Document("_id", hole)).first())
                .containsEntry("void", true);
        assertThat(sealOf(dossier, 8).orElseThrow().position()).isEqualTo(hole + 1);
        sealAll();
        assertThat(verifier.verifyAll(null, (d, t) -> { }).ok()).isTrue();
    }

    // ---- tampering, each kind found and named --------------------------------------------------------------------

    private static void changeField(String dossier, long sequence, String field, java.util.function.UnaryOperator<String> how) {
        Document event = stored(dossier, sequence);
        store.database().getCollection("events").updateOne(new Document("_id", event.get("_id")),
                new Document("$set", new Document(field, how.apply(event.getString(field)))));
    }

    /** The dossier's evidence bundle as the store gives it now, verified offline against the log's key. */
    private static LogVerifier.BrokenLink brokenOffline(String dossier) {
        String bundle = Evidence.dossierBundle(engine, log, dossier, null, List.of(key.verifier())).orElseThrow();
        Evidence.Verdict verdict = Evidence.verify(bundle, key.verifier(), null);
        assertThat(verdict.ok()).as("the offline verification of the bundle fails").isFalse();
        return verdict.firstBroken();
    }

    private static void assertNamed(LogVerifier.BrokenLink link, LogVerifier.Check check, String dossier, long sequence) {
        assertThat(link.check()).as(link.toString()).isEqualTo(check);
        assertThat(link.dossier()).as(link.toString()).isEqualTo(dossier);
        assertThat(link.sequence()).as(link.toString()).isEqualTo(sequence);
        assertThat(link.detail()).isNotBlank();
    }

    @Test
    @Order(10)
    void aPayloadByteChanged() {
        String dossier = dossiers.get(1);
        tamperedEvents(() -> changeField(dossier, 2, "serializedPayload", p -> p.replace("#2", "#3")), () -> {
            assertNamed(brokenInDossier(dossier), LogVerifier.Check.HASH_MISMATCH, dossier, 2);
            assertNamed(brokenInAll(), LogVerifier.Check.HASH_MISMATCH, dossier, 2);
assertNamed(brokenOffline(dossier), LogVerifier.Check.HASH_MISMATCH, dossier, 2);
        });
    }

    @Test
    @Order(11)
    void metadataChanged() {
        String dossier = dossiers.get(2);
        tamperedEvents(() -> changeField(dossier, 1, "serializedMetaData", m -> m.replace("officer-1", "officer-9")),
                () -> {
                    assertNamed(brokenInDossier(dossier), LogVerifier.Check.HASH_MISMATCH, dossier, 1);
                    assertNamed(brokenInAll(), LogVerifier.Check.HASH_MISMATCH, dossier, 1);
                    assertNamed(brokenOffline(dossier), LogVerifier.Check.HASH_MISMATCH, dossier, 1);
                });
    }

    @Test
    @Order(12)
    void aMiddleEventDeleted() {
        String dossier = dossiers.get(3);
        tamperedEvents(() -> store.database().getCollection("events").deleteOne(at(dossier, 1)), () -> {
            assertNamed(brokenInDossier(dossier), LogVerifier.Check.EVENT_MISSING, dossier, 1);
            assertNamed(brokenInAll(), LogVerifier.Check.EVENT_MISSING, dossier, 1);
            assertNamed(brokenOffline(dossier), LogVerifier.Check.EVENT_MISSING, dossier, 1);
        });
    }

    /**
     * The dossier's own chain stays whole: its verification cannot see it (and says so in the README); the
     * verifications that walk the log's entries position by position (a period, everything) name it.
     */
    @Test
    @Order(13)
    void aDossiersLastEventDeleted() {
        String dossier = dossiers.get(4);
        tamperedEvents(() -> store.database().getCollection("events").deleteOne(at(dossier, 3)), () -> {
            assertNamed(brokenInAll(), LogVerifier.Check.EVENT_MISSING, dossier, 3);
            LogVerifier.Report period = verifier.verifyPeriod(null, Instant.parse("2030-01-01T00:00:00Z"),
                    Instant.parse("2031-01-01T00:00:00Z"), null, (d, t) -> { });
            assertThat(period.ok()).isFalse();
            assertNamed(period.firstBroken(), LogVerifier.Check.EVENT_MISSING, dossier, 3);
        });
    }

    @Test
    @Order(14)
    void twoEventsSwapped() {
        String dossier = dossiers.get(1);
        tamperedEvents(() -> {
            var events = store.database().getCollection("events");
            Document one = stored(dossier, 1);
            Document two = stored(dossier, 2);
            events.deleteOne(new Document("_id", one.get("_id")));
            events.deleteOne(new Document("_id", two.get("_id")));
            Object first = one.get("_id");
            one.put("_id", two.get("_id"));
            two.put("_id", first);
            events.insertMany(List.of(one, two));
        }, () -> {
            assertNamed(brokenInDossier(dossier), LogVerifier.Check.SEAL_MISMATCH, dossier, 1);
            assertNamed(brokenInAll(), LogVerifier.Check.SEAL_MISMATCH, dossier, 2);
            assertNamed(brokenOffline(dossier), LogVerifier.Check.NOT_IN_LOG, dossier, 1);
        });
    }

    /** A forged event that chains to its predecessor and carries its own correct hash, in place of the sealed one. */
    @Test
    @Order(15)
    void aForgedEventWithASelfConsistentChain() {
        String dossier = dossiers.get(0);
        tamperedEvents(() -> {
            Document forged = stored(dossier, 3);
            forged.put("serializedPayload", forged.getString("serializedPayload").replace("#3", "#forged"));
            EventChain.stamp(forged, EventChain.storedHash(stored(dossier, 2)));
            store.database().getCollection("events").replaceOne(new Document("_id", forged.get("_id")), forged);
        }, () -> {
            assertNamed(brokenInDossier(dossier), LogVerifier.Check.SEAL_MISMATCH, dossier, 3);
            assertNamed(brokenInAll(), LogVerifier.Check.SEAL_MISMATCH, dossier, 3);
            assertNamed(brokenOffline(dossier), LogVerifier.Check.NOT_IN_LOG, dossier, 3);
        });
    }

    /** A forged dossier written at a position the sealer had passed as void. */
    @Test
    @Order(16)
    void aForgedEventAtAVoidedPosition() {
        long hole = store.database().getCollection("events").find(new Document("void", true)).first()
                .get("_id", Number.class).longValue();
        tamperedEvents(() -> {
            Document forged = stored(dossiers.get(0), 0);
            forged.put("_id", hole);
            forged.put("aggregateIdentifier", "forged");
            forged.put("eventIdentifier", UUID.randomUUID().toString());
            EventChain.stamp(forged, EventChain.NONE);
            store.database().getCollection("events").replaceOne(new Document("_id", hole), forged);
        }, () -> {
            assertNamed(brokenInDossier("forged"), LogVerifier.Check.NOT_SEALED, "forged", 0);
            assertNamed(brokenInAll(), LogVerifier.Check.NOT_SEALED, "forged", 0);
        });
    }

    @Test
    @Order(17)
    void aWholeDossierRewrittenConsistently() {
        String dossier = dossiers.get(2);
        tamperedEvents(() -> {
            byte[] previous = EventChain.NONE;
            for (long sequence = 0; sequence < 4; sequence++) {
                Document event = stored(dossier, sequence);
                event.put("serializedPayload", event.getString("serializedPayload").replace(dossier, dossier + "x"));
                previous = EventChain.stamp(event, previous);
                store.database().getCollection("events").replaceOne(new Document("_id", event.get("_id")), event);
            }
        }, () -> {
            assertNamed(brokenInDossier(dossier), LogVerifier.Check.SEAL_MISMATCH, dossier, 0);
            assertNamed(brokenInAll(), LogVerifier.Check.SEAL_MISMATCH, dossier, 0);
            assertNamed(brokenOffline(dossier), LogVerifier.Check.NOT_IN_LOG, dossier, 0);
        });
    }

    @Test
    @Order(18)
    void theTilesChanged() {
        tampered(() -> {
            var state = store.database().getCollection("log_state");
            Document sealerState = state.find(new Document("_id", "sealer")).first();
            List<org.bson.types.Binary> partial = new ArrayList<>(sealerState.getList("partial", org.bson.types.Binary.class));
            byte[] level0 = partial.get(0).getData().clone();
            level0[5] ^= 1;
            partial.set(0, new org.bson.types.Binary(level0));
            state.updateOne(new Document("_id", "sealer"), new Document("$set", new Document("partial", partial)));
        }, () -> {
            LogVerifier.BrokenLink link = brokenInAll();
            assertThat(link.check()).isEqualTo(LogVerifier.Check.CHECKPOINT_ROOT);
            assertThat(brokenInDossier(dossiers.get(0)).check()).isEqualTo(LogVerifier.Check.CHECKPOINT_ROOT);
        }, List.of("log_state"));
    }

    /** An event changed, and its entry in the log changed to match: its inclusion proof fails against the checkpoint. */
    @Test
    @Order(22)
    void anEventAndItsEntryChangedTogether() {
        String dossier = dossiers.get(3);
        tampered(() -> {
            Document event = stored(dossier, 2);
            event.put("serializedPayload", event.getString("serializedPayload").replace("#2", "#7"));
            byte[] hash = EventChain.stamp(event, EventChain.storedHash(stored(dossier, 1)));
            store.database().getCollection("events").replaceOne(new Document("_id", event.get("_id")), event);
            long leaf = sealOf(dossier, 2).orElseThrow().leaf();
            var state = store.database().getCollection("log_state");
            Document bundle = state.find(new Document("_id", "sealer")).first().get("entries", Document.class);
            byte[] hashes = ((org.bson.types.Binary) bundle.get("hashes")).getData().clone();
            System.arraycopy(hash, 0, hashes, (int) (leaf % 256) * 32, 32);
            state.updateOne(new Document("_id", "sealer"), new Document("$set",
                    new Document("entries.hashes", new org.bson.types.Binary(hashes))));
        }, () -> {
            assertNamed(brokenInDossier(dossier), LogVerifier.Check.NOT_IN_LOG, dossier, 2);
            assertNamed(brokenInAll(), LogVerifier.Check.NOT_IN_LOG, dossier, 2);
            assertNamed(brokenOffline(dossier), LogVerifier.Check.NOT_IN_LOG, dossier, 2);
        }, List.of("events", "log_state"));
    }

    /** Caught against a checkpoint exported before: the log's latest is older than it. */
    @Test
    @Order(19)
    void theLogRolledBackAndTruncated() {
        String pinned = log.latestCheckpoint().orElseThrow().note();
        tampered(() -> {
            var database = store.database();
            database.getCollection("log_checkpoints").deleteMany(new Document("_id", new Document("$gt", 24L)));
            database.getCollection("log_state").replaceOne(new Document("_id", "sealer"), stateAt24);
        }, () -> {
            LogVerifier.Report report = verifier.verifyAll(pinned, (d, t) -> { });
            assertThat(report.ok()).isFalse();
            assertThat(report.firstBroken().check()).isEqualTo(LogVerifier.Check.LOG_TRUNCATED);
            assertThat(verifier.verifyDossier(dossiers.get(0), pinned, (d, t) -> { }).firstBroken().check())
                    .isEqualTo(LogVerifier.Check.LOG_TRUNCATED);
        }, List.of("log_state", "log_checkpoints"));
    }

    @Test
    @Order(20)
    void aCheckpointReSignedWithAnotherKey() {
        SignedNote.SignerKey impostor = SignedNote.SignerKey.generate("hoso.test/log", new SecureRandom());
        tampered(() -> {
            SealedLog.StoredCheckpoint latest = log.latestCheckpoint().orElseThrow();
            String note = SignedNote.sign(new Checkpoint("hoso.test/log", latest.size(), latest.root()).text(), impostor);
            store.database().getCollection("log_checkpoints").updateOne(new Document("_id", latest.size()),
                    new Document("$set", new Document("note", note)));
        }, () -> assertThat(brokenInAll().check()).isEqualTo(LogVerifier.Check.CHECKPOINT_SIGNATURE),
                List.of("log_checkpoints"));
    }

    @Test
    @Order(21)
    void thePublicKeyReplacedInTheDatabase() {
        SignedNote.SignerKey impostor = SignedNote.SignerKey.generate("hoso.test/log", new SecureRandom());
        tampered(() -> store.database().getCollection("log_keys").updateOne(new Document(),
                        new Document("$set", new Document("verifierKey", impostor.verifier().toString()))),
                () -> assertThat(brokenInAll().check()).isEqualTo(LogVerifier.Check.PUBLISHED_KEY),
                List.of("log_keys"));
    }

    /**
     * A store written before hashes (the documents have no hash fields): the log's first start seals it from the stored
     * bytes, records that it did, chains the next appends to the computed hashes, and a later change is still found.
     */
    @Test
    @Order(30)
    void aHistoryStoredBeforeHashesIsSealedFromItsStoredBytesAndThatIsRecorded() {
        TestStore own = new TestStore();
        try {
            PositionedMongoEventStorageEngine before = own.engine().clock(clock).build();
            for (int round = 0; round < 3; round++) {
                for (String dossier : List.of("old-a", "old-b")) {
                    before.appendEvents(event(dossier, round));
                }
            }
            var events = own.database().getCollection("events");
            events.updateMany(new Document(), new Document("$unset", new Document("hash", "").append("previousHash", "")));
            PositionedMongoEventStorageEngine engine = own.engine().clock(clock).build(); // the upgraded service
            SealedLog ownLog = new SealedLog(own.database());
            LogSealer ownSealer = new LogSealer(engine, ownLog, new LogSealer.Settings(key, Duration.ofSeconds(5), 1000,
                    100), clock);
            LogVerifier ownVerifier = new LogVerifier(engine, ownLog, List.of(key.verifier()));
            ownSealer.checkpointIfDue(); // as the query side's loop does: the empty tree is signed first
            while (ownSealer.sealNext() > 0) {
                // catching up
            }
            engine.appendEvents(event("old-a", 3)); // chained to the computed hash of old-a's event 2
            while (ownSealer.sealNext() > 0) {
                // the new one
            }
            ownSealer.checkpointIfDue();

            SealedLog.ExistingHistory existing = ownLog.existingHistory().orElseThrow();
            assertThat(existing.throughPosition()).isEqualTo(6);
            assertThat(existing.events()).isEqualTo(6);
            assertThat(existing.computedHashes()).isEqualTo(6);
            assertThat(existing.sealedAt()).isNotNull();
            assertThat(SealedLog.hex(sealOf(own, ownLog, "old-a", 0).orElseThrow().hash()))
                    .as("the hash computed from its stored fields").isEqualTo(SealedLog.hex(EventChain.hash(
                            events.find(at("old-a", 0)).first(), EventChain.NONE)));
            assertThat(sealOf(own, ownLog, "old-a", 3).orElseThrow().leaf()).isEqualTo(6);
            assertThat(ownLog.anomalyCount()).isZero();
            assertThat(ownVerifier.verifyAll(null, (d, t) -> { }).ok()).isTrue();

            Document old = events.find(at("old-b", 1)).first();
            events.updateOne(new Document("_id", old.get("_id")), new Document("$set",
                    new Document("serializedMetaData", old.getString("serializedMetaData").replace("officer-1", "x"))));
            assertNamed(ownVerifier.verifyDossier("old-b", null, (d, t) -> { }).firstBroken(),
                    LogVerifier.Check.SEAL_MISMATCH, "old-b", 1);
        } finally {
            own.close();
        }
    }

    /** Tiles rewritten in the database: the sealer refuses to sign a tree that does not extend what it signed. */
    @Test
    @Order(23)
    void theSealerRefusesToSignOverChangedTiles() {
        String dossier = dossiers.get(1);
        long refusedBefore = sealer.refusedCheckpoints();
        tampered(() -> {
            var state = store.database().getCollection("log_state");
            Document sealerState = state.find(new Document("_id", "sealer")).first();
            List<org.bson.types.Binary> partial = new ArrayList<>(sealerState.getList("partial",
                    org.bson.types.Binary.class));
            byte[] level0 = partial.get(0).getData().clone();
            level0[0] ^= 1;
            partial.set(0, new org.bson.types.Binary(level0));
            state.updateOne(new Document("_id", "sealer"), new Document("$set", new Document("partial", partial)));
            sealer.reload();
        }, () -> {
            engine.appendEvents(event(dossier, 4));
            assertThat(sealer.sealNext()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(6));
            assertThat(sealer.checkpointIfDue()).as("no checkpoint over changed tiles").isNull();
            assertThat(sealer.refusedCheckpoints()).isEqualTo(refusedBefore + 1);
            // asked again (as after every batch sealed): refused and counted again, whatever the log says of it
            assertThat(sealer.checkpointIfDue()).isNull();
            assertThat(sealer.refusedCheckpoints()).isEqualTo(refusedBefore + 2);
        }, List.of("log_state", "log_checkpoints"));
        sealer.reload();
        sealAll(); // the undamaged state: the event is sealed again, and signed
        assertThat(sealOf(dossier, 4)).isPresent();
        assertThat(log.latestCheckpoint().orElseThrow().size()).isEqualTo(log.size());
    }

    /** A dossier's agency is read from its first event, checked first: an agency changed in the store is found. */
    @Test
    @Order(24)
    void anAgencyVerificationChecksTheFirstEventItTakesTheAgencyFrom() {
        String dossier = dossiers.get(1);
        tamperedEvents(() -> changeField(dossier, 0, "serializedPayload", p -> p.replace("#0", "#5")), () -> {
            LogVerifier.Report report = verifier.verifyPeriod("000.00.01.H22", Instant.parse("2030-01-01T00:00:00Z"),
                    Instant.parse("2031-01-01T00:00:00Z"), null, (d, t) -> { });
            assertThat(report.ok()).isFalse();
            assertNamed(report.firstBroken(), LogVerifier.Check.HASH_MISMATCH, dossier, 0);
        });
    }

    /**
     * A full bundle and tile left beyond the committed state by a batch that never committed (a sealer that died, with
     * other content than the next batch makes) are replaced by the batch that commits that range: the sealer never
     * stalls on them.
     */
    @Test
    @Order(25)
    void leftoversOfABatchThatNeverCommittedAreReplaced() {
        store.database().getCollection("log_entries").insertOne(new Document("_id", 0L).append("positions", List.of()));
        store.database().getCollection("log_tiles").insertOne(new Document("_id", "0/0")
                .append("hashes", new org.bson.types.Binary(new byte[256 * 32])));
        String dossier = "filler-" + UUID.randomUUID();
        for (int sequence = 0; log.size() + sequence < 260; sequence++) {
            engine.appendEvents(event(dossier, sequence));
        }
        sealAll();
        assertThat(log.size()).isGreaterThanOrEqualTo(260);
        assertThat(verifier.verifyAll(null, (d, t) -> { }).ok()).isTrue();
    }

    /** Last: it leaves the store with an anomaly. */
    @Test
    @Order(99)
    void anEventThatDoesNotChainIsNeverSealedButRecordedAsAnAnomaly() {
        String dossier = dossiers.get(4);
        engine.appendEvents(event(dossier, 4));
        changeField(dossier, 4, "previousHash", h -> "00".repeat(32));
        engine.appendEvents(event(dossier, 5));
        sealAll();
        assertThat(sealOf(dossier, 4)).isEmpty();
        assertThat(sealOf(dossier, 5)).isEmpty();
        List<SealedLog.Anomaly> anomalies = log.anomalies(10);
        assertThat(anomalies).extracting(SealedLog.Anomaly::sequence, SealedLog.Anomaly::check)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5L, "PREVIOUS_NOT_SEALED"),
                        org.assertj.core.groups.Tuple.tuple(4L, "CHAIN_BROKEN"));
        assertThat(sealer.anomalies()).isEqualTo(2);
        assertNamed(brokenInAll(), LogVerifier.Check.NOT_SEALED, dossier, 4);
        assertNamed(brokenInDossier(dossier), LogVerifier.Check.CHAIN_BROKEN, dossier, 4);
    }
}
