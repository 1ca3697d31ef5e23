package vn.hoso.query.it;

import vn.hoso.command.it.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Elasticsearch is killed (SIGKILL) for at least 10 s while commands keep flowing: no event is lost. The search projection
 * fails and backs off (1, 2, 4, 8 s per segment: Axon's back-off, which grows up to 60 s: a longer outage only waits
 * longer), the timelines keep up, and once Elasticsearch is back every read model matches the event store dossier by
 * dossier.
 */
class ElasticsearchOutageIT {

    private static final String[] CITIZEN = TestIssuer.bearer("CITIZEN", "citizen-outage", null);
    private static final String[] OFFICER = TestIssuer.bearer("OFFICER", "officer-outage", "000.00.01.H22");
    private static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "inspector-outage", null);

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack(true);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void noEventIsLostWhileElasticsearchIsDown() {
        List<String> dossiers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            dossiers.add(submitAndReceive(i));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertReadModelsMatchTheStore(dossiers));

        stack.elasticsearch.kill();
        long downSince = System.nanoTime();
        int[] sent = {0};
        // keep commands flowing, one every half second, for the whole outage
        await().atMost(OUTAGE.plusSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            int i = 100 + sent[0]++;
            if (i % 3 == 0) {
                dossiers.add(submitAndReceive(i));
            } else {
                String id = dossiers.get(i % dossiers.size());
                stack.commands().post("/api/v1/dossiers/" + id + "/supplement-requests",
                        "{\"missingItems\":[\"Ảnh " + i + "\"],\"replyBy\":\"2027-01-15\"}", OFFICER);
                stack.commands().post("/api/v1/dossiers/" + id + "/supplements",
                        "{\"documents\":[{\"name\":\"Ảnh\",\"kind\":\"PHOTO\",\"contentHash\":\"sha256:"
                                + "cd".repeat(32) + "\",\"sizeBytes\":10}]}", CITIZEN);
            }
            return System.nanoTime() - downSince >= OUTAGE.toNanos();
        });
        assertThat(stack.queries().get("/api/v1/search/dossiers", INSPECTOR).status()).isEqualTo(503);

        stack.elasticsearch.startAgain();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertReadModelsMatchTheStore(dossiers));
        assertThat(stack.querySide.getBean(PositionedMongoEventStorageEngine.class).gapTimeouts())
                .as("event positions given up").isZero();
        // an outage parks nobody: every batch was retried whole
        JsonNode parked = stack.queries().get("/api/v1/operator/dead-letters",
                TestIssuer.bearer("OPERATOR", "operator-outage", null)).body();
        assertThat(parked.path("letters")).as("parked events").isEmpty();
    }

    private static String submitAndReceive(int i) {
        return stack.submitAndReceive(i, CITIZEN, OFFICER);
    }

    private static void assertReadModelsMatchTheStore(List<String> dossiers) {
        stack.assertReadModelsMatchTheStore(dossiers);
    }
}
