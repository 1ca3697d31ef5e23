package vn.hoso.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.DocumentPerEventStorageStrategy;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntryConfiguration;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A store and tracking tokens written the way the engine before positions (axon-mongo's) wrote them. */
class LegacyEventStoreTest {

    private final TestStore store = new TestStore();
    private final Instant base = Instant.parse("2026-03-02T02:00:00Z");

    @AfterEach
    void close() {
        store.close();
    }

    private DomainEventMessage<PositionedMongoEventStorageEngineTest.Noted> event(String dossier, long sequence,
                                                                                    long secondsAfterBase) {
        return new GenericDomainEventMessage<>("Dossier", dossier, sequence,
                new PositionedMongoEventStorageEngineTest.Noted(dossier + "#" + sequence), MetaData.emptyInstance(),
                UUID.randomUUID().toString(), base.plusSeconds(secondsAfterBase));
    }

    @Test
    void anOldStoreIsRefusedUntilMigratedThenReadInTimestampOrderWithItsOldTokensGone() {
        MongoTemplate template = DefaultMongoTemplate.builder().mongoDatabase(store.client(), store.databaseName()).build();
        EventStorageEngine old = MongoEventStorageEngine.builder().mongoTemplate(template)
                .eventSerializer(TestStore.serializer()).snapshotSerializer(TestStore.serializer())
                .storageStrategy(new DocumentPerEventStorageStrategy(EventEntryConfiguration.getDefault(),
                        Duration.ofSeconds(10)))
                .build();
        // appended in an order other than their timestamps, as concurrent writers would
        old.appendEvents(event("b", 0, 5), event("b", 1, 9));
        old.appendEvents(event("a", 0, 1), event("a", 1, 7));
        old.appendEvents(event("c", 0, 5));
        TokenStore tokens = MongoTokenStore.builder().mongoTemplate(template).serializer(TestStore.serializer()).build();
        tokens.initializeTokenSegments("search-index", 2, old.createHeadToken());

        LegacyEventStore legacy = new LegacyEventStore(store.database());
        assertThat(legacy.needsMigration()).isTrue();
        assertThatThrownBy(() -> legacy.refuseIfUnmigrated("run the command side once with X"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("run the command side once with X");

        assertThat(legacy.migrateIfNeeded(java.time.Clock.systemUTC())).isEqualTo(5);
        assertThat(legacy.needsMigration()).isFalse();
        legacy.refuseIfUnmigrated("not needed");
        assertThat(legacy.migrateIfNeeded(java.time.Clock.systemUTC())).isZero();
        assertThat(tokens.fetchSegments("search-index")).isEmpty();

        PositionedMongoEventStorageEngine engine = store.engine().build();
        List<TrackedEventMessage<?>> stream = engine.readEvents(null, false).<TrackedEventMessage<?>>map(m -> m).toList();
        assertThat(stream.stream().map(m -> m.getPayload().toString()))
                .containsExactly("Noted[text=a#0]", "Noted[text=b#0]", "Noted[text=c#0]", "Noted[text=a#1]",
                        "Noted[text=b#1]");
        assertThat(engine.readEvents("b").asStream().map(DomainEventMessage::getSequenceNumber)).containsExactly(0L, 1L);
        engine.appendEvents(event("a", 2, 20));
        assertThat(engine.lastAllocatedPosition()).isEqualTo(6);
        assertThat(engine.readEvents(stream.get(4).trackingToken(), false).map(m -> m.getPayload().toString()))
                .containsExactly("Noted[text=a#2]");
    }
}
