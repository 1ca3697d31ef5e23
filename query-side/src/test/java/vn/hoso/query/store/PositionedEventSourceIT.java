package vn.hoso.query.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.hoso.deploy.EmbeddedMongo;
import vn.hoso.events.EventJson;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The processors' event stream on the store ({@code MONGODB_URI}, or the emulator): every event appended is read once,
 * in order, whether it was there when the stream opened or came while it waited; a waiting reader is woken when the
 * store moves; and the watcher's reading of the position counter stands for the counter, both for a reader asking
 * again and again while nothing is new and for the read of what woke it.
 */
class PositionedEventSourceIT {

    /** A payload of this test's own. */
    public record Noted(String text) {
    }

    private EmbeddedMongo embedded;
    private MongoClient client;
    private final AtomicInteger counterReads = new AtomicInteger();
    private PositionedMongoEventStorageEngine engine;
    private PositionedEventSource source;

    @BeforeEach
    void start() {
        String server = vn.hoso.query.it.TestMongoServer.fromEnvironment();
        if (server == null) {
            embedded = EmbeddedMongo.startInMemory("127.0.0.1", 0);
            server = embedded.connectionString();
        }
        client = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(server))
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        if (event.getCommandName().equals("find")
                                && event.getCommand().getString("find").getValue().equals("event_positions")) {
                            counterReads.incrementAndGet();
                        }
                    }
                }).build());
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(EventJson.mapper()).build();
        engine = PositionedMongoEventStorageEngine.builder()
                .database(client.getDatabase("src_" + UUID.randomUUID().toString().substring(0, 8)))
                .eventSerializer(serializer).snapshotSerializer(serializer).build();
        source = new PositionedEventSource(engine, Duration.ofMillis(20));
    }

    @AfterEach
    void stop() {
        source.close();
        client.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    private void append(String dossier, long from, int count) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (long sequence = from; sequence < from + count; sequence++) {
            events.add(new GenericDomainEventMessage<>("Dossier", dossier, sequence, new Noted(dossier + "#" + sequence),
                    MetaData.emptyInstance(), UUID.randomUUID().toString(), Instant.parse("2030-03-04T03:00:00Z")));
        }
        engine.appendEvents(events);
    }

    private static List<String> drain(BlockingStream<TrackedEventMessage<?>> stream) throws InterruptedException {
        List<String> read = new ArrayList<>();
        while (stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)) {
            read.add(((Noted) stream.nextAvailable().getPayload()).text());
        }
        return read;
    }

    @Test
    void everyEventIsReadOnceAndAnIdleReaderIsAnsweredWithoutReadingTheStoreEachTime() throws Exception {
        append("a", 0, 3);
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
        AtomicInteger wakes = new AtomicInteger();
        stream.setOnAvailableCallback(wakes::incrementAndGet);
        List<String> read = new ArrayList<>(drain(stream));
        assertThat(read).containsExactly("a#0", "a#1", "a#2");

        // idle: a reader asking a thousand times is answered from the watcher's readings of the counter (one a tick);
        // a few reads of its own are allowed, for a tick the machine delayed past the readings' two ticks of trust
        await().atMost(Duration.ofSeconds(5)).until(() -> source.counterReadings() > 0);
        long[] before = {counterReads.get(), source.counterReadings()};
        for (int i = 0; i < 1_000; i++) {
            assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        }
        assertThat(counterReads.get() - before[0]).as("counter reads for 1,000 questions")
                .isLessThanOrEqualTo(source.counterReadings() - before[1] + 3);

        // the store moves: the reader is woken, and reads what came, with the watcher's reading of the counter
        int wakesBefore = wakes.get();
        append("b", 0, 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> wakes.get() > wakesBefore);
        before = new long[]{counterReads.get(), source.counterReadings()};
        read.addAll(drain(stream));
        assertThat(read).hasSize(3 + 2);
        assertThat(counterReads.get() - before[0]).as("counter reads to read what woke the reader")
                .isLessThanOrEqualTo(source.counterReadings() - before[1] + 1);
        // a long catch-up, in order, nothing skipped whatever the reading of the counter said when it began
        append("c", 0, 1_200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            read.addAll(drain(stream));
            assertThat(read).hasSize(3 + 2 + 1_200);
        });
        List<String> expected = new ArrayList<>(List.of("a#0", "a#1", "a#2", "b#0", "b#1"));
        for (int sequence = 0; sequence < 1_200; sequence++) {
            expected.add("c#" + sequence);
        }
        assertThat(read).containsExactlyElementsOf(expected);
        stream.close();
    }
}
