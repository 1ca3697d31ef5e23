package vn.hoso.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PositionedMongoEventStorageEngineTest {

    /** A payload of the tests' own. */
    record Noted(String text) {
    }

    private final TestStore store = new TestStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2030-03-04T03:00:00Z"));

    @AfterEach
    void close() {
        store.close();
    }

    private DomainEventMessage<Noted> event(String dossier, long sequence) {
        return new GenericDomainEventMessage<>("Dossier", dossier, sequence, new Noted(dossier + "#" + sequence),
                MetaData.emptyInstance(), UUID.randomUUID().toString(), clock.instant());
    }

    private PositionedMongoEventStorageEngine engine() {
        return store.engine().clock(clock).build();
    }

    /** Everything after {@code token}, read the way a processor reads: batch after batch until one comes back empty. */
    private static List<TrackedEventMessage<?>> readFrom(PositionedMongoEventStorageEngine engine, TrackingToken token) {
        return engine.readEvents(token, false).<TrackedEventMessage<?>>map(m -> m).toList();
    }

    private static List<String> texts(List<TrackedEventMessage<?>> messages) {
        return messages.stream().map(m -> ((Noted) m.getPayload()).text()).toList();
    }

    private static GapAwareTrackingToken lastToken(List<TrackedEventMessage<?>> messages) {
        return (GapAwareTrackingToken) messages.get(messages.size() - 1).trackingToken();
    }

    @Test
    void eventsAreDeliveredInPositionOrderAndADossierLoadsInSequence() {
        PositionedMongoEventStorageEngine engine = engine();
        engine.appendEvents(event("a", 0), event("a", 1));
        engine.appendEvents(event("b", 0));
        engine.appendEvents(event("a", 2));

        List<TrackedEventMessage<?>> stream = readFrom(engine, null);
        assertThat(texts(stream)).containsExactly("a#0", "a#1", "b#0", "a#2");
        assertThat(stream.stream().map(m -> ((GapAwareTrackingToken) m.trackingToken()).getIndex()))
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(engine.readEvents("a").asStream().map(m -> ((Noted) m.getPayload()).text()))
                .containsExactly("a#0", "a#1", "a#2");
        assertThat(engine.readEvents("a", 2).asStream().map(m -> m.getSequenceNumber())).containsExactly(2L);
        assertThat(engine.lastSequenceNumberFor("a")).contains(2L);
        assertThat(engine.lastSequenceNumberFor("b")).contains(0L);
        assertThat(engine.lastSequenceNumberFor("nobody")).isEmpty();
        assertThat(readFrom(engine, lastToken(stream))).isEmpty();
    }

    @Test
    void theLastSequenceNumberOfALongHistoryIsFoundByKeyLookups() {
        PositionedMongoEventStorageEngine engine = engine();
        List<DomainEventMessage<?>> history = new ArrayList<>();
        for (int sequence = 0; sequence < 37; sequence++) {
            history.add(event("long", sequence));
        }
        engine.appendEvents(history);
        assertThat(engine.lastSequenceNumberFor("long")).contains(36L);
        assertThat(engine.readEvents("long").asStream().count()).isEqualTo(37);
    }

    @Test
    void everyReadIsByKey() {
        PositionedMongoEventStorageEngine engine = engine();
        engine.appendEvents(event("a", 0), event("a", 1));
        store.database().getCollection("event_positions").updateOne(new Document("_id", "events"),
                new Document("$inc", new Document("last", 3L))); // three positions that never fill: gaps
        engine.appendEvents(event("b", 0));
        store.commands.clear();

        List<TrackedEventMessage<?>> stream = readFrom(engine, null);
        readFrom(engine, lastToken(stream)); // a poll that re-reads the gaps
        engine.readEvents("a").asStream().toList();
        engine.readEvents("b", 0).asStream().toList();
        engine.lastSequenceNumberFor("a");
        engine.createHeadToken();
        engine.storeSnapshot(event("a", 1));
        engine.readSnapshot("a");
        engine.appendEvents(event("c", 0), event("c", 1));
        assertThatThrownBy(() -> engine.appendEvents(event("c", 1))).isInstanceOf(ConcurrencyException.class);

        List<BsonDocument> reads = store.commands.stream().filter(c -> c.getFirstKey().equals("find")).toList();
        assertThat(reads).hasSizeGreaterThan(8);
        for (BsonDocument read : reads) {
            assertThat(isKeyLookup(read.getDocument("filter"))).as("filter %s", read.getDocument("filter")).isTrue();
            assertThat(read.containsKey("sort")).as("sort in %s", read).isFalse();
        }
        store.commands.stream().filter(c -> c.getFirstKey().equals("findAndModify"))
                .forEach(c -> assertThat(c.getDocument("query")).isEqualTo(BsonDocument.parse("{\"_id\": \"events\"}")));
        assertThat(store.commands).extracting(BsonDocument::getFirstKey)
                .isSubsetOf("find", "findAndModify", "insert", "update", "createIndexes")
                .contains("find", "findAndModify", "insert", "update");
    }

    /** Flat equality on {@code _id}, {@code _id} with {@code $in} alone, or flat equality on the aggregate key. */
    private static boolean isKeyLookup(BsonDocument filter) {
        Set<String> keys = filter.keySet();
        if (keys.equals(Set.of("_id"))) {
            BsonValue id = filter.get("_id");
            return !id.isDocument() || id.asDocument().keySet().equals(Set.of("$in"));
        }
        return keys.equals(Set.of("aggregateIdentifier", "sequenceNumber"))
                && !filter.get("aggregateIdentifier").isDocument() && filter.get("sequenceNumber").isInt64();
    }

    @Test
    void aRunOfMissingPositionsLongerThanABatchDoesNotStallTheReader() {
        PositionedMongoEventStorageEngine engine = engine();
        engine.appendEvents(event("before", 0));
        store.database().getCollection("event_positions").updateOne(new Document("_id", "events"),
                new Document("$inc", new Document("last", 500L))); // 500 positions taken by writers that never write
        engine.appendEvents(event("after", 0));

        List<TrackedEventMessage<?>> stream = readFrom(engine, null);
        assertThat(texts(stream)).containsExactly("before#0", "after#0");
        GapAwareTrackingToken token = lastToken(stream);
        assertThat(token.getIndex()).isEqualTo(502);
        assertThat(token.getGaps()).hasSize(500).first().isEqualTo(2L);
    }

    @Test
    void anEventCommittedAfterLaterOnesIsDeliveredWhenItLands() throws Exception {
        PositionedMongoEventStorageEngine engine = engine();
        try (HeldWriter late = new HeldWriter(event("late", 0))) {
            engine.appendEvents(event("early", 0));

            List<TrackedEventMessage<?>> first = readFrom(engine, null);
            assertThat(texts(first)).containsExactly("early#0");
            assertThat(lastToken(first).getGaps()).containsExactly(1L);
            assertThat(readFrom(engine, lastToken(first))).isEmpty();

            clock.advance(Duration.ofSeconds(59)); // under the gap timeout
            late.release();
            List<TrackedEventMessage<?>> second = readFrom(engine, lastToken(first));
            assertThat(texts(second)).containsExactly("late#0");
            assertThat(lastToken(second).getGaps()).isEmpty();
            assertThat(lastToken(second).getIndex()).isEqualTo(2);
            assertThat(engine.gapTimeouts()).isZero();
        }
    }

    /**
     * Found by measuring (a batch of events appended with their original times, issue 10): a gap's age is not the age
     * of the event after it. An event stamped long ago (a writer whose clock is behind, a slow append) after a gap
     * must not make the stream give the gap up while its append is still landing.
     */
    @Test
    void aGapAfterWhichAnOldStampedEventLandsIsStillWaitedFor() throws Exception {
        PositionedMongoEventStorageEngine engine = engine();
        try (HeldWriter late = new HeldWriter(event("late", 0))) {
            engine.appendEvents(new GenericDomainEventMessage<>("Dossier", "stamped-long-ago", 0,
                    new Noted("stamped-long-ago#0"), MetaData.emptyInstance(), UUID.randomUUID().toString(),
                    clock.instant().minus(Duration.ofDays(365))));
            List<TrackedEventMessage<?>> first = readFrom(engine, null);
            assertThat(texts(first)).containsExactly("stamped-long-ago#0");
            assertThat(lastToken(first).getGaps()).containsExactly(1L);

            clock.advance(Duration.ofSeconds(5));
            assertThat(readFrom(engine, lastToken(first))).isEmpty();
            assertThat(engine.gapTimeouts()).as("a gap seen for 5 s is not given up").isZero();
            late.release();
            List<TrackedEventMessage<?>> second = readFrom(engine, lastToken(first));
            assertThat(texts(second)).containsExactly("late#0");
            assertThat(lastToken(second).getGaps()).isEmpty();
        }
    }

    /**
     * A writer stalled past the gap timeout (a GC pause, a throttled container, a driver retry during an election): the
     * reader voids the position before moving past it, the writer is refused there and stores its event at a new
     * position, and the stream delivers it; nothing can be written at the given-up position any more.
     */
    @Test
    void aWriterStalledPastTheGapTimeoutStoresItsEventAtANewPositionAndTheStreamDeliversIt() throws Exception {
        PositionedMongoEventStorageEngine engine = store.engine().clock(clock).gapTimeout(Duration.ofSeconds(30)).build();
        try (HeldWriter late = new HeldWriter(event("late", 0), event("late", 1))) {
            engine.appendEvents(event("early", 0));
            List<TrackedEventMessage<?>> first = readFrom(engine, null);
            assertThat(texts(first)).containsExactly("early#0");
            assertThat(lastToken(first).getGaps()).containsExactly(1L, 2L);

            clock.advance(Duration.ofSeconds(31));
            assertThat(readFrom(engine, lastToken(first))).isEmpty();
            assertThat(engine.gapTimeouts()).as("positions given up, counted once each").isEqualTo(2);
            assertThat(store.database().getCollection("events").find(new Document("_id", 1L)).first())
                    .as("the given-up position holds a void marker").containsEntry("void", true);

            late.release(); // refused at 1 and 2, stored at 4 and 5
            List<TrackedEventMessage<?>> after = readFrom(engine, lastToken(first));
            assertThat(texts(after)).containsExactly("late#0", "late#1");
            assertThat(after.stream().map(m -> ((GapAwareTrackingToken) m.trackingToken()).getIndex()))
                    .containsExactly(4L, 5L);
            assertThat(lastToken(after).getGaps()).isEmpty();
            assertThat(engine.readEvents("late").asStream().map(m -> ((Noted) m.getPayload()).text()))
                    .containsExactly("late#0", "late#1");
            assertThat(engine.gapTimeouts()).isEqualTo(2);

            // a document written straight into the store at a given-up position is refused by the store
            Document forged = new Document("_id", 2L).append("aggregateIdentifier", "forged").append("sequenceNumber", 0L);
            assertThatThrownBy(() -> store.database().getCollection("events").insertOne(forged))
                    .isInstanceOf(com.mongodb.MongoWriteException.class).hasMessageContaining("E11000");
        }
    }

    /** An event that lands at the very moment its position times out is delivered, not voided. */
    @Test
    void anEventThatLandsAsItsGapTimesOutIsDelivered() throws Exception {
        PositionedMongoEventStorageEngine engine = store.engine().clock(clock).gapTimeout(Duration.ofSeconds(30)).build();
        try (HeldWriter late = new HeldWriter(event("late", 0))) {
            engine.appendEvents(event("early", 0));
            List<TrackedEventMessage<?>> first = readFrom(engine, null);
            assertThat(lastToken(first).getGaps()).containsExactly(1L);

            late.release();
            clock.advance(Duration.ofSeconds(31));
            List<TrackedEventMessage<?>> second = readFrom(engine, lastToken(first));
            assertThat(texts(second)).containsExactly("late#0");
            assertThat(engine.gapTimeouts()).isZero();
        }
    }

    /**
     * A head token asked for while the last positions are taken but not written yet (appends under way) ends at the
     * last event there is: a position above it is no gap of its own index, and a stream from the token still delivers
     * what lands there.
     */
    @Test
    void aHeadTokenWhileTheLastPositionsAreStillBeingWrittenEndsAtTheLastEvent() {
        PositionedMongoEventStorageEngine engine = engine();
        engine.appendEvents(event("a", 0), event("a", 1));
        store.database().getCollection("event_positions").updateOne(new Document("_id", "events"),
                new Document("$inc", new Document("last", 3L))); // three positions taken, not written (yet)
        GapAwareTrackingToken head = (GapAwareTrackingToken) engine.createHeadToken();
        assertThat(head.getIndex()).isEqualTo(2);
        assertThat(head.getGaps()).isEmpty();
        engine.appendEvents(event("b", 0));
        assertThat(texts(readFrom(engine, head))).containsExactly("b#0");
    }

    /** A position counter set back by hand (a restore, a mistake): appends collide once, the counter moves on. */
    @Test
    void aCounterSetBackIsMovedPastTheStoredPositionsAndAppendsGoOn() {
        PositionedMongoEventStorageEngine engine = engine();
        for (int sequence = 0; sequence < 5; sequence++) {
            engine.appendEvents(event("before", sequence));
        }
        setCounter(1);

        engine.appendEvents(event("after", 0));
        assertThat(engine.lastAllocatedPosition()).isEqualTo(6);
        List<TrackedEventMessage<?>> stream = readFrom(engine, null);
        assertThat(texts(stream)).containsExactly("before#0", "before#1", "before#2", "before#3", "before#4", "after#0");
        assertThat(lastToken(stream).getGaps()).isEmpty();

        setCounter(0);
        assertThat(engine().lastAllocatedPosition()).as("repaired when an engine starts").isEqualTo(6);
        setCounter(0);
        assertThat(engine.repairCounter()).isEqualTo(6);
        assertThat(engine.repairCounter()).as("never moved back, nothing to do").isEqualTo(6);
    }

    @Test
    void writersGoOnWhenTheCounterIsSetBackUnderThem() throws Exception {
        int writers = 3;
        int appendsEach = 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch halfway = new CountDownLatch(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String writer = "w" + w;
            PositionedMongoEventStorageEngine own = engine();
            done.add(pool.submit(() -> {
                for (int a = 0; a < appendsEach; a++) {
                    own.appendEvents(event(writer, 2L * a), event(writer, 2L * a + 1));
                    if (a == appendsEach / 2) {
                        halfway.countDown();
                    }
                }
            }));
        }
        assertThat(halfway.await(1, TimeUnit.MINUTES)).isTrue();
        setCounter(3);
        for (Future<?> writer : done) {
            writer.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();

        PositionedMongoEventStorageEngine reader = engine();
        List<TrackedEventMessage<?>> stream = readFrom(reader, null);
        assertThat(stream).hasSize(writers * appendsEach * 2);
        assertThat(stream.stream().map(TrackedEventMessage::getIdentifier).distinct()).hasSize(stream.size());
        for (int w = 0; w < writers; w++) {
            assertThat(reader.lastSequenceNumberFor("w" + w)).contains(2L * appendsEach - 1);
        }
        assertThat(reader.lastAllocatedPosition()).isGreaterThanOrEqualTo(writers * appendsEach * 2L);
    }

    private void setCounter(long last) {
        store.database().getCollection("event_positions").updateOne(new Document("_id", "events"),
                new Document("$set", new Document("last", last)));
    }

    @Test
    void aRefusedAppendVoidsItsPositionSoThatNobodyWaitsForIt() {
        PositionedMongoEventStorageEngine engine = engine();
        PositionedMongoEventStorageEngine other = engine();
        engine.appendEvents(event("x", 0));
        engine.appendEvents(event("x", 1));
        assertThatThrownBy(() -> other.appendEvents(event("x", 1), event("x", 2))).isInstanceOf(ConcurrencyException.class);
        engine.appendEvents(event("y", 0));

        List<TrackedEventMessage<?>> stream = readFrom(engine, null);
        assertThat(texts(stream)).containsExactly("x#0", "x#1", "y#0");
        assertThat(lastToken(stream).getIndex()).isEqualTo(5);
        assertThat(lastToken(stream).getGaps()).isEmpty();
        assertThat(store.database().getCollection("events").countDocuments(new Document("_id", 3L))).isEqualTo(1);
        assertThat(store.database().getCollection("events").countDocuments(new Document("_id", 4L))).isEqualTo(1);
    }

    /**
     * An insert that was stored although its answer was lost (a dropped connection, a driver's retry refused as a
     * duplicate of itself) is settled by its event identifiers: the append counts as done, and its events are stored
     * once, never a second time at new positions.
     */
    @Test
    void anAppendStoredButAnsweredWithAFailureIsStoredOnceAndReportedDone() {
        java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();
        PositionedMongoEventStorageEngine engine = store.engine().clock(clock).afterInsert((first, count) -> {
            if (lost.getAndIncrement() == 0) {
                throw new com.mongodb.MongoSocketReadException("connection reset after the insert",
                        new com.mongodb.ServerAddress());
            }
        }).build();

        engine.appendEvents(event("x", 0), event("x", 1));
        engine.appendEvents(event("x", 2));

        List<TrackedEventMessage<?>> stream = readFrom(engine, null);
        assertThat(texts(stream)).containsExactly("x#0", "x#1", "x#2");
        assertThat(lastToken(stream).getIndex()).isEqualTo(3);
        assertThat(engine.readEvents("x").asStream().map(m -> ((Noted) m.getPayload()).text()))
                .containsExactly("x#0", "x#1", "x#2");
        assertThat(store.database().getCollection("events").countDocuments()).isEqualTo(3);
    }

    /**
     * An append that stored some of its events and then could not store the rest is never reported as a plain
     * failure, which a caller could retry on a half-applied dossier: its outcome is reported unknown.
     */
    @Test
    void anAppendThatStoredSomeOfItsEventsThenFailedIsReportedUnknown() {
        var events = store.database().getCollection("events");
        PositionedMongoEventStorageEngine engine = store.engine().clock(clock).beforeInsert((first, count) ->
                // another writer takes the last position of every attempt: the first stores one event of two, the
                // next ones nothing
                events.insertOne(EventDocuments.voided(first + count - 1))).build();

        assertThatThrownBy(() -> engine.appendEvents(event("x", 0), event("x", 1)))
                .isInstanceOf(AppendOutcomeUnknownException.class)
                .hasMessageContaining("stored some of its events");
        assertThat(engine.readEvents("x").asStream().map(m -> ((Noted) m.getPayload()).text())).containsExactly("x#0");
    }

    /** An insert that failed before anything was stored is stored at new positions; the old ones are voided. */
    @Test
    void anInsertThatFailedBeforeLandingIsStoredOnceAtNewPositions() {
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        PositionedMongoEventStorageEngine engine = store.engine().clock(clock).beforeInsert((first, count) -> {
            if (failures.getAndIncrement() == 0) {
                throw new com.mongodb.MongoSocketWriteException("connection reset before the insert",
                        new com.mongodb.ServerAddress(), new java.io.IOException("reset"));
            }
        }).build();

        engine.appendEvents(event("x", 0));

        List<TrackedEventMessage<?>> stream = readFrom(engine, null);
        assertThat(texts(stream)).containsExactly("x#0");
        assertThat(lastToken(stream).getIndex()).isEqualTo(2);
        assertThat(lastToken(stream).getGaps()).isEmpty();
        assertThat(store.database().getCollection("events").find(new Document("_id", 1L)).first())
                .containsEntry("void", true);
    }

    /**
     * When the store cannot be asked whether a failed insert landed, the append says so
     * ({@link AppendOutcomeUnknownException}) rather than failing plainly, which a caller could retry into a second
     * copy.
     */
    @Test
    void anAppendWhoseOutcomeTheStoreCannotTellFailsAsUnknown() {
        com.mongodb.client.MongoClient lost = com.mongodb.client.MongoClients.create(
                com.mongodb.MongoClientSettings.builder().applyToClusterSettings(cluster -> cluster.hosts(
                        store.client().getClusterDescription().getServerDescriptions().stream()
                                .map(com.mongodb.connection.ServerDescription::getAddress).toList())).build());
        PositionedMongoEventStorageEngine engine = store.engine().database(lost.getDatabase(store.databaseName()))
                .clock(clock).afterInsert((first, count) -> {
                    lost.close(); // the connection is gone with the insert's answer
                    throw new com.mongodb.MongoSocketReadException("connection reset", new com.mongodb.ServerAddress());
                }).build();

        assertThatThrownBy(() -> engine.appendEvents(event("x", 0)))
                .isInstanceOf(AppendOutcomeUnknownException.class)
                .hasMessageContaining("dossier x from sequence number 0");
        // (it had landed: a retry under the same idempotency key finds it there)
        assertThat(store.database().getCollection("events").countDocuments(new Document("aggregateIdentifier", "x")))
                .isEqualTo(1);
    }

    /**
     * An applicant's personal values are stored apart from the payload, which keeps a commitment to them under the
     * dossier's secret (kept outside the event documents): readers see the applicant as appended; erasure deletes the
     * values and the secret, and leaves the rest of every document as it was.
     */
    @Test
    void personalValuesAreStoredApartBehindACommitmentAndCanBeErased() {
        PositionedMongoEventStorageEngine engine = engine();
        vn.hoso.events.DossierSubmitted submitted = (vn.hoso.events.DossierSubmitted) GoldenSamples.all().get(0).payload();
        String dossier = submitted.dossierId();
        engine.appendEvents(new GenericDomainEventMessage<>("Dossier", dossier, 0, submitted, MetaData.emptyInstance(),
                        UUID.randomUUID().toString(), clock.instant()),
                new GenericDomainEventMessage<>("Dossier", dossier, 1, GoldenSamples.all().get(1).payload(),
                        MetaData.emptyInstance(), UUID.randomUUID().toString(), clock.instant()));

        var events = store.database().getCollection("events");
        Document stored = events.find(new Document("aggregateIdentifier", dossier).append("sequenceNumber", 0L)).first();
        String payload = stored.getString("serializedPayload");
        assertThat(payload).doesNotContain("001089012345", "Nguyễn Văn Dũng", "0912345678", "dung@example.vn", "Phố Huế")
                .contains("\"kind\":\"CITIZEN\"").containsPattern("\"commitment\":\"hmac-sha256:[0-9a-f]{64}\"");
        assertThat(stored.getString("personalData")).contains("001089012345", "Nguyễn Văn Dũng");
        Document key = store.database().getCollection("personal_data_keys").find(new Document("_id", dossier)).first();
        assertThat(key.get("key", org.bson.types.Binary.class).getData()).hasSize(32);
        assertThat(engine.personalDataCommitmentHolds(dossier, 0)).isTrue();
        // readers see the applicant as it was appended
        var read = (vn.hoso.events.DossierSubmitted) engine.readEvents(dossier).asStream().findFirst().orElseThrow()
                .getPayload();
        assertThat(read.applicant()).isEqualTo(submitted.applicant());
        assertThat(read).isEqualTo(submitted);

        // a value altered in the store no longer matches its commitment
        events.updateOne(new Document("_id", stored.get("_id")), new Document("$set", new Document("personalData",
                stored.getString("personalData").replace("001089012345", "001089012346"))));
        assertThat(engine.personalDataCommitmentHolds(dossier, 0)).isFalse();

        Document receivedBefore = events.find(new Document("aggregateIdentifier", dossier).append("sequenceNumber", 1L))
                .first();
        assertThat(engine.erasePersonalData(dossier)).isEqualTo(1);
        Document erased = events.find(new Document("_id", stored.get("_id"))).first();
        assertThat(erased).doesNotContainKey("personalData");
        assertThat(erased.getString("serializedPayload")).isEqualTo(payload); // the commitment stays, hashes hold
        assertThat(store.database().getCollection("personal_data_keys").countDocuments(new Document("_id", dossier)))
                .isZero();
        assertThat(events.find(new Document("_id", receivedBefore.get("_id"))).first()).isEqualTo(receivedBefore);
        var afterErasure = (vn.hoso.events.DossierSubmitted) engine.readEvents(dossier).asStream().findFirst()
                .orElseThrow().getPayload();
        assertThat(afterErasure.applicant().kind()).isEqualTo(submitted.applicant().kind());
        assertThat(afterErasure.applicant().idNumber()).isNull();
        assertThat(afterErasure.applicant().fullName()).isNull();
        assertThat(afterErasure.procedureCode()).isEqualTo(submitted.procedureCode());
        assertThat(engine.personalDataCommitmentHolds(dossier, 0)).isFalse();
    }

    /**
     * Every stored event carries its hash over what is stored and the hash of its dossier's previous event; the chain
     * recomputes from the stored documents alone, and one changed byte breaks it at that event.
     */
    @Test
    void eachEventIsHashedOverWhatIsStoredAndChainedToItsDossiersPreviousEvent() {
        PositionedMongoEventStorageEngine engine = engine();
        engine.appendEvents(event("x", 0), event("x", 1));
        engine.appendEvents(event("y", 0));
        engine.appendEvents(event("x", 2));
        var events = store.database().getCollection("events");
        byte[] previous = EventChain.NONE;
        for (long sequence = 0; sequence <= 2; sequence++) {
            Document stored = events.find(new Document("aggregateIdentifier", "x").append("sequenceNumber", sequence))
                    .first();
            assertThat(stored.getString("previousHash")).as("x#%d's previous hash", sequence)
                    .isEqualTo(EventChain.hex(previous));
            byte[] recomputed = EventChain.hash(stored, previous);
            assertThat(stored.getString("hash")).as("x#%d's hash, recomputed from the store", sequence)
                    .isEqualTo(EventChain.hex(recomputed)).hasSize(64);
            previous = recomputed;
        }
        Document y = events.find(new Document("aggregateIdentifier", "y").append("sequenceNumber", 0L)).first();
        assertThat(y.getString("previousHash")).isEqualTo(EventChain.hex(EventChain.NONE));

        // one byte of x#1's payload changed in the store: its hash no longer recomputes, and x#2 no longer chains to it
        Document middle = events.find(new Document("aggregateIdentifier", "x").append("sequenceNumber", 1L)).first();
        middle.put("serializedPayload", middle.getString("serializedPayload").replace("x#1", "x#7"));
        byte[] first = EventChain.hash(events.find(new Document("aggregateIdentifier", "x").append("sequenceNumber", 0L))
                .first(), EventChain.NONE);
        assertThat(EventChain.hex(EventChain.hash(middle, first))).isNotEqualTo(middle.getString("hash"));
    }

    /** The previous hash comes from the dossier as loaded or last appended here: an append reads nothing for it. */
    @Test
    void anAppendToADossierLoadedHereReadsNothingMoreForItsPreviousHash() {
        PositionedMongoEventStorageEngine writer = engine();
        writer.appendEvents(event("x", 0), event("x", 1));
        PositionedMongoEventStorageEngine other = engine();
        assertThat(other.readEvents("x").asStream().count()).isEqualTo(2);
        store.commands.clear();
        other.appendEvents(event("x", 2));
        other.appendEvents(event("x", 3));
        assertThat(store.commands.stream().filter(command -> command.containsKey("find"))).as("reads by the appends")
                .isEmpty();
        // an engine that never saw the dossier reads its last event once, by key
        PositionedMongoEventStorageEngine cold = engine();
        store.commands.clear();
        cold.appendEvents(event("x", 4));
        assertThat(store.commands.stream().filter(command -> command.containsKey("find"))).hasSize(1);
        Document stored = store.database().getCollection("events")
                .find(new Document("aggregateIdentifier", "x").append("sequenceNumber", 3L)).first();
        assertThat(store.database().getCollection("events").find(new Document("aggregateIdentifier", "x")
                .append("sequenceNumber", 4L)).first().getString("previousHash")).isEqualTo(stored.getString("hash"));
    }

    /** A dossier whose events were stored before hashes: its next event chains to hashes computed from them. */
    @Test
    void eventsStoredBeforeHashesAreChainedFromTheirStoredFields() {
        var events = store.database().getCollection("events");
        PositionedMongoEventStorageEngine engine = engine();
        Document zero = EventDocuments.event(engine.lastAllocatedPosition() + 1000, event("old", 0), TestStore.serializer());
        Document one = EventDocuments.event(engine.lastAllocatedPosition() + 1001, event("old", 1), TestStore.serializer());
        events.insertMany(List.of(zero, one));
        engine.appendEvents(event("old", 2));
        byte[] expected = EventChain.hash(one, EventChain.hash(zero, EventChain.NONE));
        assertThat(events.find(new Document("aggregateIdentifier", "old").append("sequenceNumber", 2L)).first()
                .getString("previousHash")).isEqualTo(EventChain.hex(expected));
    }

    @Test
    void concurrentWritersGetDistinctPositionsAndAReaderSeesEveryEventOnceWithSmallTokens() throws Exception {
        int writers = 4;
        int appendsEach = 125;
        int eventsPerAppend = 10;
        PositionedMongoEventStorageEngine engine = engine();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String writer = "w" + w;
            PositionedMongoEventStorageEngine own = engine();
            done.add(pool.submit(() -> {
                for (int a = 0; a < appendsEach; a++) {
                    List<DomainEventMessage<?>> batch = new ArrayList<>();
                    for (int e = 0; e < eventsPerAppend; e++) {
                        batch.add(event(writer + "-" + a, e));
                    }
                    own.appendEvents(batch);
                }
            }));
        }
        // read while they write, as a processor would: from the last token delivered, poll after poll
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        TrackingToken token = null;
        int largestToken = 0;
        int total = writers * appendsEach * eventsPerAppend;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (seen.size() < total && System.nanoTime() < deadline) {
            for (TrackedEventMessage<?> message : readFrom(engine, token)) {
                if (!seen.add(message.getIdentifier())) {
                    duplicates.add(message.getIdentifier());
                }
                token = message.trackingToken();
                largestToken = Math.max(largestToken, TestStore.serializer().serialize(token, byte[].class).getData().length);
            }
        }
        for (Future<?> writer : done) {
            writer.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();
        seen.addAll(readFrom(engine, token).stream().map(TrackedEventMessage::getIdentifier).toList());
        System.out.printf("concurrent writers: %d events, largest token %d bytes%n", seen.size(), largestToken);
        assertThat(duplicates).isEmpty();
        assertThat(seen).hasSize(total);
        assertThat(store.database().getCollection("events").countDocuments()).isEqualTo(total);
        assertThat(engine.lastAllocatedPosition()).isEqualTo(total);
        assertThat(largestToken).isLessThanOrEqualTo(16 * 1024);
        assertThat(engine.gapTimeouts()).isZero();
    }

    /** An append on a writer of its own that has taken its position and inserts only when released. */
    private final class HeldWriter implements AutoCloseable {
        private final CountDownLatch release = new CountDownLatch(1);
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final Future<?> append;

        HeldWriter(DomainEventMessage<?>... events) throws InterruptedException {
            CountDownLatch allocated = new CountDownLatch(1);
            PositionedMongoEventStorageEngine slow = store.engine().clock(clock).beforeInsert((first, count) -> {
                allocated.countDown();
                awaitQuietly(release); // the first attempt only: a retry at new positions goes through
            }).build();
            append = thread.submit(() -> slow.appendEvents(events));
            assertThat(allocated.await(30, TimeUnit.SECONDS)).isTrue();
        }

        void release() throws Exception {
            release.countDown();
            append.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            release.countDown();
            thread.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
