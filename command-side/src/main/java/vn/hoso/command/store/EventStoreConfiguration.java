package vn.hoso.command.store;

import com.mongodb.client.MongoClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.DocumentPerEventStorageStrategy;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntryConfiguration;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import vn.hoso.command.dossier.Dossier;
import vn.hoso.command.dossier.Idempotency;
import vn.hoso.command.web.RequestCorrelation;
import vn.hoso.events.EventJson;

/**
 * Wires the MongoDB event store by hand (only the core axon-mongo jar exists): one document per event, the
 * look-back window set explicitly, and Jackson (never XStream) for events, snapshots and messages. The serializer
 * has its own mapper ({@link EventJson}), so that HTTP settings (refusing unknown fields) never affect stored events.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    private static Serializer jackson() {
        return JacksonSerializer.builder().objectMapper(EventJson.mapper()).build();
    }

    @Bean
    @Primary
    Serializer serializer() {
        return jackson();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer() {
        return jackson();
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer() {
        return jackson();
    }

    @Bean
    MongoTemplate axonMongoTemplate(MongoClient client, StoreProperties properties) {
        return DefaultMongoTemplate.builder().mongoDatabase(client, properties.database()).build();
    }

    @Bean
    EventStorageEngine eventStorageEngine(MongoTemplate axonMongoTemplate,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          StoreProperties properties) {
        return MongoEventStorageEngine.builder()
                .mongoTemplate(axonMongoTemplate)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(eventSerializer)
                .storageStrategy(new DocumentPerEventStorageStrategy(EventEntryConfiguration.getDefault(),
                        properties.lookBackTime()))
                .build();
    }

    /** Warm dossiers, bounded; {@code hoso.store.aggregate-cache-size: 0} loads every dossier from the store. */
    @Bean
    Cache dossierCache(StoreProperties properties, MeterRegistry meters) {
        if (properties.aggregateCacheSize() <= 0) {
            return NoCache.INSTANCE;
        }
        BoundedAggregateCache cache = new BoundedAggregateCache(properties.aggregateCacheSize());
        Gauge.builder("hoso.aggregate.cache.size", cache, BoundedAggregateCache::size)
                .description("dossiers held warm in memory").register(meters);
        Gauge.builder("hoso.aggregate.cache.hit.rate", cache, BoundedAggregateCache::hitRate)
                .description("share of dossier loads served from memory").register(meters);
        return cache;
    }

    /**
     * Carries the HTTP request id and the idempotency key and fingerprint from each command into the metadata of the
     * events it produces: the dossier remembers processed requests from there.
     */
    @Bean
    CorrelationDataProvider commandMetaDataIntoEvents() {
        return new SimpleCorrelationDataProvider(RequestCorrelation.REQUEST_ID, Idempotency.KEY, Idempotency.FINGERPRINT,
                Dossier.SYNC_SEQUENCE);
    }
}
