package vn.hoso.query.it;

import vn.hoso.command.it.LogCapture;
import vn.hoso.command.it.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import vn.hoso.command.CommandSideApplication;
import vn.hoso.deploy.EmbeddedMongo;
import vn.hoso.query.QuerySideApplication;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole stack in one JVM for end-to-end tests: a real Elasticsearch process (the one node the test classes share,
 * unless a test needs its own), the embedded MongoDB (or the server {@code MONGODB_URI} names), the command side and
 * the query side, each test class on a database and an index alias of its own.
 */
final class Stack implements AutoCloseable {

    final ElasticsearchServer elasticsearch;
    private final boolean ownElasticsearch;
    final EmbeddedMongo embeddedMongo;
    final String mongoServer;
    final String database = "qit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String alias = "dossiers-" + database.replace('_', '-');
    final MongoClient mongo;
    private String[] querySideArguments;
    private final Clock queryClock;
    ConfigurableApplicationContext commandSide;
    ConfigurableApplicationContext querySide;
    private final Path keyFile = Files.createTempDirectory("hoso-qit-key").resolve("id-hash.key");

    Stack() throws Exception {
        this(false);
    }

    /**
     * @param ownElasticsearch   start an Elasticsearch of this test's own even when ELASTICSEARCH_URL is set
     * @param querySideArguments settings of the query side beyond the defaults ({@code --name=value})
     */
    Stack(boolean ownElasticsearch, String... querySideArguments) throws Exception {
        this(TestTime.CLOCK, TestTime.CLOCK, ownElasticsearch, querySideArguments);
    }

    /**
     * @param commandClock the command side's "now" ({@link TestTime#CLOCK} unless a test needs another)
     * @param queryClock   the query side's "now"
     */
    Stack(Clock commandClock, Clock queryClock, boolean ownElasticsearch, String... querySideArguments)
            throws Exception {
        this.querySideArguments = querySideArguments;
        this.queryClock = queryClock;
        LogCapture.install();
        this.ownElasticsearch = ownElasticsearch;
        elasticsearch = ownElasticsearch ? ElasticsearchServer.startOwn() : ElasticsearchServer.start();
        String external = TestMongoServer.fromEnvironment();
        if (external != null) {
            embeddedMongo = null;
            mongoServer = external;
        } else {
            embeddedMongo = EmbeddedMongo.startPersistent(Files.createTempDirectory("hoso-qit").resolve("mongo.mv"),
                    "127.0.0.1", 0, true);
            mongoServer = embeddedMongo.connectionString();
        }
        mongo = MongoClients.create(mongoServer);
        SpringApplication command = CommandSideApplication.application();
        if (commandClock != null) {
            command.addInitializers(c -> c.getBeanFactory().registerSingleton("testClock", commandClock));
        }
        List<String> commandArguments = new ArrayList<>(List.of("--server.port=0",
                "--spring.data.mongodb.uri=" + mongoServer + "/" + database, "--hoso.store.database=" + database,
                "--logging.level.root=WARN", "--logging.level.vn.hoso=INFO", "--spring.main.banner-mode=off"));
        commandArguments.addAll(TestIssuer.serviceArguments());
        commandSide = command.run(commandArguments.toArray(String[]::new));
        startQuerySide();
    }

    /** Stops the query side and starts it again with these settings instead of the ones it had. */
    void restartQuerySide(String... arguments) throws Exception {
        querySide.close();
        querySideArguments = arguments;
        startQuerySide();
    }

    void startQuerySide() throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--spring.data.mongodb.uri=" + mongoServer + "/" + database, "--hoso.store.database=" + database,
                "--spring.elasticsearch.uris=" + elasticsearch.url(), "--hoso.search.alias=" + alias,
                "--hoso.search.id-hash-key-file=" + keyFile,
                "--logging.level.root=WARN", "--logging.level.vn.hoso=INFO", "--spring.main.banner-mode=off",
                // configured down from Axon's 5 s: a query side started by a test claims its segments, and projects,
                // within half a second instead of about 4 s
                "--axon.eventhandling.processors.search-index.token-claim-interval=500",
                "--axon.eventhandling.processors.timelines.token-claim-interval=500"));
        arguments.addAll(TestIssuer.serviceArguments());
        arguments.addAll(List.of(querySideArguments));
        SpringApplication query = QuerySideApplication.application();
        if (queryClock != null) {
            query.addInitializers(c -> c.getBeanFactory().registerSingleton("testClock", queryClock));
        }
        querySide = query.run(arguments.toArray(String[]::new));
    }

    /**
     * Every endpoint of both running services, from their handler mappings (controllers, the management endpoints,
     * the API description): {@code C|Q METHOD /path/{pattern}}, sorted.
     */
    List<String> endpoints() {
        java.util.TreeSet<String> endpoints = new java.util.TreeSet<>();
        collectEndpoints("C", commandSide, endpoints);
        collectEndpoints("Q", querySide, endpoints);
        return List.copyOf(endpoints);
    }

    private static void collectEndpoints(String side, org.springframework.context.ApplicationContext context,
                                         java.util.Set<String> endpoints) {
        for (var mapping : context.getBeansOfType(
                org.springframework.web.servlet.handler.AbstractHandlerMethodMapping.class).values()) {
            for (Object key : mapping.getHandlerMethods().keySet()) {
                if (!(key instanceof org.springframework.web.servlet.mvc.method.RequestMappingInfo info)) {
                    continue;
                }
                var methods = info.getMethodsCondition().getMethods();
                List<String> names = methods.isEmpty() ? List.of("GET")
                        : methods.stream().map(Enum::name).sorted().toList();
                for (String pattern : info.getPatternValues()) {
                    for (String method : names) {
                        endpoints.add(side + " " + method + " " + pattern);
                    }
                }
            }
        }
    }

    /** Per dossier, the last sequence number in the event store, read with the raw driver. */
    Map<String, Long> storedLastSequences() {
        Map<String, Long> stored = new HashMap<>();
        for (Document event : database().getCollection("events").find(new Document("void", new Document("$exists", false)))) {
            stored.merge(event.getString("aggregateIdentifier"), event.get("sequenceNumber", Number.class).longValue(),
                    Math::max);
        }
        return stored;
    }

    /** Per dossier: the last sequence number in the event store equals the one each read model applied. */
    void assertReadModelsMatchTheStore(Collection<String> dossiers) {
        Map<String, Long> stored = storedLastSequences();
        for (String id : dossiers) {
            assertThat(stored).as("events of %s", id).containsKey(id);
            assertSearchDocumentAt(id, stored.get(id));
            assertTimelineAt(id, stored.get(id));
        }
    }

    void assertTimelineMatchesTheStore(String dossierId) {
        assertTimelineAt(dossierId, storedLastSequences().get(dossierId));
    }

    private void assertSearchDocumentAt(String id, long sequence) {
        JsonNode doc = new Http(elasticsearch.url()).get("/" + alias + "/_doc/" + id).body();
        assertThat(doc.path("_source").path("lastSequence").asLong(-1)).as("search document of %s", id)
                .isEqualTo(sequence);
    }

    private void assertTimelineAt(String id, long sequence) {
        Document timeline = database().getCollection("timelines").find(new Document("_id", id)).first();
        assertThat(timeline).as("timeline of %s", id).isNotNull();
        assertThat(timeline.get("lastSequence", Number.class).longValue()).as("timeline of %s", id).isEqualTo(sequence);
        assertThat(timeline.getList("steps", Document.class)).hasSize((int) (sequence + 1));
    }

    /**
     * Submits a business's dossier (procedure 2.000116 at agency 000.00.01.H22) and receives it, through the
     * command API; returns its id.
     */
    String submitAndReceive(int number, String[] citizen, String[] officer) {
        Http.Answer submitted = commands().post("/api/v1/dossiers", """
                {"procedureCode":"2.000116","agencyCode":"000.00.01.H22",
                 "applicant":{"kind":"BUSINESS","idNumber":"0100109106","fullName":"Công ty %d"},
                 "documents":[{"name":"Hồ sơ","kind":"FORM","contentHash":"sha256:%s","sizeBytes":1}]}
                """.formatted(number, "ab".repeat(32)), citizen);
        assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(201);
        String id = submitted.body().path("dossierId").asText();
        assertThat(commands().post("/api/v1/dossiers/" + id + "/receipt", "{}", officer).status()).isEqualTo(200);
        return id;
    }

    /** Makes everything indexed so far visible to searches. */
    void elasticsearchRefresh() {
        Http.Answer refreshed = new Http(elasticsearch.url()).post("/" + alias + "/_refresh");
        assertThat(refreshed.status()).as("refresh of %s: %s", alias, refreshed.body()).isEqualTo(200);
    }

    MongoDatabase database() {
        return mongo.getDatabase(database);
    }

    Http commands() {
        return new Http("http://127.0.0.1:" + ((WebServerApplicationContext) commandSide).getWebServer().getPort());
    }

    Http queries() {
        return new Http("http://127.0.0.1:" + ((WebServerApplicationContext) querySide).getWebServer().getPort());
    }

    @Override
    public void close() throws Exception {
        if (querySide != null) {
            querySide.close();
        }
        if (commandSide != null) {
            commandSide.close();
        }
        if (embeddedMongo == null) {
            mongo.getDatabase(database).drop();
        }
        mongo.close();
        if (embeddedMongo != null) {
            embeddedMongo.close();
        }
        if (!ownElasticsearch) {
            elasticsearch.release(alias); // the node is shared with the other test classes
        }
        elasticsearch.close();
    }
}
