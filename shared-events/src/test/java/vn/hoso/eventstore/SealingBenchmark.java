package vn.hoso.eventstore;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import vn.hoso.deploy.EmulatorProcess;
import vn.hoso.tlog.SignedNote;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Not a test: the sealing rate against the store's raw read rate, on the embedded MongoDB as the stack runs it (its own
 * process, H2 file, commit after each write). For each size in {@code hoso.bench.events} (100000), a store of that many
 * events (10,000 dossiers, about 900 bytes each, written straight as documents with their chain) is read whole the way
 * the sealer reads it ({@code _id $in} windows of 500: the raw read rate), then sealed from scratch, then verified
 * whole. Run: {@code ./mvnw -B test -pl shared-events -Dtest=SealingBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dhoso.bench.events=100000,1000000}.
 */
class SealingBenchmark {

    private static final int WINDOW = Integer.getInteger("hoso.bench.window", 1000);

    @Test
    void sealingAndVerifyingAgainstTheRawReadRate() throws Exception {
        System.out.printf("%nsealing benchmark, %d cores, emulator process (H2 file, commit after each write)%n",
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%10s | %14s | %14s | %7s | %14s | %7s | %s%n", "events", "raw read ev/s", "sealing ev/s",
                "ratio", "verify-all ev/s", "ratio", "one dossier's bundle: events, export ms, offline verify ms (p50)");
        for (String size : System.getProperty("hoso.bench.events", "100000").split(",")) {
            run(Integer.parseInt(size.trim()));
        }
    }

    private void run(int events) throws Exception {
        try (EmulatorProcess emulator = EmulatorProcess.start(Files.createTempDirectory("hoso-seal").resolve("m.mv"),
                true, "3g"); MongoClient client = MongoClients.create(emulator.uri())) {
            MongoDatabase database = client.getDatabase("bench");
            PositionedMongoEventStorageEngine engine = PositionedMongoEventStorageEngine.builder().database(database)
                    .eventSerializer(TestStore.serializer()).snapshotSerializer(TestStore.serializer()).build();
            fill(database, events);

            long start = System.nanoTime();
            long read = 0;
            for (long from = 1; from <= events; from += WINDOW) {
                List<Long> window = new ArrayList<>();
                for (long p = from; p < from + WINDOW && p <= events; p++) {
                    window.add(p);
                }
                read += engine.read(window).size();
            }
            double rawRate = read / ((System.nanoTime() - start) / 1e9);

            SignedNote.SignerKey key = SignedNote.SignerKey.generate("bench/log", new SecureRandom());
            SealedLog log = new SealedLog(database);
            LogSealer sealer = new LogSealer(engine, log, new LogSealer.Settings(key, Duration.ofSeconds(5), 100_000,
                    WINDOW), Clock.systemUTC());
            start = System.nanoTime();
            while (sealer.sealNext() > 0) {
                sealer.checkpointIfDue();
            }
            double sealRate = log.size() / ((System.nanoTime() - start) / 1e9);
            // a checkpoint of everything sealed, so that the bundle below is proven whole
            new LogSealer(engine, log, new LogSealer.Settings(key, Duration.ZERO, 1, WINDOW), Clock.systemUTC())
                    .checkpointIfDue();
            if (log.size() != events) {
                throw new AssertionError("sealed " + log.size() + " of " + events);
            }

            LogVerifier verifier = new LogVerifier(engine, log, List.of(key.verifier()));
            start = System.nanoTime();
            LogVerifier.Report report = verifier.verifyAll(null, (d, t) -> { });
            double verifyRate = events / ((System.nanoTime() - start) / 1e9);
            if (!report.ok()) {
                throw new AssertionError(report.firstBroken().toString());
            }
            // one dossier's evidence bundle: exported, then verified offline (in this JVM: JVM start excluded)
            String dossier = "bench-1";
            List<Long> exports = new ArrayList<>();
            List<Long> checks = new ArrayList<>();
            String bundle = null;
            for (int i = 0; i < 25; i++) {
                long t0 = System.nanoTime();
                bundle = Evidence.dossierBundle(engine, log, dossier, null, List.of(key.verifier())).orElseThrow();
                long t1 = System.nanoTime();
                Evidence.Verdict verdict = Evidence.verify(bundle, key.verifier(), null);
                long t2 = System.nanoTime();
                if (!verdict.ok()) {
                    throw new AssertionError(verdict.line());
                }
                if (i >= 5) { // after warm-up
                    exports.add(t1 - t0);
                    checks.add(t2 - t1);
                }
            }
            java.util.Collections.sort(exports);
            java.util.Collections.sort(checks);
            long bundleEvents = Evidence.verify(bundle, key.verifier(), null).checkedEvents();
            System.out.printf("%10d | %14.0f | %14.0f | %6.0f%% | %14.0f | %6.0f%% | %d events, %.1f ms, %.1f ms%n",
                    events, rawRate, sealRate, 100 * sealRate / rawRate, verifyRate, 100 * verifyRate / rawRate,
                    bundleEvents, exports.get(exports.size() / 2) / 1e6, checks.get(checks.size() / 2) / 1e6);
        }
    }

    /** Writes the events as the engine stores them (chained), in batches of 1,000, and moves the position counter. */
    private static void fill(MongoDatabase database, int events) {
        MongoCollection<Document> collection = database.getCollection("events");
        Map<String, byte[]> heads = new HashMap<>();
        Map<String, Long> sequences = new HashMap<>();
        List<Document> batch = new ArrayList<>();
        String payload = "{\"text\":\"" + "x".repeat(600) + "\"}";
        for (long position = 1; position <= events; position++) {
            String dossier = "bench-" + (position % 10_000);
            long sequence = sequences.merge(dossier, 1L, Long::sum) - 1;
            Document document = new Document("_id", position).append("aggregateIdentifier", dossier)
                    .append("sequenceNumber", sequence).append("type", "Dossier")
                    .append("eventIdentifier", UUID.randomUUID().toString())
                    .append("timestamp", Instant.parse("2026-03-02T02:00:00Z").plusSeconds(position).toString())
                    .append("payloadType", "vn.hoso.events.Bench").append("payloadRevision", "2")
                    .append("serializedPayload", payload).append("serializedMetaData", "{\"requestId\":\"r\"}");
            heads.put(dossier, EventChain.stamp(document, heads.getOrDefault(dossier, EventChain.NONE)));
            batch.add(document);
            if (batch.size() == 1000) {
                collection.insertMany(batch, new InsertManyOptions().ordered(false));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            collection.insertMany(batch);
        }
        database.getCollection("event_positions").updateOne(new Document("_id", "events"),
                new Document("$max", new Document("last", (long) events)));
    }
}
