package vn.hoso.query.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.TestIssuer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The search index rebuilt beside the live one while clients write and search: no search answers an error, a total
 * lower than one seen before or an empty page; the new version is checked against the store and takes over at once;
 * after the switch every document equals a fold of the store; a rollback returns to a current index; a second rebuild
 * is refused while one is under way; a query side restarted mid-rebuild finishes it.
 */
class SearchIndexRebuildIT {

    private static final String[] CITIZEN = TestIssuer.bearer("CITIZEN", "citizen-rebuild", null);
    private static final String[] OFFICER = TestIssuer.bearer("OFFICER", "officer-rebuild", "000.00.01.H22");
    private static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "inspector-rebuild", null);
    private static final String[] OPERATOR = TestIssuer.bearer("OPERATOR", "operator-rebuild", null);
    private static final String[] ARGUMENTS = {"--hoso.rebuild.retain-previous=15s", "--hoso.rebuild.poll=200ms"};
    private static Stack stack;
    private static final List<String> dossiers = Collections.synchronizedList(new ArrayList<>());
    private static final AtomicInteger numbers = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack(false, ARGUMENTS);
        for (int i = 0; i < 40; i++) {
            dossiers.add(stack.submitAndReceive(numbers.incrementAndGet(), CITIZEN, OFFICER));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(dossiers));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** The one index reads go to; writes go to the same one. */
    private static String live() {
        String reads = behind(stack.alias);
        assertThat(behind(stack.alias + "-write")).as("where writes go").isEqualTo(reads);
        return reads;
    }

    private static String behind(String alias) {
        JsonNode aliases = new Http(stack.elasticsearch.url()).get("/_alias/" + alias).body();
        List<String> names = new ArrayList<>();
        aliases.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("indexes behind " + alias).hasSize(1);
        return names.get(0);
    }

    private static JsonNode progress() {
        Http.Answer answer = stack.queries().get("/api/v1/operator/rebuilds/search-index", OPERATOR);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return answer.body();
    }

    @Test
    void rebuiltBesideTheLiveIndexWhileClientsWriteAndSearchThenRolledBackAndResumedAfterARestart() throws Exception {
        String first = live();
        // clients write and search all along
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger searches = new AtomicInteger();
        Thread clients = new Thread(() -> {
            long highest = 0;
            while (running.get()) {
                try {
                    dossiers.add(stack.submitAndReceive(numbers.incrementAndGet(), CITIZEN, OFFICER));
                    Http.Answer answer = stack.queries().get("/api/v1/search/dossiers?size=5", INSPECTOR);
                    searches.incrementAndGet();
                    long total = answer.body().path("total").asLong();
                    if (answer.status() != 200 || answer.body().path("items").isEmpty() || total < highest) {
                        failures.add(answer.status() + " total " + total + " after " + highest + ": " + answer.body());
                    }
                    highest = Math.max(highest, total);
                } catch (Throwable e) {
                    failures.add("the clients stopped: " + e);
                    return;
                }
            }
        }, "clients");
        clients.start();
        try {
            Http.Answer started = stack.queries().post("/api/v1/operator/rebuilds/search-index", "", OPERATOR);
            assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
            String building = started.body().path("building").asText();
            assertThat(building).isNotEqualTo(first);
            Http.Answer second = stack.queries().post("/api/v1/operator/rebuilds/search-index", "", OPERATOR);
            assertThat(second.status()).as("a second rebuild while one runs").isEqualTo(409);
            assertThat(second.body().path("code").asText()).isEqualTo("CONFLICT");
            List<JsonNode> readings = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                JsonNode now = progress();
                readings.add(now);
                assertThat(now.path("status").asText()).isEqualTo("SWITCHED");
            });
            System.out.printf("rebuild progress read %d times, the last: %s%n", readings.size(), readings.get(
                    readings.size() - 1));
            assertThat(live()).isEqualTo(building);
        } finally {
            running.set(false);
            clients.join();
        }
        assertThat(failures).as("searches during the rebuild (%d)", searches.get()).isEmpty();
        assertThat(searches.get()).isPositive();
        // after the switch, every document equals a fold of the store, and the previous version is kept current
        List<String> all = List.copyOf(dossiers);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(all));
        stack.assertReadModelsEqualTheStore(all);
        for (int i = 0; i < 5; i++) {
            dossiers.add(stack.submitAndReceive(numbers.incrementAndGet(), CITIZEN, OFFICER));
        }
        // a rollback returns to the previous version, current with every dossier written since the switch
        Http.Answer rolledBack = stack.queries().post("/api/v1/operator/rebuilds/search-index/rollback", "", OPERATOR);
        assertThat(rolledBack.status()).as(rolledBack.body().toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(progress().path("status").asText()).isEqualTo("ROLLED_BACK"));
        assertThat(live()).isEqualTo(first);
        List<String> afterRollback = List.copyOf(dossiers);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(afterRollback));
        stack.assertReadModelsEqualTheStore(afterRollback);
        assertThat(stack.queries().post("/api/v1/operator/rebuilds/search-index/rollback", "", OPERATOR).status())
                .as("nothing left to roll back").isEqualTo(409);
        // retired: the unused version is deleted, and a new rebuild may start
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(progress().path("status").asText()).isEqualTo("RETIRED"));
        // the query side is restarted while it builds (slowly: 10 events a second), and the restarted one finishes it
        stack.restartQuerySide("--hoso.rebuild.retain-previous=15s", "--hoso.rebuild.poll=1s",
                "--hoso.rebuild.batch-size=10");
        String again = stack.queries().post("/api/v1/operator/rebuilds/search-index", "", OPERATOR).body()
                .path("building").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> progress().path("eventsDone").asLong(),
                done -> done >= 20);
        assertThat(progress().path("status").asText()).isEqualTo("BUILDING");
        stack.restartQuerySide(ARGUMENTS);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(progress().path("status").asText()).isEqualTo("SWITCHED"));
        // the rebuild the stopped query side began, into the version it made, finished by the restarted one
        assertThat(progress().path("building").asText()).isEqualTo(again);
        assertThat(live()).isEqualTo(again);
        List<String> last = List.copyOf(dossiers);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(last));
        stack.assertReadModelsEqualTheStore(last);
    }
}
