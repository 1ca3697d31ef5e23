package vn.hoso.query.timeline;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.deploy.EmbeddedMongo;
import vn.hoso.query.store.ReadModel.Write;
import vn.hoso.query.store.ReadModel.Written;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Timelines are written only over the version they were computed from, on the emulator (or the server
 * {@code MONGODB_URI} names): a writer that read an older version changes nothing and learns it, whether the timeline
 * existed or not.
 */
class TimelineStoreIT {

    private static EmbeddedMongo embedded;
    private static MongoClient client;
    private static String database;
    private static TimelineStore store;

    @BeforeAll
    static void start() {
        String server = vn.hoso.query.it.TestMongoServer.fromEnvironment();
        if (server == null) {
            embedded = EmbeddedMongo.startInMemory("127.0.0.1", 0);
            server = embedded.connectionString();
        }
        client = MongoClients.create(server);
        database = "tst_" + UUID.randomUUID().toString().substring(0, 8);
        store = new TimelineStore(client.getDatabase(database));
    }

    @AfterAll
    static void stop() {
        client.getDatabase(database).drop();
        client.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    private static Timeline at(String id, long sequence) {
        return new Timeline(id, sequence, null, "1.000001", null, "000.00.01.H26", null, "RECEIVED", 2, null, null,
                List.of(), false, null, 0);
    }

    private static long stored(String id) {
        Document document = client.getDatabase(database).getCollection("timelines")
                .find(new Document("_id", id)).first();
        return document == null ? -1 : document.get("lastSequence", Number.class).longValue();
    }

    @Test
    void aWriteOverAnOlderVersionChangesNothingAndIsReportedStale() {
        String id = "d-" + UUID.randomUUID();
        assertThat(store.saveAll("timelines", List.of(new Write<>(at(id, 5), -1)))).isEqualTo(new Written(java.util.Map.of(),
                java.util.Set.of()));
        assertThat(stored(id)).isEqualTo(5);

        // a writer that read version 3 (before the other one wrote 5) must not take the timeline back to 4
        Written stale = store.saveAll("timelines", List.of(new Write<>(at(id, 4), 3)));
        assertThat(stale.stale()).containsExactly(id);
        assertThat(stale.refused()).isEmpty();
        assertThat(stored(id)).isEqualTo(5);

        // nor may one that found no timeline at all
        assertThat(store.saveAll("timelines", List.of(new Write<>(at(id, 2), -1))).stale()).containsExactly(id);
        assertThat(stored(id)).isEqualTo(5);

        // a writer over the current version goes through
        assertThat(store.saveAll("timelines", List.of(new Write<>(at(id, 6), 5))).stale()).isEmpty();
        assertThat(stored(id)).isEqualTo(6);
        assertThat(store.find("timelines", id)).map(Timeline::lastSequence).hasValue(6L);
    }

    @Test
    void oneStaleEntryDoesNotHoldBackTheOthersInItsBatch() {
        String moved = "d-" + UUID.randomUUID();
        String fresh = "d-" + UUID.randomUUID();
        String current = "d-" + UUID.randomUUID();
        store.saveAll("timelines", List.of(new Write<>(at(moved, 3), -1), new Write<>(at(current, 1), -1)));

        Written written = store.saveAll("timelines", List.of(new Write<>(at(moved, 2), 1), new Write<>(at(fresh, 0), -1),
                new Write<>(at(current, 2), 1)));

        assertThat(written.stale()).containsExactly(moved);
        assertThat(stored(moved)).isEqualTo(3);
        assertThat(stored(fresh)).isEqualTo(0);
        assertThat(stored(current)).isEqualTo(2);
    }

    private static Timeline.Step step(long sequence) {
        return new Timeline.Step(sequence, "ProcessingStepCompleted", Instant.parse("2026-03-02T02:00:00Z")
                .plusSeconds(sequence), Instant.parse("2026-03-02T02:00:00Z").plusSeconds(sequence), "OFFICER",
                "Phòng A", "Hoàn thành bước " + sequence, "Step " + sequence, "PROCESSING", 4, null, null, null, null,
                null, null, null, sequence);
    }

    private static Timeline withSteps(String id, Timeline head, long from, long to) {
        List<Timeline.Step> steps = new java.util.ArrayList<>(head == null ? List.of() : head.steps());
        for (long sequence = from; sequence < to; sequence++) {
            steps.add(step(sequence));
        }
        return new Timeline(id, to - 1, "C-1", "1.000001", null, "000.00.01.H26", null, "PROCESSING", 4, null, null,
                List.copyOf(steps), false, null, head == null ? 0 : head.archivedSteps());
    }

    /**
     * A long timeline is written with its latest steps only (50 to 99 of them), its earliest in pages of 50 that read
     * back as they were: what one write carries does not grow with the history.
     */
    @Test
    void aLongTimelineKeepsItsLatestStepsAndArchivesTheEarliestInPages() {
        String id = "d-" + UUID.randomUUID();
        Timeline written = withSteps(id, null, 0, 150);
        assertThat(store.saveAll("timelines", List.of(new Write<>(written, -1)))).isEqualTo(new Written(java.util.Map.of(),
                java.util.Set.of()));
        Timeline head = store.find("timelines", id).orElseThrow();
        assertThat(head.archivedSteps()).isEqualTo(100);
        assertThat(head.steps()).extracting(Timeline.Step::sequence).first().isEqualTo(100L);
        assertThat(head.steps()).hasSize(50);
        assertThat(store.archivedPage("timelines", id, 0)).extracting(Timeline.Step::sequence).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 50).boxed().toList());
        assertThat(store.archivedPage("timelines", id, 1)).hasSize(50).first().isEqualTo(step(50));
        assertThat(store.findWhole("timelines", List.of(id)).get(id)).isEqualTo(written);
        // the same write again (a retry, or another instance with the same history): its pages are already there, the
        // timeline has moved on: nothing refused, nothing changed
        Written again = store.saveAll("timelines", List.of(new Write<>(written, -1)));
        assertThat(again.refused()).isEmpty();
        assertThat(again.stale()).containsExactly(id);
        assertThat(store.findWhole("timelines", List.of(id)).get(id)).isEqualTo(written);
        // a page the timeline never archived is not a page
        assertThatThrownBy(() -> store.archivedPage("timelines", id, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing");

        // the next events go on the head (read as the projection reads it), which archives once it reaches 100 steps
        for (long next = 150; next < 400; next += 10) {
            Timeline current = store.find("timelines", id).orElseThrow();
            assertThat(current.steps().size()).isBetween(50, 99);
            assertThat(store.saveAll("timelines", List.of(new Write<>(withSteps(id, current, next, next + 10), next - 1))).stale())
                    .isEmpty();
        }
        Timeline last = store.find("timelines", id).orElseThrow();
        assertThat(last.archivedSteps() + last.steps().size()).isEqualTo(400);
        assertThat(last.archivedSteps() % 50).isZero();
        assertThat(store.findWhole("timelines", List.of(id)).get(id)).isEqualTo(withSteps(id, null, 0, 400));
    }
}
