package vn.hoso.deploy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: prints what committing the H2 store after each write costs, per write, for one client and for four,
 * with event-sized documents (about 1 KB). Run with {@code ./mvnw -B test -pl deploy -Dtest=WriteCostBenchmark}.
 */
class WriteCostBenchmark {

    private static final int WRITES = 3_000;

    @Test
    void costOfCommittingEachWrite() throws Exception {
        System.out.printf("%n%-24s %-8s %-12s %-12s%n", "commit after each write", "clients", "writes/s", "µs/write");
        for (int clients : new int[]{1, 4}) {
            for (boolean commit : new boolean[]{false, true}) {
                double perSecond = run(commit, clients);
                System.out.printf("%-24s %-8d %-12.0f %-12.1f%n", commit ? "on" : "off", clients, perSecond,
                        1e6 / perSecond);
            }
        }
    }

    private static double run(boolean commit, int clients) throws Exception {
        Path file = Files.createTempDirectory("hoso-write-cost").resolve("mongo.mv");
        try (EmbeddedMongo mongo = EmbeddedMongo.startPersistent(file, "127.0.0.1", 0, commit);
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> events = client.getDatabase("bench").getCollection("domainevents");
            events.insertOne(event(-1)); // warm up the connection pool and the collection
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int offset = c * WRITES;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < WRITES / clients; i++) {
                        events.insertOne(event(offset + i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            return (WRITES / clients * clients) / seconds;
        }
    }

    private static Document event(int i) {
        return new Document("aggregateIdentifier", "dossier-" + i).append("sequenceNumber", 0L)
                .append("type", "Dossier").append("eventIdentifier", "event-" + i)
                .append("payloadType", "vn.hoso.events.ProcessingStepCompleted").append("payloadRevision", "1")
                .append("timestamp", "2026-11-23T06:00:00.000Z")
                .append("serializedPayload", "x".repeat(900)).append("serializedMetaData", "{}");
    }
}
