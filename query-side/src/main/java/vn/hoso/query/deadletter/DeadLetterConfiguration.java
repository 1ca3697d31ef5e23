package vn.hoso.query.deadletter;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventhandling.deadletter.MongoSequencedDeadLetterQueue;
import vn.hoso.events.upcasting.DossierEventUpcasters;
import org.axonframework.serialization.Serializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.hoso.query.search.SearchIndexProjection;
import vn.hoso.query.timeline.TimelineProjection;

/**
 * Every processing group gets a dead-letter queue in MongoDB, sequenced by dossier (Axon's default policy for
 * aggregate events: one sequence per aggregate identifier), and each read model's batching interceptor
 * ({@link vn.hoso.query.store.BatchedProjection}), which reads and writes a batch's entries outside the dead-lettering
 * invoker, so that an unavailable store fails the batch instead of parking dossiers.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    @Bean
    ConfigurerModule deadLettersAndBatching(MongoTemplate axonMongoTemplate, Serializer serializer,
                                            DeadLetterProperties properties, SearchIndexProjection search,
                                            TimelineProjection timelines) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDeadLetterQueueProvider(group -> c -> new KnownParkedQueue(
                        MongoSequencedDeadLetterQueue.builder()
                                .processingGroup(group)
                                .mongoTemplate(axonMongoTemplate)
                                .serializer(serializer)
                                .clearConverters()
                                .addConverter(new UpcastingDeadLetterConverter(DossierEventUpcasters.chain()))
                                .transactionManager(NoTransactionManager.INSTANCE)
                                .maxSequences(properties.maxDossiers())
                                .maxSequenceSize(properties.maxEventsPerDossier())
                                .build(),
                        properties.refresh()))
                .registerHandlerInterceptor(SearchIndexProjection.GROUP, c -> search.projection().interceptor())
                .registerHandlerInterceptor(TimelineProjection.GROUP, c -> timelines.projection().interceptor()));
    }
}
