package vn.hoso.eventstore;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import vn.hoso.deploy.EmulatorProcess;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Not a test: the latency of one command's append (one event to a dossier the engine loaded, as the command side
 * appends), on the embedded MongoDB as the stack runs it (its own process, H2 file, commit after each write), to
 * compare the engine before and after a change to the append path. {@code hoso.bench.appends} (3,000) appends, after
 * 500 of warm-up. Run: {@code ./mvnw -B test -pl shared-events -Dtest=AppendLatencyBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class AppendLatencyBenchmark {

    @Test
    void oneEventAppendedToALoadedDossier() throws Exception {
        int appends = Integer.getInteger("hoso.bench.appends", 3000);
        try (EmulatorProcess emulator = EmulatorProcess.start(Files.createTempDirectory("hoso-append").resolve("m.mv"),
                true, "512m"); MongoClient client = MongoClients.create(emulator.uri())) {
            PositionedMongoEventStorageEngine engine = PositionedMongoEventStorageEngine.builder()
                    .database(client.getDatabase("bench")).eventSerializer(TestStore.serializer())
                    .snapshotSerializer(TestStore.serializer()).build();
            int dossiers = 100;
            long[] next = new long[dossiers];
            for (int d = 0; d < dossiers; d++) {
                append(engine, d, next[d]++);
                engine.readEvents("bench-" + d).asStream().count(); // loaded, as a command loads its dossier
            }
            List<Long> nanos = new ArrayList<>();
            for (int i = 0; i < 500 + appends; i++) {
                int d = i % dossiers;
                long start = System.nanoTime();
                append(engine, d, next[d]++);
                if (i >= 500) {
                    nanos.add(System.nanoTime() - start);
                }
            }
            Collections.sort(nanos);
            System.out.printf("%nappend latency, one event to a loaded dossier, %d appends, %d cores: p50 %.2f ms,"
                            + " p95 %.2f ms, p99 %.2f ms%n", appends, Runtime.getRuntime().availableProcessors(),
                    at(nanos, 0.50), at(nanos, 0.95), at(nanos, 0.99));
        }
    }

    private static void append(PositionedMongoEventStorageEngine engine, int dossier, long sequence) {
        engine.appendEvents(new GenericDomainEventMessage<>("Dossier", "bench-" + dossier, sequence,
                new PositionedMongoEventStorageEngineTest.Noted("x".repeat(600) + sequence), MetaData.with("requestId",
                "req-bench-" + sequence), UUID.randomUUID().toString(), Instant.parse("2026-03-02T02:00:00Z")));
    }

    private static double at(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
}
