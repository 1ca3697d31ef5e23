package vn.hoso.query.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.TestIssuer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Not a test: the search index, then the timelines, rebuilt beside the live ones over {@code hoso.bench.events}
 * (100,000) events of interleaved dossiers ({@link EventGenerator}: 10 events each, appended through the command
 * side's storage engine), on one query side, once every live processor caught up: each rebuild's events per second
 * from its start to the switch, next to the raw limits measured on the same data (the store's events read through a
 * new stream; Elasticsearch bulk writes, MongoDB inserts of the same documents), and search latency p50/p99 while the
 * index is rebuilt against idle.
 * Run it with
 * {@code ./mvnw -B verify -pl query-side -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=RebuildBenchmark}.
 */
class RebuildBenchmark {

    private static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "inspector-bench", null);
    private static final String[] OPERATOR = TestIssuer.bearer("OPERATOR", "operator-bench", null);

    @Test
    void rebuildRateAndSearchLatency() throws Exception {
        int events = Integer.getInteger("hoso.bench.events", 100_000);
        try (Stack stack = new Stack(false, "--hoso.completeness.every=0")) {
            EventStorageEngine engine = stack.commandSide.getBean(EventStorageEngine.class);
            long start = System.nanoTime();
            int dossiers = EventGenerator.appendInterleaved(engine, events, TestTime.CLOCK.instant()).size();
            System.out.printf("%n%,d events of %,d dossiers appended in %.0f s%n", events, dossiers,
                    (System.nanoTime() - start) / 1e9);
            // every live processor caught up first (the timelines too: a rebuild is measured on a quiet side)
            long head = stack.querySide.getBean(org.axonframework.eventsourcing.eventstore.EventStore.class)
                    .createHeadToken().position().orElseThrow();
            org.axonframework.config.EventProcessingConfiguration processing =
                    stack.querySide.getBean(org.axonframework.config.EventProcessingConfiguration.class);
            await().atMost(Duration.ofMinutes(120)).pollInterval(Duration.ofSeconds(5)).until(() ->
                    processing.eventProcessors().values().stream()
                            .filter(org.axonframework.eventhandling.StreamingEventProcessor.class::isInstance)
                            .map(org.axonframework.eventhandling.StreamingEventProcessor.class::cast)
                            .allMatch(p -> !p.processingStatus().isEmpty() && p.processingStatus().values().stream()
                                    .allMatch(st -> st.getCurrentPosition().orElse(-1) >= head)));
            stack.elasticsearchRefresh();
            assertThat(stack.queries().get("/api/v1/search/dossiers?size=1", INSPECTOR).body().path("total").asLong())
                    .isEqualTo(dossiers);
            measure(new Target(stack.queries(), OPERATOR, INSPECTOR,
                    stack.querySide.getBean(org.axonframework.eventsourcing.eventstore.EventStore.class),
                    stack.querySide.getBean(co.elastic.clients.elasticsearch.ElasticsearchClient.class), stack.alias,
                    stack.database(), stack::timelineReads), events);
        }
    }

    /** What a measurement needs of a stack: in this JVM ({@link Stack}) or running on its own ({@code deploy/run.sh}). */
    record Target(Http queries, String[] operator, String[] inspector,
                  org.axonframework.eventsourcing.eventstore.EventStore events,
                  co.elastic.clients.elasticsearch.ElasticsearchClient elasticsearch, String alias,
                  com.mongodb.client.MongoDatabase database, java.util.function.Supplier<String> timelineReads) {
    }

    /**
     * The raw limits on this data, searches while idle, then the search index's rebuild (and the timelines', unless
     * {@code -Dhoso.bench.timelines=false}) from its start to the switch, its progress printed as it goes.
     */
    static void measure(Target stack, long events) throws Exception {
        double rawReads = rawStoreReads(stack.events(), events);
        double rawBulk = rawBulk(stack.elasticsearch(), stack.alias());
        List<Double> idle = searches(stack, Duration.ofSeconds(20));
        long rebuildStart = System.nanoTime();
        Http.Answer started = stack.queries().post("/api/v1/operator/rebuilds/search-index", "", stack.operator());
        assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
        List<Double> during = new ArrayList<>();
        JsonNode progress;
        long lastPrinted = 0;
        do {
            during.addAll(searches(stack, Duration.ofSeconds(2)));
            progress = stack.queries().get("/api/v1/operator/rebuilds/search-index", stack.operator()).body();
            lastPrinted = printProgress(progress, rebuildStart, lastPrinted);
        } while (!progress.path("status").asText().equals("SWITCHED")
                && System.nanoTime() - rebuildStart < Duration.ofMinutes(120).toNanos());
        double seconds = (System.nanoTime() - rebuildStart) / 1e9;
        System.out.println("at the switch: " + progress);
        assertThat(progress.path("status").asText()).isEqualTo("SWITCHED");
        double rate = events / seconds;
        double limit = Math.min(rawReads, rawBulk);
        System.out.printf("raw limits: the store's events read through a new stream %,.0f events/s; Elasticsearch"
                + " bulk of these documents %,.0f documents/s (2,000 a request, no refresh, no replicas)%n",
                rawReads, rawBulk);
        System.out.printf("rebuild of %,d events to the switch: %.1f s, %,.0f events/s = %.0f%% of the lower raw"
                + " limit (%,.0f/s); %d cores%n", events, seconds, rate, 100 * rate / limit, limit,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("search p50 / p99 (5 a second): idle %.1f / %.1f ms, during the rebuild %.1f / %.1f ms"
                + " (%d searches, every one answered 200)%n", p(idle, 50), p(idle, 99), p(during, 50), p(during, 99),
                during.size());
        if (!Boolean.parseBoolean(System.getProperty("hoso.bench.timelines", "true"))) {
            return; // -Dhoso.bench.timelines=false: the search index only
        }
        // the timelines the same way, next to raw inserts of their documents
        double rawInserts = rawTimelineInserts(stack);
        long timelinesStart = System.nanoTime();
        assertThat(stack.queries().post("/api/v1/operator/rebuilds/timelines", "", stack.operator()).status())
                .isEqualTo(202);
        lastPrinted = 0;
        do {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            progress = stack.queries().get("/api/v1/operator/rebuilds/timelines", stack.operator()).body();
            lastPrinted = printProgress(progress, timelinesStart, lastPrinted);
        } while (!progress.path("status").asText().equals("SWITCHED")
                && System.nanoTime() - timelinesStart < Duration.ofMinutes(240).toNanos());
        assertThat(progress.path("status").asText()).isEqualTo("SWITCHED");
        double timelineSeconds = (System.nanoTime() - timelinesStart) / 1e9;
        System.out.printf("raw limit: MongoDB inserts of these timelines %,.0f documents/s (1,000 a request)%n",
                rawInserts);
        System.out.printf("timelines rebuild of %,d events to the switch: %.1f s, %,.0f events/s = %.0f%% of the"
                + " lower raw limit (%,.0f/s)%n", events, timelineSeconds, events / timelineSeconds,
                100 * events / timelineSeconds / Math.min(rawReads, rawInserts), Math.min(rawReads, rawInserts));
    }

    /** A rebuild's progress as the operator API gives it, at most every 30 s; when it was printed. */
    private static long printProgress(JsonNode progress, long start, long lastPrinted) {
        long now = System.nanoTime();
        if (now - lastPrinted < Duration.ofSeconds(30).toNanos() && !progress.path("status").asText()
                .equals("SWITCHED")) {
            return lastPrinted;
        }
        System.out.printf("%6.0f s %s %s: %,d of %,d events, %s events/s, %s s left; %s%n", (now - start) / 1e9,
                progress.path("readModel").asText(), progress.path("status").asText(),
                progress.path("eventsDone").asLong(), progress.path("eventsInStore").asLong(),
                progress.path("eventsPerSecond").asText(), progress.path("secondsLeft").asText(),
                progress.path("lastCheck").asText());
        return now;
    }

    /** The live timelines inserted into a scratch collection, 1,000 a request, per second of the inserts alone. */
    private static double rawTimelineInserts(Target stack) {
        var scratch = stack.database().getCollection("timelines-rawinsert");
        long written = 0;
        long nanos = 0;
        List<org.bson.Document> part = new ArrayList<>();
        try (var cursor = stack.database().getCollection(stack.timelineReads().get()).find().batchSize(1_000).iterator()) {
            while (cursor.hasNext()) {
                part.add(cursor.next());
                if (part.size() == 1_000 || !cursor.hasNext()) {
                    long start = System.nanoTime();
                    scratch.insertMany(part);
                    nanos += System.nanoTime() - start;
                    written += part.size();
                    part = new ArrayList<>();
                }
            }
        }
        scratch.drop();
        return written / (nanos / 1e9);
    }

    /** The store's events read from the start through a new stream of the query side's event store, per second. */
    private static double rawStoreReads(org.axonframework.eventsourcing.eventstore.EventStore store, long events) {
        long start = System.nanoTime();
        long read = 0;
        try (var stream = store.openStream(null)) {
            while (read < events && stream.hasNextAvailable(5, java.util.concurrent.TimeUnit.SECONDS)) {
                stream.nextAvailable();
                read++;
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(read).isEqualTo(events);
        return read / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The live index's documents bulk-written into a scratch index built as a rebuild builds one (no replicas, no
     * refresh), 2,000 a request, per second of the bulk requests alone (read page by page, never all held at once).
     */
    private static double rawBulk(co.elastic.clients.elasticsearch.ElasticsearchClient client, String alias)
            throws java.io.IOException {
        String scratch = alias + "-rawbulk";
        String mapping = new String(RebuildBenchmark.class.getClassLoader()
                .getResourceAsStream("search/dossiers-index.json").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        client.indices().create(c -> c.index(scratch).withJson(new java.io.StringReader(mapping))
                .settings(st -> st.numberOfReplicas("0").refreshInterval(t -> t.time("-1"))));
        long written = 0;
        long nanos = 0;
        List<co.elastic.clients.elasticsearch._types.FieldValue> after = null;
        while (true) {
            List<co.elastic.clients.elasticsearch._types.FieldValue> from = after;
            var page = client.search(s -> {
                s.index(alias).size(2_000).sort(o -> o.field(f -> f.field("dossierId")));
                if (from != null) {
                    s.searchAfter(from);
                }
                return s;
            }, JsonNode.class).hits().hits();
            if (!page.isEmpty()) {
                long start = System.nanoTime();
                var response = client.bulk(b -> {
                    page.forEach(hit -> b.operations(o -> o.index(x -> x.index(scratch).id(hit.id())
                            .document(hit.source()))));
                    return b;
                });
                nanos += System.nanoTime() - start;
                assertThat(response.errors()).isFalse();
                written += page.size();
            }
            if (page.size() < 2_000) {
                break;
            }
            after = page.get(page.size() - 1).sort();
        }
        client.indices().delete(d -> d.index(scratch));
        return written / (nanos / 1e9);
    }

    /** Searches paced at five a second for this long (a user's load, not a saturating loop); their latencies. */
    private static List<Double> searches(Target stack, Duration duration) {
        List<Double> latencies = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            long t = System.nanoTime();
            Http.Answer answer = stack.queries().get("/api/v1/search/dossiers?size=20", stack.inspector());
            latencies.add((System.nanoTime() - t) / 1e6);
            assertThat(answer.status()).isEqualTo(200);
            next += 200_000_000L;
            java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        return latencies;
    }

    private static double p(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
