package vn.hoso.query.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.apache.http.HttpHost;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import vn.hoso.events.EventJson;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Not a test: {@link RebuildBenchmark}'s measurement against a stack running on its own ({@code deploy/run.sh}: the
 * store, Elasticsearch and each service in a process of its own), filled by {@link EventGenerator}. It waits until the
 * live projections have applied every event the store holds (the query side's own counters, so the query side must
 * have run since the store was empty), then measures the raw limits, searches while idle, and the rebuilds.
 * {@code ./mvnw -B verify -pl query-side -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=StackRebuildBenchmark -Dhoso.bench.operator="$(deploy/token.sh
 * operator)" -Dhoso.bench.inspector="$(deploy/token.sh inspector)"}; also {@code hoso.bench.query}
 * (http://127.0.0.1:8081), {@code hoso.bench.mongo} (mongodb://127.0.0.1:27017/hoso), {@code hoso.bench.elasticsearch}
 * (http://127.0.0.1:9200), {@code hoso.bench.alias} (dossiers), {@code hoso.bench.timelines} (true).
 */
class StackRebuildBenchmark {

    @Test
    void rebuildOfARunningStack() throws Exception {
        Http queries = new Http(System.getProperty("hoso.bench.query", "http://127.0.0.1:8081"));
        String[] operator = {"Authorization", "Bearer " + System.getProperty("hoso.bench.operator", "")};
        String[] inspector = {"Authorization", "Bearer " + System.getProperty("hoso.bench.inspector", "")};
        ConnectionString mongo = new ConnectionString(System.getProperty("hoso.bench.mongo",
                "mongodb://127.0.0.1:27017/hoso"));
        try (MongoClient client = MongoClients.create(mongo);
             RestClient rest = RestClient.builder(HttpHost.create(System.getProperty("hoso.bench.elasticsearch",
                     "http://127.0.0.1:9200"))).build()) {
            MongoDatabase database = client.getDatabase(mongo.getDatabase());
            JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(EventJson.mapper()).build();
            PositionedMongoEventStorageEngine engine = PositionedMongoEventStorageEngine.builder().database(database)
                    .eventSerializer(serializer).snapshotSerializer(serializer)
                    .upcasterChain(vn.hoso.events.upcasting.DossierEventUpcasters.chain())
                    .recordOn(Clock.systemUTC()).build();
            EmbeddedEventStore events = EmbeddedEventStore.builder().storageEngine(engine).build();
            try {
                long head = events.createHeadToken().position().orElseThrow();
                System.out.printf("%nthe store holds %,d events; waiting for the live projections to apply them%n",
                        head);
                await().atMost(Duration.ofHours(4)).pollInterval(Duration.ofSeconds(10)).until(() -> {
                    Map<String, Double> applied = applied(queries, operator);
                    System.out.println("applied since the query side started: " + applied);
                    return applied.size() == 2 && applied.values().stream().allMatch(n -> n >= head);
                });
                ElasticsearchClient elasticsearch = new ElasticsearchClient(new RestClientTransport(rest,
                        new JacksonJsonpMapper()));
                String alias = System.getProperty("hoso.bench.alias", "dossiers");
                elasticsearch.indices().refresh(r -> r.index(alias));
                assertThat(queries.get("/api/v1/search/dossiers?size=1", inspector).status()).isEqualTo(200);
                RebuildBenchmark.measure(new RebuildBenchmark.Target(queries, operator, inspector, events,
                        elasticsearch, alias, database, () -> {
                            Document versions = database.getCollection("read_model_versions")
                                    .find(new Document("_id", "timelines")).first();
                            return versions == null ? "timelines" : versions.getString("reads");
                        }), head);
            } finally {
                events.shutDown();
            }
        }
    }

    /** Events each live projection applied since the query side started, from its metrics (an operator's). */
    private static Map<String, Double> applied(Http queries, String[] operator) {
        String metrics = queries.getText("/actuator/prometheus", operator);
        Map<String, Double> applied = new HashMap<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("hoso_projection_lag_seconds_count{")) {
                String readModel = line.replaceAll(".*readModel=\"([^\"]+)\".*", "$1");
                applied.put(readModel, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return applied;
    }
}
