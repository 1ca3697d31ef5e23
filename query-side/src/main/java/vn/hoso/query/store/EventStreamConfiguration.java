package vn.hoso.query.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import vn.hoso.events.EventJson;
import vn.hoso.eventstore.LegacyEventStore;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;
import vn.hoso.events.upcasting.DossierEventUpcasters;

import java.util.concurrent.TimeUnit;

/**
 * Reads the command side's events by global position ({@link PositionedMongoEventStorageEngine}, gap-aware tokens),
 * polls for new ones every {@code hoso.store.poll-interval}, keeps tracking tokens in MongoDB, and makes every
 * projection's failures propagate: Axon's default would log a failing event and move on, which would silently lose it
 * from a read model (an Elasticsearch outage, say). With the propagating handler the batch fails, the processor backs
 * off and retries it from the last stored token.
 */
@Configuration(proxyBeanMethods = false)
class EventStreamConfiguration {

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

    /** Writes a failover cannot roll back (read models, tokens, the sealed log), unless the URI names its own. */
    @Bean
    org.springframework.boot.autoconfigure.mongo.MongoClientSettingsBuilderCustomizer storeGuarantees(
            @org.springframework.beans.factory.annotation.Value("${spring.data.mongodb.uri:}") String uri) {
        com.mongodb.ConnectionString named = uri.isBlank() ? null : new com.mongodb.ConnectionString(uri);
        return settings -> vn.hoso.eventstore.StoreGuarantees.apply(settings, named);
    }

    @Bean
    MongoDatabase readModelDatabase(MongoClient client, StoreProperties properties) {
        return client.getDatabase(properties.database());
    }

    @Bean
    MongoTemplate axonMongoTemplate(MongoClient client, StoreProperties properties) {
        return DefaultMongoTemplate.builder().mongoDatabase(client, properties.database()).build();
    }

    @Bean
    PositionedMongoEventStorageEngine eventStorageEngine(MongoDatabase readModelDatabase,
                                                         @Qualifier("eventSerializer") Serializer eventSerializer,
                                                         StoreProperties properties, MeterRegistry meters) {
        new LegacyEventStore(readModelDatabase).refuseIfUnmigrated("start the command side once with"
                + " --hoso.store.migrate-legacy-events=true; it also removes this side's old tracking tokens, so that"
                + " every read model reads the whole stream again");
        PositionedMongoEventStorageEngine engine = PositionedMongoEventStorageEngine.builder()
                .database(readModelDatabase)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(eventSerializer)
                .gapTimeout(properties.gapTimeout())
                .upcasterChain(DossierEventUpcasters.chain())
                .build();
        FunctionCounter.builder("hoso.events.gap.timeouts", engine, PositionedMongoEventStorageEngine::gapTimeouts)
                .description("event positions given up after the gap timeout: their events may be missing from the"
                        + " read models until a repair").register(meters);
        Gauge.builder("hoso.events.position.allocated", engine, PositionedMongoEventStorageEngine::lastAllocatedPosition)
                .description("the last global event position handed out by the event store").register(meters);
        return engine;
    }

    /** Axon's event store on the engine, polling the store every {@code hoso.store.poll-interval} when idle. */
    @Bean
    EmbeddedEventStore eventStore(PositionedMongoEventStorageEngine engine,
                                  org.axonframework.config.Configuration configuration, StoreProperties properties) {
        return EmbeddedEventStore.builder()
                .storageEngine(engine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(properties.pollInterval().toMillis())
                .timeUnit(TimeUnit.MILLISECONDS)
                .build();
    }

    /** What the processors read (named as their {@code source} in query-side.yml): it wakes them when events arrive. */
    @Bean(destroyMethod = "close")
    PositionedEventSource positionedEventSource(PositionedMongoEventStorageEngine engine, StoreProperties properties) {
        return new PositionedEventSource(engine, properties.pollInterval());
    }

    @Bean
    TokenStore tokenStore(MongoTemplate axonMongoTemplate, Serializer serializer, ProcessorProperties properties) {
        return MongoTokenStore.builder().mongoTemplate(axonMongoTemplate).serializer(serializer)
                .claimTimeout(properties.claimTimeout()).build();
    }

    /** Each instance's share of every processor's segments. */
    @Bean
    SegmentShare segmentShare(MongoDatabase readModelDatabase, ProcessorProperties properties, TokenStore tokenStore,
                              ObjectProvider<EventProcessingConfiguration> processing, MeterRegistry meters,
                              ProcessorGates gates) {
        return new SegmentShare(readModelDatabase, properties, tokenStore, processing, meters, gates);
    }

    @Bean
    ConfigurerModule shareSegments(SegmentShare share) {
        return share.configurerModule();
    }

    /** A failing handler fails its batch; the processor retries it with back-off instead of skipping the event. */
    @Bean
    ConfigurerModule propagateProjectionFailures() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance())
                .registerDefaultErrorHandler(c -> PropagatingErrorHandler.instance()));
    }
}
