package vn.hoso.command.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.Api.Answer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.*;

/**
 * Not a test: a benchmark that prints how long the inspectors' audit of one dossier with 1,000 events takes (its state
 * at a random moment on either clock, and its whole stage audit), next to the raw read of its events from the store
 * that both are built on, on the MongoDB the tests use. The dossier is walked through the command API (submitted,
 * received, at a unit, then 997 processing steps). Run it with
 * {@code ./mvnw -B verify -pl command-side -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=AuditBenchmark}.
 */
class AuditBenchmark {

    private static final int EVENTS = 1_000;
    private static final int SAMPLES = 200;

    @Test
    void stateAtAMomentAndAuditOfADossierWithAThousandEvents() {
        try (TestMongo mongo = TestMongo.start(); CommandSide app = CommandSide.start(mongo)) {
            Api api = app.api();
            EventStore store = app.bean(EventStore.class);
            Answer submitted = api.post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"), CITIZEN);
            assertThat(submitted.status()).isEqualTo(201);
            String id = submitted.body().path("dossierId").asText();
            assertThat(api.post("/api/v1/dossiers/" + id + "/receipt", "{}", OFFICER).status()).isEqualTo(200);
            assertThat(api.post("/api/v1/dossiers/" + id + "/processing", "{\"unit\":\"Phòng A\"}", OFFICER).status())
                    .isEqualTo(200);
            for (int step = 3; step < EVENTS; step++) {
                Answer answer = api.post("/api/v1/dossiers/" + id + "/steps",
                        "{\"unit\":\"Phòng A\",\"step\":\"Bước " + step + "\"}", OFFICER);
                assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
            }
            List<? extends DomainEventMessage<?>> events = store.readEvents(id).asStream().toList();
            assertThat(events).hasSize(EVENTS);
            Instant first = events.get(0).getTimestamp();
            Instant last = events.get(EVENTS - 1).getTimestamp();
            Random random = new Random(23);
            List<Double> raw = new ArrayList<>();
            List<Double> recorded = new ArrayList<>();
            List<Double> reported = new ArrayList<>();
            List<Double> audit = new ArrayList<>();
            for (int i = 0; i < SAMPLES + 20; i++) {
                boolean warm = i >= 20; // the first rounds warm the JIT up and are not counted
                long start = System.nanoTime();
                assertThat(store.readEvents(id).asStream().toList()).hasSize(EVENTS);
                add(warm, raw, start);
                Instant moment = first.plusMillis((long) (random.nextDouble() * (last.toEpochMilli()
                        - first.toEpochMilli() + 1)));
                for (String clock : List.of("RECORDED", "REPORTED")) {
                    start = System.nanoTime();
                    Answer state = api.get("/api/v1/dossiers/" + id + "/state?clock=" + clock + "&at="
                            + URLEncoder.encode(moment.toString(), StandardCharsets.UTF_8), INSPECTOR);
                    add(warm, clock.equals("RECORDED") ? recorded : reported, start);
                    assertThat(state.status()).as(state.body().toString()).isEqualTo(200);
                    assertThat(state.body().path("eventsFolded").asInt()).isBetween(1, EVENTS);
                }
                start = System.nanoTime();
                Answer whole = api.get("/api/v1/dossiers/" + id + "/audit", INSPECTOR);
                add(warm, audit, start);
                JsonNode events1 = whole.body().path("events");
                assertThat(events1).hasSize(EVENTS);
            }
            System.out.printf("%naudit of one dossier of %d events, %d samples each, %d cores (ms)%n", EVENTS, SAMPLES,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("%-44s %8s %8s%n", "", "p50", "p99");
            print("raw read of its events (EventStore.readEvents)", raw);
            print("GET /state?at=&clock=RECORDED", recorded);
            print("GET /state?at=&clock=REPORTED", reported);
            print("GET /audit (every stage and event)", audit);
        }
    }

    private static void add(boolean counted, List<Double> into, long startNanos) {
        double millis = (System.nanoTime() - startNanos) / 1e6;
        if (counted) {
            into.add(millis);
        }
    }

    private static void print(String what, List<Double> values) {
        System.out.printf("%-44s %8.2f %8.2f%n", what, percentile(values, 50), percentile(values, 99));
    }

    private static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }
}
