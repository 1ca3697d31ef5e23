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
 * The search index and the timelines rebuilt beside the live ones while clients write, search and read timelines: no
 * search answers an error, a total lower than one seen before or an empty page, no timeline read fails; each new
 * version is checked against the store and takes over at once; after the switch every entry equals a fold of the
 * store; a rollback returns to a current version; a second rebuild is refused while one is under way; a query side
 * restarted mid-rebuild finishes it; a version whose search mapping the live index refuses rebuilds it by itself in a
 * rolling upgrade.
 */
class ReadModelRebuildIT {

    private static final String[] CITIZEN = TestIssuer.bearer("CITIZEN", "citizen-rebuild", null);
    private static final String[] OFFICER = TestIssuer.bearer("OFFICER", "officer-rebuild", "000.00.01.H22");
    private static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "inspector-rebuild", null);
    private static final String[] OPERATOR = TestIssuer.bearer("OPERATOR", "operator-rebuild", null);
    /** The previous versions kept for longer than the test runs: it retires them itself (a slow machine kept none). */
    private static final String[] ARGUMENTS = {"--hoso.rebuild.retain-previous=30m", "--hoso.rebuild.poll=200ms"};
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
        return progress("search-index");
    }

    private static JsonNode progress(String readModel) {
        Http.Answer answer = stack.queries().get("/api/v1/operator/rebuilds/" + readModel, OPERATOR);
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
                    String earlier = dossiers.get(numbers.get() % dossiers.size());
                    Http.Answer timeline = stack.queries().get("/api/v1/dossiers/" + earlier + "/timeline", INSPECTOR);
                    if (timeline.status() != 200 || timeline.body().path("steps").isEmpty()) {
                        failures.add("timeline of " + earlier + ": " + timeline.status() + " " + timeline.body());
                    }
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
        String timelineVersion;
        try {
            Http.Answer started = stack.queries().post("/api/v1/operator/rebuilds/search-index", "", OPERATOR);
            assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
            String building = started.body().path("building").asText();
            assertThat(building).isNotEqualTo(first);
            Http.Answer second = stack.queries().post("/api/v1/operator/rebuilds/search-index", "", OPERATOR);
            assertThat(second.status()).as("a second rebuild while one runs").isEqualTo(409);
            assertThat(second.body().path("code").asText()).isEqualTo("CONFLICT");
            // the timelines, at the same time (each read model has a rebuild of its own)
            Http.Answer timelines = stack.queries().post("/api/v1/operator/rebuilds/timelines", "", OPERATOR);
            assertThat(timelines.status()).as(timelines.body().toString()).isEqualTo(202);
            timelineVersion = timelines.body().path("building").asText();
            assertThat(timelineVersion).isNotEqualTo("timelines").startsWith("timelines-v");
            assertThat(stack.queries().get("/api/v1/operator/rebuilds/nothing", OPERATOR).status())
                    .as("an unknown read model").isEqualTo(404);
            List<JsonNode> readings = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                JsonNode now = progress();
                readings.add(now);
                assertThat(now.path("status").asText()).isEqualTo("SWITCHED");
            });
            System.out.printf("rebuild progress read %d times, the last: %s%n", readings.size(), readings.get(
                    readings.size() - 1));
            assertThat(live()).isEqualTo(building);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                    assertThat(progress("timelines").path("status").asText()).isEqualTo("SWITCHED"));
            assertThat(stack.timelineReads()).isEqualTo(timelineVersion);
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
        Http.Answer timelinesBack = stack.queries().post("/api/v1/operator/rebuilds/timelines/rollback", "", OPERATOR);
        assertThat(timelinesBack.status()).as(timelinesBack.body().toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(progress().path("status").asText()).isEqualTo("ROLLED_BACK");
            assertThat(progress("timelines").path("status").asText()).isEqualTo("ROLLED_BACK");
        });
        assertThat(live()).isEqualTo(first);
        assertThat(stack.timelineReads()).isEqualTo("timelines");
        List<String> afterRollback = List.copyOf(dossiers);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(afterRollback));
        stack.assertReadModelsEqualTheStore(afterRollback);
        assertThat(stack.queries().post("/api/v1/operator/rebuilds/search-index/rollback", "", OPERATOR).status())
                .as("nothing left to roll back").isEqualTo(409);
        // retired by an operator: the unused version is deleted, and a new rebuild may start
        for (String readModel : List.of("search-index", "timelines")) {
            Http.Answer retired = stack.queries().post("/api/v1/operator/rebuilds/" + readModel + "/retire", "",
                    OPERATOR);
            assertThat(retired.status()).as(retired.body().toString()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(progress().path("status").asText()).isEqualTo("RETIRED");
            assertThat(progress("timelines").path("status").asText()).isEqualTo("RETIRED");
        });
        assertThat(stack.database().listCollectionNames().into(new ArrayList<>()))
                .as("the timelines' version not in use, deleted").doesNotContain(timelineVersion);
        assertThat(stack.queries().post("/api/v1/operator/rebuilds/timelines/retire", "", OPERATOR).status())
                .as("nothing left to retire").isEqualTo(409);
        assertThat(stack.queries().post("/api/v1/operator/rebuilds/search-index/rollback", "", OPERATOR).status())
                .as("no rollback once retired").isEqualTo(409);
        // the query side is restarted while it builds (slowly: 10 events a second), and the restarted one finishes it
        stack.restartQuerySide("--hoso.rebuild.retain-previous=15s", "--hoso.rebuild.poll=1s",
                "--hoso.rebuild.batch-size=10");
        String again = stack.queries().post("/api/v1/operator/rebuilds/search-index", "", OPERATOR).body()
                .path("building").asText();
        // a timelines' rebuild an operator abandons while it builds: its version is deleted, the live one unchanged
        String abandonedVersion = stack.queries().post("/api/v1/operator/rebuilds/timelines", "", OPERATOR).body()
                .path("building").asText();
        Http.Answer abandoned = stack.queries().post("/api/v1/operator/rebuilds/timelines/abandon", "", OPERATOR);
        assertThat(abandoned.status()).as(abandoned.body().toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(progress("timelines").path("status").asText()).isEqualTo("ABANDONED"));
        assertThat(stack.database().listCollectionNames().into(new ArrayList<>())).doesNotContain(abandonedVersion);
        assertThat(stack.queries().post("/api/v1/operator/rebuilds/timelines/abandon", "", OPERATOR).status())
                .as("nothing left to abandon").isEqualTo(409);
        assertThat(stack.timelineReads()).isEqualTo("timelines");
        // the timelines again, slowly; the entry of the first dossier goes missing from the new version once every
        // event of it is applied (as a write lost after it was acknowledged would), and the check against the store
        // finds it and repairs it
        String timelinesAgain = stack.queries().post("/api/v1/operator/rebuilds/timelines", "", OPERATOR).body()
                .path("building").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> progress().path("eventsDone").asLong(),
                done -> done >= 20);
        assertThat(progress().path("status").asText()).isEqualTo("BUILDING");
        String lost = dossiers.get(0);
        long lostLast = stack.storedLastSequences().get(lost);
        await().atMost(Duration.ofSeconds(60)).until(() -> stack.database().getCollection(timelinesAgain)
                .deleteOne(new org.bson.Document("_id", lost).append("lastSequence", lostLast))
                .getDeletedCount() == 1);
        stack.restartQuerySide(ARGUMENTS);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(progress().path("status").asText()).isEqualTo("SWITCHED");
            assertThat(progress("timelines").path("status").asText()).isEqualTo("SWITCHED");
        });
        // the rebuild the stopped query side began, into the version it made, finished by the restarted one
        assertThat(progress().path("building").asText()).isEqualTo(again);
        assertThat(live()).isEqualTo(again);
        // the lost entry found against the store and repaired before the switch
        assertThat(progress("timelines").path("entriesRepaired").asLong()).isEqualTo(1);
        assertThat(stack.timelineReads()).isEqualTo(timelinesAgain);
        List<String> last = List.copyOf(dossiers);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(last));
        stack.assertReadModelsEqualTheStore(last);
        assertThat(stack.queries().post("/api/v1/operator/rebuilds/search-index/retire", "", OPERATOR).status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(progress().path("status").asText()).isEqualTo("RETIRED"));
        aNewerVersionWhoseMappingTheLiveIndexRefusesRebuildsItInARollingUpgrade(again);
    }

    /**
     * A rolling upgrade to a version whose mapping changes a field's type (procedureVersion, integer to keyword), which
     * the live index refuses: the new instance starts beside the running one without writing the live index (it
     * claims none of the search processor's segments; the running instance keeps the index current), rebuilds an index
     * for its mapping with no operator, and takes the writes over once it switched, when the earlier instance stops
     * writing. Searches never fail; every document equals the store; there is no rollback to a mapping it cannot write.
     */
    private void aNewerVersionWhoseMappingTheLiveIndexRefusesRebuildsItInARollingUpgrade(String live) throws Exception {
        assertThat(mapping(live).path("procedureVersion").path("type").asText()).isEqualTo("integer");
        try (org.springframework.context.ConfigurableApplicationContext next = stack.startAnotherQuerySide(
                "--hoso.search.mapping=search/dossiers-index-next.json", "--hoso.rebuild.retain-previous=15s",
                "--hoso.rebuild.poll=200ms")) {
            // started, and it writes none of the live index: the earlier instance holds every segment
            assertThat(searchSegments(next)).isZero();
            AtomicBoolean running = new AtomicBoolean(true);
            List<String> failures = new CopyOnWriteArrayList<>();
            Thread clients = new Thread(() -> {
                while (running.get()) {
                    try {
                        dossiers.add(stack.submitAndReceive(numbers.incrementAndGet(), CITIZEN, OFFICER));
                        Http.Answer answer = stack.queries().get("/api/v1/search/dossiers?size=5", INSPECTOR);
                        if (answer.status() != 200 || answer.body().path("items").isEmpty()) {
                            failures.add(answer.status() + ": " + answer.body());
                        }
                    } catch (Throwable e) {
                        failures.add("the clients stopped: " + e);
                        return;
                    }
                }
            }, "clients-upgrade");
            clients.start();
            try {
                // the new instance started the rebuild itself, for its mapping, and switched
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    JsonNode now = progress();
                    assertThat(now.path("mapping").asInt()).isEqualTo(2);
                    if (now.path("status").asText().equals("BUILDING")) {
                        assertThat(searchSegments(next)).as("the new instance's segments while it builds").isZero();
                    }
                    assertThat(now.path("status").asText()).isEqualTo("SWITCHED");
                });
            } finally {
                running.set(false);
                clients.join();
            }
            assertThat(failures).as("searches during the upgrade").isEmpty();
            JsonNode progress = progress();
            assertThat(progress.path("reason").asText()).contains("refuses this version's mapping 2");
            assertThat(progress.path("previousKeptCurrent").asBoolean()).isFalse();
            String rebuilt = live();
            assertThat(rebuilt).isNotEqualTo(live);
            assertThat(mapping(rebuilt).path("procedureVersion").path("type").asText()).isEqualTo("keyword");
            // the earlier instance stops writing it; the new one takes every segment over
            int segments = next.getBean(org.axonframework.eventhandling.tokenstore.TokenStore.class)
                    .fetchSegments("search-index").length;
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(searchSegments(stack.querySide)).as("the earlier instance's segments").isZero();
                assertThat(searchSegments(next)).as("the new instance's segments").isEqualTo(segments);
            });
            for (int i = 0; i < 3; i++) {
                dossiers.add(stack.submitAndReceive(numbers.incrementAndGet(), CITIZEN, OFFICER));
            }
            List<String> all = List.copyOf(dossiers);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(all));
            stack.assertReadModelsEqualTheStore(all);
            Http.Answer rollback = stack.queries().post("/api/v1/operator/rebuilds/search-index/rollback", "",
                    OPERATOR);
            assertThat(rollback.status()).as("no rollback to a mapping this version cannot write").isEqualTo(409);
            assertThat(rollback.body().path("code").asText()).isEqualTo("CONFLICT");
            assertThat(rollback.body().toString()).as("names the version left behind").contains(live);
        }
    }

    /** The segments of the search processor an instance holds now. */
    private static int searchSegments(org.springframework.context.ApplicationContext querySide) {
        return querySide.getBean(org.axonframework.config.EventProcessingConfiguration.class)
                .eventProcessor("search-index", org.axonframework.eventhandling.StreamingEventProcessor.class)
                .orElseThrow().processingStatus().size();
    }

    /** An index's field mappings. */
    private static JsonNode mapping(String index) {
        return new Http(stack.elasticsearch.url()).get("/" + index + "/_mapping").body().path(index).path("mappings")
                .path("properties");
    }
}
