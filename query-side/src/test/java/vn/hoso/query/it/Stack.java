package vn.hoso.query.it;

import vn.hoso.command.it.LogCapture;
import vn.hoso.command.it.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.bson.Document;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import vn.hoso.command.CommandSideApplication;
import vn.hoso.deploy.EmbeddedMongo;
import vn.hoso.events.EventJson;
import vn.hoso.query.QuerySideApplication;
import vn.hoso.query.store.ReadModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
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
    /** The emulator's data folder, deleted on close (a test run would otherwise leave its stores behind in /tmp). */
    private final Path mongoFolder;
    final String mongoServer;
    final String database = "qit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String alias = "dossiers-" + database.replace('_', '-');
    final MongoClient mongo;
    private String[] querySideArguments;
    private final Clock queryClock;
    ConfigurableApplicationContext commandSide;
    ConfigurableApplicationContext querySide;
    private final Path keyFile = idHashKeyFile();

    /**
     * A file holding a throw-away applicant-ID hash key made for this run: the services run outside the development
     * profile, where a key is never generated, so every instance of a test reads this one.
     */
    static Path idHashKeyFile() throws java.io.IOException {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Path file = Files.createTempDirectory("hoso-qit-key").resolve("id-hash.key");
        Files.writeString(file, java.util.Base64.getEncoder().encodeToString(key));
        // and beside it, the sealed log's signing key (logSigningKeyFile)
        Files.writeString(logSigningKeyFile(file), vn.hoso.tlog.SignedNote.SignerKey.generate("hoso.test/log",
                new java.security.SecureRandom()).toString());
        return file;
    }

    /** The sealed log's signing key written beside an ID-hash key file by {@link #idHashKeyFile()}. */
    static Path logSigningKeyFile(Path idHashKeyFile) {
        return idHashKeyFile.resolveSibling("log-signing.key");
    }

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
        this(commandClock, queryClock, ownElasticsearch, new String[0], querySideArguments);
    }

    /**
     * @param commandSideArguments settings of the command side beyond the defaults; like the query side's, each
     *                             replaces a default of the same name (another token issuer, say)
     */
    Stack(String[] commandSideArguments, String... querySideArguments) throws Exception {
        this(TestTime.CLOCK, TestTime.CLOCK, false, commandSideArguments, querySideArguments);
    }

    private Stack(Clock commandClock, Clock queryClock, boolean ownElasticsearch, String[] commandSideArguments,
                  String[] querySideArguments) throws Exception {
        this.querySideArguments = querySideArguments;
        this.queryClock = queryClock;
        LogCapture.install();
        this.ownElasticsearch = ownElasticsearch;
        elasticsearch = ownElasticsearch ? ElasticsearchServer.startOwn() : ElasticsearchServer.start();
        String external = TestMongoServer.fromEnvironment();
        if (external != null) {
            embeddedMongo = null;
            mongoFolder = null;
            mongoServer = external;
        } else {
            mongoFolder = Files.createTempDirectory("hoso-qit");
            embeddedMongo = EmbeddedMongo.startPersistent(mongoFolder.resolve("mongo.mv"), "127.0.0.1", 0, true);
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
        commandSide = command.run(merged(commandArguments, commandSideArguments));
        startQuerySide();
    }

    /** Stops the query side and starts it again with these settings instead of the ones it had. */
    void restartQuerySide(String... arguments) throws Exception {
        querySide.close();
        querySideArguments = arguments;
        startQuerySide();
    }

    void startQuerySide() throws Exception {
        querySide = runQuerySide(querySideArguments);
    }

    /**
     * Another query-side instance on the same store, index and key, with these settings (a newer version's, say),
     * beside the one {@link #querySide} holds; the caller closes it.
     */
    ConfigurableApplicationContext startAnotherQuerySide(String... settings) {
        return runQuerySide(settings);
    }

    private ConfigurableApplicationContext runQuerySide(String[] settings) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--spring.data.mongodb.uri=" + mongoServer + "/" + database, "--hoso.store.database=" + database,
                "--spring.elasticsearch.uris=" + elasticsearch.url(), "--hoso.search.alias=" + alias,
                "--hoso.search.id-hash-key-file=" + keyFile,
                "--hoso.log.signing-key-file=" + logSigningKeyFile(keyFile),
                "--logging.level.root=WARN", "--logging.level.vn.hoso=INFO", "--spring.main.banner-mode=off",
                // configured down from Axon's 5 s: a query side started by a test claims its segments, and projects,
                // within half a second instead of about 4 s
                "--axon.eventhandling.processors.search-index.token-claim-interval=500",
                "--axon.eventhandling.processors.timelines.token-claim-interval=500"));
        arguments.addAll(TestIssuer.serviceArguments());
        SpringApplication query = QuerySideApplication.application();
        if (queryClock != null) {
            query.addInitializers(c -> c.getBeanFactory().registerSingleton("testClock", queryClock));
        }
        return query.run(merged(arguments, settings));
    }

    /**
     * The defaults, each {@code --name=value} of {@code settings} replacing the default of its name: Spring does not let
     * a later argument of a name win, it joins repeated ones with commas.
     */
    private static String[] merged(List<String> defaults, String[] settings) {
        java.util.Map<String, String> byName = new java.util.LinkedHashMap<>();
        java.util.stream.Stream.concat(defaults.stream(), java.util.Arrays.stream(settings)).forEach(arg -> {
            int equals = arg.indexOf('=');
            byName.put(equals < 0 ? arg : arg.substring(0, equals), arg);
        });
        return byName.values().toArray(String[]::new);
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

    /**
     * The position up to which every processor's stored tokens say every event was delivered (a token's lowest gap
     * less one, or its index): what a query side started now resumes from.
     */
    long storedDeliveredPosition() {
        long lowest = Long.MAX_VALUE;
        for (Document stored : database().getCollection("trackingtokens").find()) {
            JsonNode token = token(stored);
            if (token == null) {
                return 0;
            }
            long delivered = token.path("gaps").isEmpty() ? token.path("index").asLong()
                    : token.path("gaps").get(0).asLong() - 1;
            lowest = Math.min(lowest, delivered);
        }
        return lowest == Long.MAX_VALUE ? 0 : lowest;
    }

    /** The gap-aware token a {@code trackingtokens} document holds, as JSON ({@code index}, {@code gaps}); null if none. */
    static JsonNode token(Document stored) {
        Object data = stored.get("token");
        if (data == null) {
            return null;
        }
        String text = data instanceof org.bson.types.Binary binary
                ? new String(binary.getData(), java.nio.charset.StandardCharsets.UTF_8) : data.toString();
        try {
            return Http.JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable token " + text, e);
        }
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

    /**
     * Every read model's entry of each dossier equals, field by field (fees, payments, steps, counters, due dates,
     * codes, everything it holds), the entry folded afresh from the dossier's events in the store by the read model's
     * own pure {@code apply}: what batches, redeliveries, repairs, stale writes and retries wrote equals one clean pass.
     */
    void assertReadModelsEqualTheStore(Collection<String> dossiers) {
        assertReadModelsEqualTheStore(querySide, dossiers);
    }

    /**
     * The same check for read models that query-side processes wrote: a query side started here on their store, index
     * and ID-hash key reads them (it joins their processors meanwhile, as another instance would).
     */
    static void assertReadModelsEqualTheStore(String mongoServer, String database, String elasticsearch, String alias,
                                              Path idHashKeyFile, Collection<String> dossiers) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--spring.data.mongodb.uri=" + mongoServer + "/" + database, "--hoso.store.database=" + database,
                "--spring.elasticsearch.uris=" + elasticsearch, "--hoso.search.alias=" + alias,
                "--hoso.search.id-hash-key-file=" + idHashKeyFile, "--hoso.completeness.every=0",
                "--hoso.log.signing-key-file=" + logSigningKeyFile(idHashKeyFile),
                "--logging.level.root=WARN", "--spring.main.banner-mode=off"));
        arguments.addAll(TestIssuer.serviceArguments());
        SpringApplication query = QuerySideApplication.application();
        query.addInitializers(c -> c.getBeanFactory().registerSingleton("testClock", TestTime.CLOCK));
        try (ConfigurableApplicationContext reader = query.run(arguments.toArray(String[]::new))) {
            assertReadModelsEqualTheStore(reader, dossiers);
        }
    }

    private static void assertReadModelsEqualTheStore(ConfigurableApplicationContext querySide,
                                                      Collection<String> dossiers) {
        EventStore events = querySide.getBean(EventStore.class);
        ObjectMapper json = EventJson.mapper();
        List<String> differences = new ArrayList<>();
        List<String> ids = List.copyOf(dossiers);
        for (ReadModel<?> model : querySide.getBeansOfType(ReadModel.class).values()) {
            for (int from = 0; from < ids.size(); from += 200) {
                List<String> batch = ids.subList(from, Math.min(ids.size(), from + 200));
                differences.addAll(compare(model, batch, events, json));
            }
        }
        assertThat(differences).as("read-model entries that differ from a fold of the store's events").isEmpty();
    }

    private static <S> List<String> compare(ReadModel<S> model, List<String> ids, EventStore events,
                                            ObjectMapper json) {
        List<String> differences = new ArrayList<>();
        Map<String, S> stored = model.readWhole(ids);
        for (String id : ids) {
            S expected = model.empty(id);
            for (DomainEventMessage<?> event : events.readEvents(id).asStream().toList()) {
                expected = model.apply(expected, event);
            }
            JsonNode want = json.valueToTree(expected);
            JsonNode got = stored.containsKey(id) ? json.valueToTree(stored.get(id)) : null;
            if (got == null) {
                differences.add(model.name() + " " + id + ": no entry, expected one at event "
                        + model.lastSequence(expected));
                continue;
            }
            Set<String> fields = new TreeSet<>();
            want.fieldNames().forEachRemaining(fields::add);
            got.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                if (!Objects.equals(want.get(field), got.get(field))) {
                    differences.add(model.name() + " " + id + " ." + field + ": stored " + got.get(field)
                            + ", from the store " + want.get(field));
                }
            }
        }
        return differences;
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
        Document timeline = database().getCollection(timelineReads()).find(new Document("_id", id)).first();
        assertThat(timeline).as("timeline of %s", id).isNotNull();
        assertThat(timeline.get("lastSequence", Number.class).longValue()).as("timeline of %s", id).isEqualTo(sequence);
        assertThat(timeline.getList("steps", Document.class).size() + timeline.get("archivedSteps", 0))
                .as("steps of the timeline of %s, with its archived ones", id).isEqualTo((int) (sequence + 1));
    }

    /** The timelines' collection reads go to: a rebuild's version once it switched, read with the raw driver. */
    String timelineReads() {
        Document versions = database().getCollection("read_model_versions").find(new Document("_id", "timelines"))
                .first();
        return versions == null ? "timelines" : versions.getString("reads");
    }

    /**
     * Submits a business's dossier (procedure 2.000116 at agency 000.00.01.H22) and receives it, through the
     * command API; returns its id.
     */
    String submitAndReceive(int number, String[] citizen, String[] officer) {
        String id = submit(number, citizen);
        assertThat(commands().post("/api/v1/dossiers/" + id + "/receipt", "{}", officer).status()).isEqualTo(200);
        return id;
    }

    /** A dossier of procedure 2.000116 at agency 000.00.01.H22 for "Công ty {number}", submitted by this citizen. */
    String submit(int number, String[] citizen) {
        Http.Answer submitted = commands().post("/api/v1/dossiers", """
                {"procedureCode":"2.000116","agencyCode":"000.00.01.H22",
                 "applicant":{"kind":"BUSINESS","idNumber":"0100109106","fullName":"Công ty %d"},
                 "documents":[{"name":"Hồ sơ","kind":"FORM","contentHash":"sha256:%s","sizeBytes":1}]}
                """.formatted(number, "ab".repeat(32)), citizen);
        assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(201);
        return submitted.body().path("dossierId").asText();
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
            org.springframework.util.FileSystemUtils.deleteRecursively(mongoFolder);
        }
        if (!ownElasticsearch) {
            elasticsearch.release(alias); // the node is shared with the other test classes
        }
        elasticsearch.close();
    }
}
