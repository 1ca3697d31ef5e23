package vn.hoso.query.it;

import vn.hoso.command.it.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.events.Actor;
import vn.hoso.events.ActorRole;
import vn.hoso.events.Applicant;
import vn.hoso.events.ApplicantKind;
import vn.hoso.events.Channel;
import vn.hoso.events.DocumentRef;
import vn.hoso.events.DossierEvent;
import vn.hoso.events.DossierStatus;
import vn.hoso.events.DossierSubmitted;
import vn.hoso.events.EventJson;
import vn.hoso.events.ProcessingStepCompleted;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writers whose commits land after those of later events, while other clients keep writing: a dossier's first event,
 * a dossier's last event, and (past the gap timeout) a middle event. Every read model ends at the store's last event
 * for every dossier; the one position given up is counted and logged, voided by the reader, and the stalled writer's
 * event, refused there, is stored at a new position and reaches the read models by itself.
 */
class EventStreamCompletenessIT {

    /** Configured down from 60 s: long enough for the late commits under it on 2 busy cores, short to wait past. */
    private static final Duration GAP_TIMEOUT = Duration.ofSeconds(8);
    private static final String AGENCY = "000.00.01.H22";
    private static final String[] CITIZEN = TestIssuer.bearer("CITIZEN", "citizen-stream", null);
    private static final String[] OFFICER = TestIssuer.bearer("OFFICER", "officer-stream", AGENCY);
    private static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "inspector-stream", null);
    private static final Actor OFFICER_ACTOR = new Actor(ActorRole.OFFICER, "officer-stream", AGENCY);

    private static Stack stack;
    private final Set<String> dossiers = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack(false, "--hoso.store.gap-timeout=" + GAP_TIMEOUT.toSeconds() + "s");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void eventsCommittedLateReachEveryReadModelFirstAndLastIncluded() throws Exception {
        PositionedMongoEventStorageEngine reader = stack.querySide.getBean(PositionedMongoEventStorageEngine.class);
        MeterRegistry meters = stack.querySide.getBean(MeterRegistry.class);
        String withLateLast = submitAndReceive(0);
        String withLateMiddle = submitAndReceive(1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(dossiers));

        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> traffic = new ArrayList<>();
        for (int client = 0; client < 4; client++) {
            int base = 100 * (client + 1);
            traffic.add(clients.submit(() -> {
                for (int i = 0; i < 6; i++) {
                    submitAndReceive(base + i);
                }
            }));
        }

        // a new dossier's first event and another dossier's last event: taken positions, commits held back
        String withLateFirst = UUID.randomUUID().toString();
        HeldWrite first = HeldWrite.start(() -> submitted(withLateFirst));
        HeldWrite last = HeldWrite.start(() -> step(withLateLast, 2, "Thẩm định"));
        // until the read models show an event committed after them: the stream has moved past their positions
        String marker = submitAndReceive(2);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(List.of(marker)));
        assertThat(stack.queries().get("/api/v1/dossiers/" + withLateFirst + "/timeline", INSPECTOR).status())
                .isEqualTo(404);
        first.release();
        last.release();
        dossiers.add(withLateFirst);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                stack.assertReadModelsMatchTheStore(List.of(withLateFirst, withLateLast)));
        assertThat(reader.gapTimeouts()).as("gaps given up while commits were late but under the timeout").isZero();

        // a middle event held past the gap timeout: given up, counted once, visible to the operator
        double repairsBefore = repairs(meters, "timelines");
        HeldWrite middle = HeldWrite.start(() -> step(withLateMiddle, 2, "Kiểm tra"));
        String marker2 = submitAndReceive(3);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(List.of(marker2)));
        await().atMost(GAP_TIMEOUT.multipliedBy(4)).until(() -> reader.gapTimeouts() == 1);
        assertThat(stack.queries().getText("/actuator/prometheus", TestIssuer.operator())).containsPattern("hoso_events_gap_timeouts_total\\{[^}]*} 1.0");
        middle.release();
        // refused at the position the stream gave up, stored at a new one: it reaches every read model by itself,
        // with no repair and no operator
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                stack.assertReadModelsMatchTheStore(List.of(withLateMiddle)));
        assertThat(repairs(meters, "timelines") - repairsBefore).as("repairs of the timelines").isZero();
        stack.commandSide.getBean(PositionedMongoEventStorageEngine.class).appendEvents(step(withLateMiddle, 3, "Phê duyệt"));

        for (Future<?> client : traffic) {
            client.get(3, TimeUnit.MINUTES);
        }
        clients.shutdown();
        assertThat(dossiers).hasSize(2 + 2 + 1 + 24);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(dossiers));
        assertThat(stack.storedLastSequences().keySet()).containsExactlyInAnyOrderElementsOf(dossiers);
        JsonNode timeline = stack.queries().get("/api/v1/dossiers/" + withLateMiddle + "/timeline", INSPECTOR).body();
        List<String> steps = new ArrayList<>();
        timeline.path("steps").forEach(s -> steps.add(s.path("labelEn").asText()));
        assertThat(steps).containsSubsequence("Step completed: Kiểm tra", "Step completed: Phê duyệt");
        assertThat(repairs(meters, "timelines") - repairsBefore).isZero();
        assertThat(reader.gapTimeouts()).isEqualTo(1);
        stack.assertReadModelsEqualTheStore(dossiers);
    }

    private String submitAndReceive(int i) {
        String id = stack.submitAndReceive(i, CITIZEN, OFFICER);
        dossiers.add(id);
        return id;
    }

    private static GenericDomainEventMessage<DossierEvent> submitted(String id) {
        return message(id, 0, new DossierSubmitted(id, "2.000116", "Đăng ký khuyến mại", 1, AGENCY, "citizen-stream",
                new Applicant(ApplicantKind.BUSINESS, "0100109106", "Công ty muộn", null, null, null), Channel.ONLINE,
                List.of(new DocumentRef("Hồ sơ", "FORM", "sha256:" + "ef".repeat(32), 1)), List.of(), TestTime.CLOCK.instant(),
                new Actor(ActorRole.CITIZEN, "citizen-stream", null), DossierStatus.SUBMITTED));
    }

    private static GenericDomainEventMessage<DossierEvent> step(String id, long sequence, String name) {
        return message(id, sequence, new ProcessingStepCompleted(id, "Phòng một cửa", name, null, TestTime.CLOCK.instant(),
                OFFICER_ACTOR, DossierStatus.RECEIVED));
    }

    private static GenericDomainEventMessage<DossierEvent> message(String id, long sequence, DossierEvent payload) {
        return new GenericDomainEventMessage<>("Dossier", id, sequence, payload, MetaData.emptyInstance(),
                UUID.randomUUID().toString(), Instant.now());
    }

    private static double repairs(MeterRegistry meters, String readModel) {
        var counter = meters.find("hoso.projection.repairs").tag("readModel", readModel).counter();
        return counter == null ? 0 : counter.count();
    }

    /** An append on a writer of its own that has taken its position and waits to insert until released. */
    private static final class HeldWrite {
        private final CountDownLatch release = new CountDownLatch(1);
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private Future<?> append;

        static HeldWrite start(java.util.function.Supplier<GenericDomainEventMessage<DossierEvent>> event)
                throws InterruptedException {
            HeldWrite held = new HeldWrite();
            CountDownLatch allocated = new CountDownLatch(1);
            Serializer serializer = JacksonSerializer.builder().objectMapper(EventJson.mapper()).build();
            PositionedMongoEventStorageEngine writer = PositionedMongoEventStorageEngine.builder()
                    .database(stack.database()).eventSerializer(serializer).snapshotSerializer(serializer)
                    .beforeInsert((position, count) -> {
                        allocated.countDown();
                        try {
                            held.release.await(5, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }).build();
            held.append = held.thread.submit(() -> writer.appendEvents(event.get()));
            assertThat(allocated.await(1, TimeUnit.MINUTES)).isTrue();
            return held;
        }

        void release() throws Exception {
            release.countDown();
            append.get(1, TimeUnit.MINUTES);
            thread.shutdown();
        }
    }
}
