package vn.hoso.query.it;

import vn.hoso.command.it.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    @Order(1)
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
        stack.assertReadModelsEqualTheStore(dossiers);
    }

    /**
     * What an operator, a snapshot or a shrink does to an index: a write block, then a closed index. Each is an outage,
     * not a refusal: the search projection waits and retries, nothing is parked, and it resumes by itself.
     */
    @Test
    @Order(2)
    void aWriteBlockedOrClosedIndexParksNobodyAndProjectionResumesByItself() {
        Http elasticsearch = new Http(stack.elasticsearch.url());
        String index = indexBehindAlias();
        List<String> dossiers = new ArrayList<>();
        dossiers.add(submitAndReceive(200));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertReadModelsMatchTheStore(dossiers));

        assertThat(elasticsearch.put("/" + index + "/_settings", "{\"index.blocks.write\":true}").status()).isEqualTo(200);
        List<String> blocked = List.of(submitAndReceive(201), submitAndReceive(202), submitAndReceive(203));
        dossiers.addAll(blocked);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : blocked) {
                stack.assertTimelineMatchesTheStore(id);
            }
        });
        assertThat(parkedLetters()).as("parked while the index was write-blocked").isEmpty();
        assertThat(elasticsearch.get("/" + index + "/_doc/" + blocked.get(0)).status()).isEqualTo(404);
        assertThat(elasticsearch.put("/" + index + "/_settings", "{\"index.blocks.write\":null}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertReadModelsMatchTheStore(dossiers));

        assertThat(elasticsearch.post("/" + index + "/_close").status()).isEqualTo(200);
        List<String> closed = List.of(submitAndReceive(204), submitAndReceive(205));
        dossiers.addAll(closed);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> stack.assertTimelineMatchesTheStore(closed.get(1)));
        assertThat(parkedLetters()).as("parked while the index was closed").isEmpty();
        assertThat(elasticsearch.post("/" + index + "/_open").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertReadModelsMatchTheStore(dossiers));
        assertThat(parkedLetters()).isEmpty();
        stack.assertReadModelsEqualTheStore(dossiers);
    }

    /**
     * A deleted index: writes go through the alias only, so nothing makes a plain index up with a dynamic mapping;
     * readiness goes DOWN saying what to do, nothing is parked; a restarted query side creates the index again, and a
     * completeness check brings every dossier back into it.
     */
    @Test
    @Order(3)
    void aDeletedIndexIsNotMadeUpAgainAndReadinessSaysWhatToDo() throws Exception {
        Http elasticsearch = new Http(stack.elasticsearch.url());
        List<String> dossiers = new ArrayList<>(stack.storedLastSequences().keySet());
        assertThat(elasticsearch.delete("/" + indexBehindAlias()).status()).isEqualTo(200);
        List<String> after = List.of(submitAndReceive(300), submitAndReceive(301));
        dossiers.addAll(after);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            stack.assertTimelineMatchesTheStore(after.get(1));
            JsonNode readiness = stack.queries().get("/actuator/health/readiness", TestIssuer.operator()).body();
            assertThat(readiness.path("status").asText()).isEqualTo("DOWN");
            assertThat(readiness.path("components").path("searchIndex").path("details").path("reason").asText())
                    .contains("does not exist").contains("reset the search-index processor");
        });
        assertThat(elasticsearch.get("/" + stack.alias).status()).as("an index made up by a write").isEqualTo(404);
        assertThat(elasticsearch.get("/_cat/indices/" + stack.alias + "*?format=json").body()).isEmpty();
        assertThat(parkedLetters()).isEmpty();

        stack.restartQuerySide();
        JsonNode readiness = stack.queries().get("/actuator/health/readiness", TestIssuer.operator()).body();
        assertThat(readiness.path("components").path("searchIndex").path("status").asText()).isEqualTo("UP");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            stack.queries().post("/api/v1/operator/completeness-checks", "", TestIssuer.operator());
            assertReadModelsMatchTheStore(dossiers);
        });
        assertThat(parkedLetters()).isEmpty();
        stack.assertReadModelsEqualTheStore(dossiers);
    }

    private static String indexBehindAlias() {
        JsonNode aliases = new Http(stack.elasticsearch.url()).get("/_alias/" + stack.alias).body();
        return aliases.fieldNames().next();
    }

    private static JsonNode parkedLetters() {
        return stack.queries().get("/api/v1/operator/dead-letters", TestIssuer.operator()).body().path("letters");
    }

    private static String submitAndReceive(int i) {
        return stack.submitAndReceive(i, CITIZEN, OFFICER);
    }

    private static void assertReadModelsMatchTheStore(List<String> dossiers) {
        stack.assertReadModelsMatchTheStore(dossiers);
    }
}
