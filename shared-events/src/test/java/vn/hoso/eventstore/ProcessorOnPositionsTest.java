package vn.hoso.eventstore;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Axon's own pooled streaming processor on the engine, as the query side runs it: it sees every event once, stores
 * small tokens, and after a reset sees every event exactly once more.
 */
class ProcessorOnPositionsTest {

    private final TestStore store = new TestStore();
    private final List<Runnable> stops = new ArrayList<>();

    @AfterEach
    void close() {
        stops.forEach(Runnable::run);
        store.close();
    }

    @Test
    void aProcessorSeesEveryEventOnceAndAfterAResetExactlyOnceMore() {
        PositionedMongoEventStorageEngine engine = store.engine().build();
        int dossiers = 300;
        int eventsEach = 8;
        for (int d = 0; d < dossiers; d++) {
            List<DomainEventMessage<?>> history = new ArrayList<>();
            for (int s = 0; s < eventsEach; s++) {
                history.add(new GenericDomainEventMessage<>("Dossier", "d" + d, s,
                        new PositionedMongoEventStorageEngineTest.Noted("d" + d + "#" + s), MetaData.emptyInstance(),
                        UUID.randomUUID().toString(), Instant.now()));
            }
            engine.appendEvents(history);
            if (d % 100 == 50) { // a refused append (voided) and positions a crashed writer never filled (gaps)
                assertThatThrownBy(() -> engine.appendEvents(history.get(eventsEach - 1)))
                        .isInstanceOf(ConcurrencyException.class);
                store.database().getCollection("event_positions").updateOne(new Document("_id", "events"),
                        new Document("$inc", new Document("last", 3L)));
            }
        }
        int total = dossiers * eventsEach;

        EmbeddedEventStore eventStore = EmbeddedEventStore.builder().storageEngine(engine).fetchDelay(50).build();
        stops.add(eventStore::shutDown);
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        EventMessageHandler counter = new EventMessageHandler() {
            @Override
            public Object handle(EventMessage<?> event) {
                seen.computeIfAbsent(event.getIdentifier(), id -> new AtomicInteger()).incrementAndGet();
                return null;
            }
        };
        SizeRecordingTokenStore tokens = new SizeRecordingTokenStore();
        PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
                .name("counter")
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(counter).build())
                .messageSource(eventStore)
                .tokenStore(tokens)
                .transactionManager(NoTransactionManager.INSTANCE)
                .coordinatorExecutor(Executors.newSingleThreadScheduledExecutor())
                .workerExecutor(Executors.newScheduledThreadPool(2))
                .initialSegmentCount(4)
                .batchSize(100)
                .build();
        stops.add(processor::shutDown);

        processor.start();
        await().atMost(Duration.ofMinutes(2)).until(() -> seen.size() == total);
        processor.shutDown();
        assertThat(seen.values()).allMatch(count -> count.get() == 1);

        processor.resetTokens();
        processor.start();
        await().atMost(Duration.ofMinutes(2)).until(() -> seen.values().stream().allMatch(count -> count.get() >= 2));
        await().atMost(Duration.ofMinutes(1)).until(() -> processor.processingStatus().size() == 4
                && processor.processingStatus().values().stream().allMatch(s -> s.isCaughtUp()));
        processor.shutDown();
        assertThat(seen).hasSize(total);
        assertThat(seen.values()).allMatch(count -> count.get() == 2);
        System.out.printf("processor: %d events, each seen once and once more after a reset; largest stored token %d bytes%n",
                total, tokens.largest);
        assertThat(tokens.largest).isPositive().isLessThanOrEqualTo(16 * 1024);
        assertThat(engine.gapTimeouts()).isZero();
    }

    /** Keeps tokens in memory and records the size of the largest one stored, serialized as the query side stores it. */
    private static final class SizeRecordingTokenStore extends InMemoryTokenStore {
        private volatile int largest;

        @Override
        public void storeToken(TrackingToken token, String processorName, int segment) {
            if (token != null) {
                largest = Math.max(largest, TestStore.serializer().serialize(token, byte[].class).getData().length);
            }
            super.storeToken(token, processorName, segment);
        }
    }
}
