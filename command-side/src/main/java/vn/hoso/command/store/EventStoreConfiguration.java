package vn.hoso.command.store;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.mongo.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import vn.hoso.command.dossier.Dossier;
import vn.hoso.command.dossier.Idempotency;
import vn.hoso.web.RequestCorrelation;
import vn.hoso.events.EventJson;
import vn.hoso.events.upcasting.DossierEventUpcasters;
import vn.hoso.eventstore.LegacyEventStore;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;

import java.util.concurrent.TimeUnit;

/**
 * Wires the event store: one document per event at a global position ({@link PositionedMongoEventStorageEngine}), and
 * Jackson (never XStream) for events, snapshots and messages. The serializer has its own mapper ({@link EventJson}), so
 * that HTTP settings (refusing unknown fields) never affect stored events. A store written by the previous engine is
 * migrated when {@code hoso.store.migrate-legacy-events} is set, and refused otherwise.
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
    EventStorageEngine eventStorageEngine(MongoClient client, @Qualifier("eventSerializer") Serializer eventSerializer,
                                          StoreProperties properties, java.time.Clock clock) {
        MongoDatabase database = client.getDatabase(properties.database());
        LegacyEventStore legacy = new LegacyEventStore(database);
        if (properties.migrateLegacyEvents()) {
            legacy.migrateIfNeeded(clock);
        } else {
            legacy.refuseIfUnmigrated("start the command side once with --hoso.store.migrate-legacy-events=true"
                    + " (environment: HOSO_STORE_MIGRATE_LEGACY_EVENTS=true)");
        }
        return PositionedMongoEventStorageEngine.builder()
                .database(database)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(eventSerializer)
                .upcasterChain(DossierEventUpcasters.chain())
                // the time an event is recorded is taken on the clock commands are taken on: a test's fixed clock
                // governs both, so that "reported late" is exact in tests
                .recordOn(clock)
                .build();
    }

    /**
     * Bounds every store operation, so that a store that stopped answering costs a command seconds, not the driver's
     * 30 s of server selection or a read that waits forever: each command is answered within {@code hoso.commands.timeout}
     * anyway ({@link CommandExecution}), and these keep its worker from being held much longer. Timeouts the URI names
     * win.
     */
    /** The sealed log, read by the history and the audit (one instance: it caches the tiles and bundles it reads). */
    @Bean
    vn.hoso.eventstore.SealedLog sealedLog(MongoClient client, StoreProperties properties) {
        return new vn.hoso.eventstore.SealedLog(client.getDatabase(properties.database()));
    }

    @Bean
    MongoClientSettingsBuilderCustomizer storeTimeouts(StoreProperties properties,
                                                       @Value("${spring.data.mongodb.uri:}") String uri) {
        ConnectionString named = uri.isBlank() ? null : new ConnectionString(uri);
        return settings -> {
            if (named == null || named.getConnectTimeout() == null) {
                settings.applyToSocketSettings(socket -> socket.connectTimeout(
                        (int) properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            if (named == null || named.getSocketTimeout() == null) {
                settings.applyToSocketSettings(socket -> socket.readTimeout(
                        (int) properties.socketTimeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            if (named == null || named.getServerSelectionTimeout() == null) {
                settings.applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(
                        properties.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            // writes a failover cannot roll back, unless the URI names its own write concern
            vn.hoso.eventstore.StoreGuarantees.apply(settings, named);
        };
    }

    /** Warm dossiers, bounded; {@code hoso.store.aggregate-cache-size: 0} loads every dossier from the store. */
    @Bean
    Cache dossierCache(StoreProperties properties, MeterRegistry meters, EventStorageEngine eventStorageEngine) {
        if (properties.aggregateCacheSize() <= 0) {
            return NoCache.INSTANCE;
        }
        PositionedMongoEventStorageEngine store = (PositionedMongoEventStorageEngine) eventStorageEngine;
        BoundedAggregateCache cache = new BoundedAggregateCache(properties.aggregateCacheSize(), store::contains);
        FunctionCounter.builder("hoso.aggregate.cache.stale", cache, BoundedAggregateCache::staleEntries)
                .description("warm dossiers found behind the store (changed by another instance) and reloaded")
                .register(meters);
        Gauge.builder("hoso.aggregate.cache.size", cache, BoundedAggregateCache::size)
                .description("dossiers held warm in memory").register(meters);
        Gauge.builder("hoso.aggregate.cache.hit.rate", cache, BoundedAggregateCache::hitRate)
                .description("share of dossier loads served from memory").register(meters);
        return cache;
    }

    /**
     * Carries the HTTP request id and the idempotency key and fingerprint from each command into the metadata of the
     * events it produces: the dossier remembers processed requests from there. (An agency report's number went along
     * until revision 1; the dossier now puts it in the payload of the events it records.)
     */
    @Bean
    CorrelationDataProvider commandMetaDataIntoEvents() {
        return new SimpleCorrelationDataProvider(RequestCorrelation.REQUEST_ID, Idempotency.KEY, Idempotency.FINGERPRINT);
    }
}
