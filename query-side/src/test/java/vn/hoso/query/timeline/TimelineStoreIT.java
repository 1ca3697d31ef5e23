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

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

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
                List.of(), false, null);
    }

    private static long stored(String id) {
        Document document = client.getDatabase(database).getCollection("timelines")
                .find(new Document("_id", id)).first();
        return document == null ? -1 : document.get("lastSequence", Number.class).longValue();
    }

    @Test
    void aWriteOverAnOlderVersionChangesNothingAndIsReportedStale() {
        String id = "d-" + UUID.randomUUID();
        assertThat(store.saveAll(List.of(new Write<>(at(id, 5), -1)))).isEqualTo(new Written(java.util.Map.of(),
                java.util.Set.of()));
        assertThat(stored(id)).isEqualTo(5);

        // a writer that read version 3 (before the other one wrote 5) must not take the timeline back to 4
        Written stale = store.saveAll(List.of(new Write<>(at(id, 4), 3)));
        assertThat(stale.stale()).containsExactly(id);
        assertThat(stale.refused()).isEmpty();
        assertThat(stored(id)).isEqualTo(5);

        // nor may one that found no timeline at all
        assertThat(store.saveAll(List.of(new Write<>(at(id, 2), -1))).stale()).containsExactly(id);
        assertThat(stored(id)).isEqualTo(5);

        // a writer over the current version goes through
        assertThat(store.saveAll(List.of(new Write<>(at(id, 6), 5))).stale()).isEmpty();
        assertThat(stored(id)).isEqualTo(6);
        assertThat(store.find(id)).map(Timeline::lastSequence).hasValue(6L);
    }

    @Test
    void oneStaleEntryDoesNotHoldBackTheOthersInItsBatch() {
        String moved = "d-" + UUID.randomUUID();
        String fresh = "d-" + UUID.randomUUID();
        String current = "d-" + UUID.randomUUID();
        store.saveAll(List.of(new Write<>(at(moved, 3), -1), new Write<>(at(current, 1), -1)));

        Written written = store.saveAll(List.of(new Write<>(at(moved, 2), 1), new Write<>(at(fresh, 0), -1),
                new Write<>(at(current, 2), 1)));

        assertThat(written.stale()).containsExactly(moved);
        assertThat(stored(moved)).isEqualTo(3);
        assertThat(stored(fresh)).isEqualTo(0);
        assertThat(stored(current)).isEqualTo(2);
    }
}
