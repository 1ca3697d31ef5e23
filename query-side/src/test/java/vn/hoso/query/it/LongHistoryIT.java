package vn.hoso.query.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.TestIssuer;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import vn.hoso.events.Actor;
import vn.hoso.events.ActorRole;
import vn.hoso.events.DossierStatus;
import vn.hoso.events.ProcessingStepCompleted;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dossier with 2,000 events (submitted, received and started through the command API, then 1,997 processing steps
 * appended through the command side's storage engine, as they would be stored): its timeline's document keeps its
 * latest steps only
 * (50 to 99), so that what is read and written for each event stays the same size however long the history, and the
 * earliest steps read back, page by page, as they were; the read models equal a fold of the store, whole.
 */
class LongHistoryIT {

    private static final int EVENTS = 2_000;
    private static final String AGENCY = "000.00.01.H22";
    private static final String[] CITIZEN = TestIssuer.bearer("CITIZEN", "citizen-long", null);
    private static final String[] OFFICER = TestIssuer.bearer("OFFICER", "officer-long", AGENCY);
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void aTimelineOfTwoThousandEventsStaysBoundedAndReadsBackWhole() {
        String id = stack.submitAndReceive(1, CITIZEN, OFFICER);
        assertThat(stack.commands().post("/api/v1/dossiers/" + id + "/processing", "{\"unit\":\"Phòng A\"}", OFFICER)
                .status()).isEqualTo(200);
        EventStorageEngine engine = stack.commandSide.getBean(EventStorageEngine.class);
        Actor officer = new Actor(ActorRole.OFFICER, "officer-long", AGENCY);
        Instant at = TestTime.CLOCK.instant();
        List<DomainEventMessage<?>> batch = new ArrayList<>();
        for (int step = 3; step < EVENTS; step++) {
            batch.add(new GenericDomainEventMessage<>("Dossier", id, step, new ProcessingStepCompleted(id, "Phòng A",
                    "Bước " + step, null, at, officer, DossierStatus.PROCESSING, (long) step, null)));
            if (batch.size() == 500 || step == EVENTS - 1) {
                engine.appendEvents(batch);
                batch.clear();
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(List.of(id)));

        // what the projection reads and writes for the next event: the latest steps only
        Document head = stack.database().getCollection("timelines").find(new Document("_id", id)).first();
        assertThat(head).isNotNull();
        int kept = head.getList("steps", Document.class).size();
        int archived = head.getInteger("archivedSteps");
        assertThat(kept).isBetween(50, 99);
        assertThat(archived).isEqualTo(EVENTS - kept).isPositive();
        assertThat(archived % 50).isZero();
        int bytes = new RawBsonDocument(head, new DocumentCodec()).getByteBuffer().remaining();
        System.out.printf("a timeline of %d events: %d steps kept (%,d bytes), %d archived in %d pages%n", EVENTS, kept,
                bytes, archived, archived / 50);
        assertThat(bytes).as("the timeline document's size").isLessThan(100 * 1024);

        // the owner reads the latest steps, and the earliest page by page, every step once and in order
        JsonNode timeline = stack.queries().get("/api/v1/dossiers/" + id + "/timeline", CITIZEN).body();
        assertThat(timeline.path("archivedSteps").asInt()).isEqualTo(archived);
        List<Long> sequences = new ArrayList<>();
        for (int page = 0; page < archived / 50; page++) {
            JsonNode answer = stack.queries().get("/api/v1/dossiers/" + id + "/timeline/archived-steps?page=" + page,
                    CITIZEN).body();
            assertThat(answer.path("steps")).hasSize(50);
            answer.path("steps").forEach(step -> sequences.add(step.path("sequence").asLong()));
            if (page == 0) {
                assertThat(answer.path("steps").get(0).path("labelVi").asText()).startsWith("Nộp hồ sơ");
            }
        }
        timeline.path("steps").forEach(step -> sequences.add(step.path("sequence").asLong()));
        assertThat(sequences).hasSize(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            assertThat(sequences.get(i)).isEqualTo(i);
        }
        assertThat(stack.queries().get("/api/v1/dossiers/" + id + "/timeline/archived-steps?page=" + archived / 50,
                CITIZEN).body().path("steps")).isEmpty();
        assertThat(stack.queries().get("/api/v1/dossiers/" + id + "/timeline/archived-steps?page=-1", CITIZEN)
                .status()).isEqualTo(400);
        String[] stranger = TestIssuer.bearer("CITIZEN", "someone-else", null);
        assertThat(stack.queries().get("/api/v1/dossiers/" + id + "/timeline/archived-steps", stranger).status())
                .isEqualTo(404);
        // and every read model, timelines whole, equals a fold of the store's events
        stack.assertReadModelsEqualTheStore(List.of(id));
    }
}
