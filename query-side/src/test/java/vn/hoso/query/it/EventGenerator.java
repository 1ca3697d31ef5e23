package vn.hoso.query.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import vn.hoso.events.*;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The one generator of a large history: dossiers of ten events each (submitted, received, processing started, seven
 * steps), interleaved (every dossier's first event, then every dossier's second, ...), appended through the event
 * store's engine 1,000 at a time, as the command side appends them. {@link RebuildBenchmark} uses it in process; run
 * as a test it fills a running stack's store ({@code deploy/run.sh}):
 * {@code ./mvnw -B verify -pl query-side -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=EventGenerator -Dhoso.gen.events=100000
 * -Dhoso.gen.mongo=mongodb://127.0.0.1:27017/hoso}.
 */
class EventGenerator {

    static final String AGENCY = "000.00.01.H22";

    /** Appends {@code events} events of {@code events / 10} new dossiers, their times at {@code at}; their ids. */
    static List<String> appendInterleaved(EventStorageEngine engine, int events, Instant at) {
        Actor citizen = new Actor(ActorRole.CITIZEN, "c-generated", null);
        Actor officer = new Actor(ActorRole.OFFICER, "o-generated", AGENCY);
        List<String> ids = new ArrayList<>();
        for (int d = 0; d < events / 10; d++) {
            ids.add(UUID.randomUUID().toString());
        }
        List<DomainEventMessage<?>> batch = new ArrayList<>();
        for (int sequence = 0; sequence < 10; sequence++) {
            for (String id : ids) {
                Object payload = switch (sequence) {
                    case 0 -> new DossierSubmitted(id, "2.000116", "Đăng ký", 1, AGENCY, "c-generated",
                            new Applicant(ApplicantKind.BUSINESS, "0100109106", "Công ty", null, null, null),
                            Channel.ONLINE, List.of(), List.of(), at, citizen, DossierStatus.SUBMITTED);
                    case 1 -> new DossierReceived(id, "B-" + id, AGENCY, "2.000116", 1,
                            new StatutoryTime(5, ProcessingTimeUnit.WORKING_DAYS),
                            new DossierClock(at.plusSeconds(7 * 86_400), at.plusSeconds(7 * 86_400), 0, 0), at,
                            officer, DossierStatus.RECEIVED);
                    case 2 -> new ProcessingStarted(id, "Phòng A", at, officer, DossierStatus.PROCESSING);
                    default -> new ProcessingStepCompleted(id, "Phòng A", "Bước " + sequence, null, at, officer,
                            DossierStatus.PROCESSING);
                };
                batch.add(new GenericDomainEventMessage<>("Dossier", id, sequence, payload));
                if (batch.size() == 1_000) {
                    engine.appendEvents(batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            engine.appendEvents(batch);
        }
        return ids;
    }

    /** Not a test: fills the store at {@code hoso.gen.mongo} (a database URI) with {@code hoso.gen.events} events. */
    @Test
    void fillARunningStack() {
        String uri = System.getProperty("hoso.gen.mongo", "mongodb://127.0.0.1:27017/hoso");
        int events = Integer.getInteger("hoso.gen.events", 100_000);
        com.mongodb.ConnectionString connection = new com.mongodb.ConnectionString(uri);
        try (MongoClient client = MongoClients.create(connection)) {
            JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(EventJson.mapper()).build();
            PositionedMongoEventStorageEngine engine = PositionedMongoEventStorageEngine.builder()
                    .database(client.getDatabase(connection.getDatabase()))
                    .eventSerializer(serializer).snapshotSerializer(serializer)
                    .upcasterChain(vn.hoso.events.upcasting.DossierEventUpcasters.chain())
                    .recordOn(Clock.systemUTC()).build();
            long start = System.nanoTime();
            appendInterleaved(engine, events, Clock.systemUTC().instant());
            System.out.printf("%n%,d events of %,d dossiers appended to %s in %.0f s%n", events, events / 10, uri,
                    (System.nanoTime() - start) / 1e9);
        }
    }
}
