package vn.hoso.query.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.TestIssuer;
import vn.hoso.events.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Not a test: the search index rebuilt beside the live one over {@code hoso.bench.events} (100,000) events of
 * interleaved dossiers (10 events each, appended through the command side's storage engine), on one query side: the
 * rebuild's events per second from its start to the switch, and search latency p50/p99 while it runs against idle.
 * Run it with
 * {@code ./mvnw -B verify -pl query-side -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=RebuildBenchmark}.
 */
class RebuildBenchmark {

    private static final String AGENCY = "000.00.01.H22";
    private static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "inspector-bench", null);
    private static final String[] OPERATOR = TestIssuer.bearer("OPERATOR", "operator-bench", null);

    @Test
    void rebuildRateAndSearchLatency() throws Exception {
        int events = Integer.getInteger("hoso.bench.events", 100_000);
        try (Stack stack = new Stack(false, "--hoso.completeness.every=0")) {
            EventStorageEngine engine = stack.commandSide.getBean(EventStorageEngine.class);
            Actor citizen = new Actor(ActorRole.CITIZEN, "c-bench", null);
            Actor officer = new Actor(ActorRole.OFFICER, "o-bench", AGENCY);
            Instant t = TestTime.CLOCK.instant();
            long start = System.nanoTime();
            List<DomainEventMessage<?>> batch = new ArrayList<>();
            int dossiers = events / 10;
            List<String> ids = new ArrayList<>();
            for (int d = 0; d < dossiers; d++) {
                ids.add(UUID.randomUUID().toString());
            }
            // interleaved: every dossier's first event, then every dossier's second, ...
            for (int sequence = 0; sequence < 10; sequence++) {
                for (String id : ids) {
                    Object payload = switch (sequence) {
                        case 0 -> new DossierSubmitted(id, "2.000116", "Đăng ký", 1, AGENCY, "c-bench",
                                new Applicant(ApplicantKind.BUSINESS, "0100109106", "Công ty", null, null, null),
                                Channel.ONLINE, List.of(), List.of(), t, citizen, DossierStatus.SUBMITTED);
                        case 1 -> new DossierReceived(id, "B-" + id, AGENCY, "2.000116", 1,
                                new StatutoryTime(5, ProcessingTimeUnit.WORKING_DAYS),
                                new DossierClock(t.plusSeconds(7 * 86_400), t.plusSeconds(7 * 86_400), 0, 0), t,
                                officer, DossierStatus.RECEIVED);
                        case 2 -> new ProcessingStarted(id, "Phòng A", t, officer, DossierStatus.PROCESSING);
                        default -> new ProcessingStepCompleted(id, "Phòng A", "Bước " + sequence, null, t, officer,
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
            System.out.printf("%n%,d events of %,d dossiers appended in %.0f s%n", events, dossiers,
                    (System.nanoTime() - start) / 1e9);
            // the live index caught up first
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                stack.elasticsearchRefresh();
                return stack.queries().get("/api/v1/search/dossiers?size=1", INSPECTOR).body().path("total")
                        .asLong() == dossiers;
            });
            List<Double> idle = searches(stack, 100);
            long rebuildStart = System.nanoTime();
            Http.Answer started = stack.queries().post("/api/v1/operator/rebuilds/search-index", "", OPERATOR);
            assertThat(started.status()).isEqualTo(202);
            List<Double> during = new ArrayList<>();
            JsonNode progress;
            do {
                during.addAll(searches(stack, 10));
                progress = stack.queries().get("/api/v1/operator/rebuilds/search-index", OPERATOR).body();
            } while (!progress.path("status").asText().equals("SWITCHED")
                    && System.nanoTime() - rebuildStart < Duration.ofMinutes(20).toNanos());
            double seconds = (System.nanoTime() - rebuildStart) / 1e9;
            assertThat(progress.path("status").asText()).isEqualTo("SWITCHED");
            System.out.printf("rebuild of %,d events to the switch: %.1f s, %,.0f events/s, %d cores%n", events, seconds,
                    events / seconds, Runtime.getRuntime().availableProcessors());
            System.out.printf("search p50 / p99: idle %.1f / %.1f ms, during the rebuild %.1f / %.1f ms (%d searches)%n",
                    p(idle, 50), p(idle, 99), p(during, 50), p(during, 99), during.size());
        }
    }

    private static List<Double> searches(Stack stack, int count) {
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            Http.Answer answer = stack.queries().get("/api/v1/search/dossiers?size=20", INSPECTOR);
            latencies.add((System.nanoTime() - t) / 1e6);
            assertThat(answer.status()).isEqualTo(200);
        }
        return latencies;
    }

    private static double p(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
