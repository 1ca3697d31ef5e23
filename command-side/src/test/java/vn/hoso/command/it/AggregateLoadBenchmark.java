package vn.hoso.command.it;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.Api.Answer;
import vn.hoso.events.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.*;

/**
 * Not a test: a benchmark that prints how long a dossier takes to load cold (from the event store) and warm (from
 * the aggregate cache) as the store grows to 1k, 10k and 50k events, on the MongoDB the tests use (the embedded
 * mongo-java-server with the H2 backend, or {@code MONGODB_URI}). Run it with
 * {@code ./mvnw -B verify -pl command-side -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=AggregateLoadBenchmark}.
 */
class AggregateLoadBenchmark {

    private static final int EVENTS_PER_DOSSIER = 10;
    private static final int SAMPLES = 25;
    private static final Actor OWNER = new Actor(ActorRole.CITIZEN, "citizen-it-1", null);
    private static final Actor OFFICER_ACTOR = new Actor(ActorRole.OFFICER, "officer-it-1", AGENCY);

    @Test
    void coldAndWarmLoadsAsTheStoreGrows() {
        try (TestMongo mongo = TestMongo.start(); CommandSide app = CommandSide.start(mongo)) {
            EventStorageEngine engine = app.bean(EventStorageEngine.class);
            EventStore store = app.bean(EventStore.class);
            Cache cache = app.bean("dossierCache", Cache.class);
            Api api = app.api();
            List<String> dossiers = new ArrayList<>();
            Random random = new Random(7);
            System.out.printf("%n%-8s %-12s %-12s %-14s %-14s %-14s%n", "events", "read p50 ms", "read p95 ms",
                    "cold cmd p50", "cold cmd p95", "warm cmd p50");
            for (int target : new int[]{1_000, 10_000, 50_000}) {
                fill(engine, dossiers, target);
                assertThat(mongo.eventCount()).isGreaterThanOrEqualTo(target);
                List<Double> reads = new ArrayList<>();
                List<Double> cold = new ArrayList<>();
                List<Double> warm = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    String id = dossiers.get(random.nextInt(dossiers.size()));
                    long start = System.nanoTime();
                    List<? extends DomainEventMessage<?>> events = store.readEvents(id).asStream().toList();
                    reads.add((System.nanoTime() - start) / 1e6);
                    assertThat(events).isNotEmpty();

                    cache.removeAll();
                    cold.add(timeStep(api, id, "cold-" + i));
                    warm.add(timeStep(api, id, "warm-" + i));
                }
                System.out.printf("%-8d %-12.1f %-12.1f %-14.1f %-14.1f %-14.1f%n", mongo.eventCount(),
                        percentile(reads, 50), percentile(reads, 95), percentile(cold, 50), percentile(cold, 95),
                        percentile(warm, 50));
            }
        }
    }

    private static double timeStep(Api api, String id, String step) {
        long start = System.nanoTime();
        Answer answer = api.post("/api/v1/dossiers/" + id + "/steps", "{\"unit\":\"Phòng A\",\"step\":\"" + step + "\"}",
                OFFICER);
        double millis = (System.nanoTime() - start) / 1e6;
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return millis;
    }

    /** Appends whole dossiers (submitted, received, processing, steps) straight through the storage engine. */
    private static void fill(EventStorageEngine engine, List<String> dossiers, int target) {
        Instant t = Instant.parse("2026-03-02T01:00:00Z");
        int existing = dossiers.size() * EVENTS_PER_DOSSIER;
        List<DomainEventMessage<?>> batch = new ArrayList<>();
        while (existing < target) {
            String id = UUID.randomUUID().toString();
            dossiers.add(id);
            List<Object> payloads = new ArrayList<>();
            payloads.add(new DossierSubmitted(id, "2.000116", "KM", 1, AGENCY, OWNER.id(),
                    new Applicant(ApplicantKind.BUSINESS, "0100109106", "Công ty", null, null, null), Channel.ONLINE,
                    List.of(), List.of(), t, OWNER, DossierStatus.SUBMITTED));
            DossierClock clock = new DossierClock(t.plusSeconds(7 * 86400), t.plusSeconds(7 * 86400), 0, 0);
            payloads.add(new DossierReceived(id, "BENCH-" + id, AGENCY, "2.000116", 1,
                    new StatutoryTime(5, ProcessingTimeUnit.WORKING_DAYS), clock, t, OFFICER_ACTOR,
                    DossierStatus.RECEIVED));
            payloads.add(new ProcessingStarted(id, "Phòng A", t, OFFICER_ACTOR, DossierStatus.PROCESSING));
            while (payloads.size() < EVENTS_PER_DOSSIER) {
                payloads.add(new ProcessingStepCompleted(id, "Phòng A", "Bước " + payloads.size(), null, t,
                        OFFICER_ACTOR, DossierStatus.PROCESSING));
            }
            for (int seq = 0; seq < payloads.size(); seq++) {
                batch.add(new GenericDomainEventMessage<>("Dossier", id, seq, payloads.get(seq)));
            }
            existing += payloads.size();
            if (batch.size() >= 1_000) {
                engine.appendEvents(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            engine.appendEvents(batch);
        }
    }

    private static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }
}
