package vn.hoso.query.deadletter;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventhandling.deadletter.MongoSequencedDeadLetterQueue;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.hoso.deploy.EmbeddedMongo;
import vn.hoso.events.EventJson;
import vn.hoso.events.ResultIssued;
import vn.hoso.events.upcasting.DossierEventUpcasters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A letter parked before revision 2 (its event stored in revision 1, the measured facts in its metadata) is retried
 * after the change as the current revision: the real dead-letter queue on MongoDB (the server {@code MONGODB_URI}
 * names, else the emulator), with the converter the query side wires, reads the stored revision-1 document of the
 * golden corpus through the upcaster chain.
 */
class RevisionOneLetterTest {

    private final EmbeddedMongo embedded = System.getenv("MONGODB_URI") == null
            ? EmbeddedMongo.startInMemory("127.0.0.1", 0) : null;
    private final MongoClient client = MongoClients.create(embedded != null ? embedded.connectionString()
            : System.getenv("MONGODB_URI").replaceAll("/[^/?]*(\\?.*)?$", "/$1"));
    private final String database = "dlq_" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void close() {
        client.getDatabase(database).drop();
        client.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    @Test
    void aLetterParkedInRevisionOneIsRetriedAsRevisionTwo() throws Exception {
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(EventJson.mapper()).build();
        MongoSequencedDeadLetterQueue<EventMessage<?>> queue = MongoSequencedDeadLetterQueue.builder()
                .processingGroup("search-index")
                .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(client, database).build())
                .serializer(serializer)
                .transactionManager(NoTransactionManager.INSTANCE)
                .clearConverters()
                .addConverter(new UpcastingDeadLetterConverter(DossierEventUpcasters.chain()))
                .build();
        Document golden = Document.parse(Files.readString(
                Path.of("../shared-events/src/test/resources/golden/ResultIssued-r1.json")));
        String dossier = golden.getString("aggregateIdentifier");
        // parked by the queue, then made what a queue of revision 1 held: the stored revision-1 event
        queue.enqueue(dossier, new GenericDeadLetter<>(dossier, new GenericDomainEventMessage<>("Dossier", dossier,
                12, "placeholder", MetaData.emptyInstance(), golden.getString("eventIdentifier"),
                java.time.Instant.parse(golden.getString("timestamp")))));
        var letters = client.getDatabase(database).getCollection("deadletters");
        Document parked = letters.find().first();
        Document message = parked.get("message", Document.class);
        message.put("payloadType", golden.getString("payloadType"));
        message.put("payloadRevision", golden.getString("payloadRevision"));
        message.put("serializedPayload", golden.getString("serializedPayload"));
        message.put("serializedMetaData", golden.getString("serializedMetaData"));
        letters.replaceOne(new Document("_id", parked.get("_id")), parked);

        List<EventMessage<?>> retried = new ArrayList<>();
        boolean processed = queue.process(letter -> {
            retried.add(letter.message());
            return Decisions.evict();
        });

        assertThat(processed).isTrue();
        assertThat(retried).hasSize(1);
        ResultIssued result = (ResultIssued) retried.get(0).getPayload();
        assertThat(result.workingMinutesInStage()).isEqualTo(60L);
        assertThat(result.workingMinutesToResult()).isEqualTo(1_500L);
        assertThat(result.decision().name()).isEqualTo("APPROVED");
        assertThat(queue.contains(dossier)).isFalse();
    }
}
