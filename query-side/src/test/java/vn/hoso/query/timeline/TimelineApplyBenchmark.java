package vn.hoso.query.timeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;
import vn.hoso.deploy.EmbeddedMongo;
import vn.hoso.events.*;
import vn.hoso.query.store.ReadModel.Write;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test: a benchmark of what one event costs a dossier's timeline (read its document by key, apply the event,
 * write it back over its version: the projection's work per dossier and event) as the dossier's history grows to 10,
 * 100 and 2,000 events, with the size of the document written, next to the size of the whole history (what a
 * timeline kept whole would rewrite for every event) and the cost of one event with the timeline kept whole in one
 * document, as it was before (read, apply, replace the whole history). After a warm-up dossier of 300 events. On the
 * emulator the tests use, or {@code MONGODB_URI}. Run it with
 * {@code ./mvnw -B verify -pl query-side -Dtest=TimelineApplyBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 */
class TimelineApplyBenchmark {

    private static final Instant T = Instant.parse("2026-03-02T02:00:00Z");
    private static final Actor OFFICER = new Actor(ActorRole.OFFICER, "o-1", "000.00.01.H22");
    private final ObjectMapper json = EventJson.mapper();

    @Test
    void costOfOneEventAsTheHistoryGrows() throws Exception {
        String server = vn.hoso.query.it.TestMongoServer.fromEnvironment();
        EmbeddedMongo embedded = server == null ? EmbeddedMongo.startInMemory("127.0.0.1", 0) : null;
        try (MongoClient client = MongoClients.create(server != null ? server : embedded.connectionString())) {
            String database = "bench_" + UUID.randomUUID().toString().substring(0, 8);
            TimelineStore store = new TimelineStore(client.getDatabase(database));
            System.out.printf("%ntimeline cost of one event (read by key, apply, write over its version), %d cores%n",
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("%-8s %-22s %-22s %-14s %-22s%n", "events", "p50 / p99 ms (last 50)",
                    "document written", "whole history", "kept whole: p50 / p99 ms");
            run(store, client.getDatabase(database).getCollection("timelines_whole"), 300, false);
            for (int events : new int[]{10, 100, 2_000}) {
                run(store, client.getDatabase(database).getCollection("timelines_whole"), events, true);
            }
            client.getDatabase(database).drop();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private void run(TimelineStore store, com.mongodb.client.MongoCollection<org.bson.Document> wholeDocuments,
                     int events, boolean print) throws Exception {
        {
            {
                String id = UUID.randomUUID().toString();
                List<Double> costs = new ArrayList<>();
                for (int sequence = 0; sequence < events; sequence++) {
                    long start = System.nanoTime();
                    Timeline current = store.findAll("timelines", List.of(id)).getOrDefault(id, Timeline.empty(id));
                    Timeline next = TimelineSteps.apply(current, new GenericDomainEventMessage<>("Dossier", id,
                            sequence, event(id, sequence)), n -> "hash");
                    assertThat(store.saveAll("timelines", List.of(new Write<>(next, current.lastSequence()))).stale()).isEmpty();
                    if (sequence >= events - 50) {
                        costs.add((System.nanoTime() - start) / 1e6);
                    }
                }
                // the layout before: the whole history in one document, read, applied and replaced for every event
                List<Double> wholeCosts = new ArrayList<>();
                String other = UUID.randomUUID().toString();
                for (int sequence = 0; sequence < events; sequence++) {
                    long start = System.nanoTime();
                    org.bson.Document stored = wholeDocuments.find(new org.bson.Document("_id", other)).first();
                    Timeline current = Timeline.empty(other);
                    if (stored != null) {
                        stored.remove("_id");
                        current = json.readValue(stored.toJson(), Timeline.class);
                    }
                    Timeline next = TimelineSteps.apply(current, new GenericDomainEventMessage<>("Dossier", other,
                            sequence, event(other, sequence)), n -> "hash");
                    org.bson.Document document = org.bson.Document.parse(json.writeValueAsString(next));
                    document.put("_id", other);
                    wholeDocuments.replaceOne(new org.bson.Document("_id", other), document,
                            new com.mongodb.client.model.ReplaceOptions().upsert(true));
                    if (sequence >= events - 50) {
                        wholeCosts.add((System.nanoTime() - start) / 1e6);
                    }
                }
                Timeline head = store.find("timelines", id).orElseThrow();
                Map<String, Timeline> whole = store.findWhole("timelines", List.of(id));
                if (print) {
                    System.out.printf("%-8d %8.2f / %-11.2f %,9d B (%d steps)  %,11d B   %8.2f / %-8.2f%n", events,
                            percentile(costs, 50), percentile(costs, 99), json.writeValueAsBytes(head).length,
                            head.steps().size(), json.writeValueAsBytes(whole.get(id)).length,
                            percentile(wholeCosts, 50), percentile(wholeCosts, 99));
                }
            }
        }
    }

    private static DossierEvent event(String id, int sequence) {
        Instant at = T.plusSeconds(60L * sequence);
        return switch (sequence) {
            case 0 -> new DossierSubmitted(id, "2.000116", "Đăng ký", 1, "000.00.01.H22", "c-1", null, Channel.ONLINE,
                    List.of(), List.of(), at, new Actor(ActorRole.CITIZEN, "c-1", null), DossierStatus.SUBMITTED,
                    null, null);
            case 1 -> new DossierReceived(id, "C-" + id, "000.00.01.H22", "2.000116", 1,
                    new StatutoryTime(5, ProcessingTimeUnit.WORKING_DAYS), new DossierClock(T.plusSeconds(86_400 * 7),
                    T.plusSeconds(86_400 * 7), 0, 0), at, OFFICER, DossierStatus.RECEIVED, 1L, null);
            case 2 -> new ProcessingStarted(id, "Phòng A", at, OFFICER, DossierStatus.PROCESSING, 1L, null);
            default -> new ProcessingStepCompleted(id, "Phòng A", "Bước " + sequence, "Ghi chú của bước " + sequence,
                    at, OFFICER, DossierStatus.PROCESSING, 1L, null);
        };
    }

    private static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
