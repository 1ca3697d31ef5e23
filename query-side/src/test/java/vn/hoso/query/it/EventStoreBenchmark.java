package vn.hoso.query.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.DocumentPerEventStorageStrategy;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntryConfiguration;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import vn.hoso.deploy.EmulatorProcess;
import vn.hoso.events.Actor;
import vn.hoso.events.ActorRole;
import vn.hoso.events.DossierStatus;
import vn.hoso.events.EventJson;
import vn.hoso.events.ProcessingStepCompleted;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * Not a test: prints what the event store costs as it grows to 10,000, 100,000 and 1,000,000 events, on the MongoDB
 * emulator run as the stack runs it (its own process, H2 file, commit after each write), for the positioned engine and
 * for the engine before it (axon-mongo's {@code MongoEventStorageEngine} with a 10 s look-back, as commit 0214dd0 ran
 * it). Figures: the tracking read of one batch of 100 events from a random point, a cold load of a random dossier
 * (10 events), a per-dossier read-model write (a timeline read and replaced by {@code _id}), and a new processor's
 * catch-up rate from the start of the stream with the largest token it would store. Each figure is capped at
 * {@code hoso.bench.cap} (5 minutes) and marked {@code capped} where the cap cut it short. Events are stamped 100 ms
 * apart (10 events a second). Run it with
 * {@code ./mvnw -B verify -pl query-side -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=EventStoreBenchmark} (system properties {@code hoso.bench.sizes}, {@code hoso.bench.engines},
 * {@code hoso.bench.cap}, {@code hoso.bench.mongoHeap} change the defaults); the table is also written to
 * {@code query-side/target/event-store-benchmark.txt}.
 */
class EventStoreBenchmark {

    private static final int EVENTS_PER_DOSSIER = 10;
    private static final int BATCH = 100;
    private static final int SAMPLES = 40;
    private static final int CATCH_UP_EVENTS = 50_000;
    private static final Instant BASE = Instant.parse("2026-01-05T01:00:00Z");
    private static final Actor OFFICER = new Actor(ActorRole.OFFICER, "officer-bench", "000.00.01.H22");
    private static final Serializer SERIALIZER = JacksonSerializer.builder().objectMapper(EventJson.mapper()).build();

    private final Duration cap = Duration.parse(System.getProperty("hoso.bench.cap", "PT5M"));
    private final Random random = new Random(7);
    private final Path report = Path.of("target", "event-store-benchmark.txt");

    @Test
    void costsAsTheStoreGrows() throws Exception {
        List<Integer> sizes = Stream.of(System.getProperty("hoso.bench.sizes", "10000,100000,1000000").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        List<String> engines = List.of(System.getProperty("hoso.bench.engines", "positioned,axon-mongo").split(","));
        print("%nevent store benchmark, %d cores, emulator heap %s, cap %s per figure%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("hoso.bench.mongoHeap", "1g"), cap);
        print("%-11s %9s | %-22s | %-22s | %-15s | %-26s | %s%n", "engine", "events", "tracking batch p50/p95 ms",
                "cold load p50/p95 ms", "rm write p50 ms", "catch-up events/s", "largest token B");
        for (String engine : engines) {
            run(engine.trim(), sizes);
        }
    }

    private void run(String engineName, List<Integer> sizes) throws Exception {
        Path file = Files.createTempDirectory("hoso-bench").resolve("mongo.mv");
        try (EmulatorProcess emulator = EmulatorProcess.start(file, true,
                System.getProperty("hoso.bench.mongoHeap", "1g"));
             MongoClient client = MongoClients.create(emulator.uri())) {
            MongoDatabase database = client.getDatabase("bench");
            EventStorageEngine engine = engine(engineName, client, database);
            MongoCollection<Document> timelines = database.getCollection("timelines");
            int stored = 0;
            for (int size : sizes) {
                long fillStart = System.nanoTime();
                for (; stored < size; stored += BATCH) {
                    engine.appendEvents(events(stored));
                    if ((stored / BATCH) % 10 == 9) {
                        timelines.insertMany(timelineDocuments(stored - 9 * BATCH, stored + BATCH));
                    }
                }
                double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
                int events = stored;
                Figure tracking = sample(i -> {
                    int from = random.nextInt(Math.max(1, events - BATCH));
                    TrackingToken token = tokenBefore(engine, engineName, from);
                    long start = System.nanoTime();
                    Iterator<? extends TrackedEventMessage<?>> stream = engine.readEvents(token, false).iterator();
                    for (int read = 0; read < BATCH && stream.hasNext(); read++) {
                        stream.next();
                    }
                    return System.nanoTime() - start;
                });
                Figure load = sample(i -> {
                    String dossier = dossierId(random.nextInt(events / EVENTS_PER_DOSSIER));
                    long start = System.nanoTime();
                    long count = engine.readEvents(dossier).asStream().count();
                    long took = System.nanoTime() - start;
                    if (count != EVENTS_PER_DOSSIER) {
                        throw new IllegalStateException(dossier + " loaded " + count + " events");
                    }
                    return took;
                });
                Figure write = sample(i -> {
                    String dossier = dossierId(random.nextInt(events / EVENTS_PER_DOSSIER));
                    long start = System.nanoTime();
                    Document timeline = timelines.find(new Document("_id", dossier)).first();
                    if (timeline == null) {
                        throw new IllegalStateException("no timeline " + dossier);
                    }
                    timeline.put("lastSequence", timeline.get("lastSequence", Number.class).longValue() + 1);
                    timelines.replaceOne(new Document("_id", dossier), timeline, new ReplaceOptions().upsert(true));
                    return System.nanoTime() - start;
                });
                CatchUp catchUp = catchUp(engine, events);
                print("%-11s %9d | %9.1f / %-9.1f%s | %9.1f / %-9.1f%s | %-9.2f%s | %8.0f (%d in %.0f s)%s | %d%n", engineName,
                        events, tracking.p50(), tracking.p95(), tracking.mark(), load.p50(), load.p95(), load.mark(),
                        write.p50(), write.mark(), catchUp.rate(), catchUp.events, catchUp.seconds,
                        catchUp.capped ? " capped" : "", catchUp.largestToken);
                print("%-11s %9s   (filled %d events in %.0f s: %.0f events/s appended)%n", "", "", events, fillSeconds,
                        (events - (sizes.indexOf(size) == 0 ? 0 : sizes.get(sizes.indexOf(size) - 1))) / fillSeconds);
            }
        }
    }

    private static EventStorageEngine engine(String name, MongoClient client, MongoDatabase database) {
        return switch (name) {
            case "positioned" -> PositionedMongoEventStorageEngine.builder().database(database)
                    .eventSerializer(SERIALIZER).snapshotSerializer(SERIALIZER).build();
            case "axon-mongo" -> MongoEventStorageEngine.builder()
                    .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(client, database.getName()).build())
                    .eventSerializer(SERIALIZER).snapshotSerializer(SERIALIZER)
                    .storageStrategy(new DocumentPerEventStorageStrategy(EventEntryConfiguration.getDefault(),
                            Duration.ofSeconds(10)))
                    .build();
            default -> throw new IllegalArgumentException("engine " + name + ": positioned or axon-mongo");
        };
    }

    /** A token just before the {@code index}-th event appended (positions start at 1; timestamps are 100 ms apart). */
    private static TrackingToken tokenBefore(EventStorageEngine engine, String engineName, int index) {
        return engineName.equals("positioned") ? GapAwareTrackingToken.newInstance(index, List.of())
                : engine.createTokenAt(timestamp(index));
    }

    private CatchUp catchUp(EventStorageEngine engine, int events) {
        CatchUp result = new CatchUp();
        long start = System.nanoTime();
        long deadline = start + cap.toNanos();
        Iterator<? extends TrackedEventMessage<?>> stream = engine.readEvents(null, false).iterator();
        int target = Math.min(events, CATCH_UP_EVENTS);
        while (result.events < target && stream.hasNext()) {
            TrackedEventMessage<?> message = stream.next();
            result.events++;
            if (result.events % BATCH == 0 || result.events == target) { // the token a processor stores per batch
                result.largestToken = Math.max(result.largestToken,
                        SERIALIZER.serialize(message.trackingToken(), byte[].class).getData().length);
            }
            if (System.nanoTime() > deadline) {
                result.capped = true;
                break;
            }
        }
        result.seconds = (System.nanoTime() - start) / 1e9;
        return result;
    }

    private Figure sample(LongFunction<Long> measurement) {
        List<Double> millis = new ArrayList<>();
        long deadline = System.nanoTime() + cap.toNanos();
        boolean capped = false;
        for (int i = 0; i < SAMPLES; i++) {
            if (System.nanoTime() > deadline) {
                capped = true;
                break;
            }
            millis.add(measurement.apply(i) / 1e6);
        }
        Collections.sort(millis);
        return new Figure(millis, capped);
    }

    private static List<DomainEventMessage<?>> events(int from) {
        List<DomainEventMessage<?>> batch = new ArrayList<>(BATCH);
        for (int index = from; index < from + BATCH; index++) {
            String dossier = dossierId(index / EVENTS_PER_DOSSIER);
            batch.add(new GenericDomainEventMessage<>("Dossier", dossier, index % EVENTS_PER_DOSSIER,
                    new ProcessingStepCompleted(dossier, "Phòng một cửa", "Bước " + index % EVENTS_PER_DOSSIER,
                            null, timestamp(index), OFFICER, DossierStatus.PROCESSING),
                    MetaData.with("workingMinutesInStage", 30), UUID.randomUUID().toString(), timestamp(index)));
        }
        return batch;
    }

    private static List<Document> timelineDocuments(int fromEvent, int toEvent) {
        List<Document> documents = new ArrayList<>();
        for (int dossier = fromEvent / EVENTS_PER_DOSSIER; dossier < toEvent / EVENTS_PER_DOSSIER; dossier++) {
            List<Document> steps = new ArrayList<>();
            for (int s = 0; s < EVENTS_PER_DOSSIER; s++) {
                steps.add(new Document("sequence", s).append("labelVi", "Hoàn thành bước " + s)
                        .append("labelEn", "Step completed " + s).append("at", timestamp(dossier * 10 + s).toString()));
            }
            documents.add(new Document("_id", dossierId(dossier)).append("lastSequence", (long) EVENTS_PER_DOSSIER - 1)
                    .append("steps", steps));
        }
        return documents;
    }

    private static String dossierId(int dossier) {
        return new UUID(0x5EED, dossier).toString();
    }

    private static Instant timestamp(int index) {
        return BASE.plusMillis(100L * index);
    }

    private void print(String format, Object... arguments) throws IOException {
        String line = String.format(format, arguments);
        System.out.print(line);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private record Figure(List<Double> millis, boolean capped) {
        double p50() {
            return percentile(0.50);
        }

        double p95() {
            return percentile(0.95);
        }

        String mark() {
            return capped ? " capped, n=" + millis.size() : "";
        }

        private double percentile(double p) {
            if (millis.isEmpty()) {
                return Double.NaN;
            }
            return millis.get(Math.min(millis.size() - 1, (int) Math.ceil(p * millis.size()) - 1));
        }
    }

    private static final class CatchUp {
        int events;
        double seconds;
        boolean capped;
        int largestToken;

        double rate() {
            return events / Math.max(seconds, 1e-9);
        }
    }
}
