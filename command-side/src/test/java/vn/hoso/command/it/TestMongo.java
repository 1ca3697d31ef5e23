package vn.hoso.command.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import vn.hoso.deploy.EmbeddedMongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Sorts.ascending;

/**
 * The MongoDB of an integration test: the server {@code MONGODB_URI} names when it is set (CI runs the suite a second
 * time against the separate emulator process), otherwise an embedded mongo-java-server with the H2 backend on a
 * temporary file. Each test class gets a database of its own, so runs never see each other's events.
 */
final class TestMongo implements AutoCloseable {

    private final Path file;
    private final String database;
    private EmbeddedMongo embedded;
    private String baseUri;
    private MongoClient client;

    private TestMongo(EmbeddedMongo embedded, String baseUri, Path file) {
        this.embedded = embedded;
        this.baseUri = baseUri;
        this.file = file;
        this.database = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.client = MongoClients.create(baseUri);
    }

    /**
     * Stops the embedded server and starts it again on the same H2 file (a new port), as a restart of the stack
     * would; against an external server this does nothing.
     */
    void restartEmbedded() {
        if (embedded == null) {
            return;
        }
        client.close();
        embedded.close();
        embedded = EmbeddedMongo.startPersistent(file, "127.0.0.1", 0, true);
        baseUri = embedded.connectionString();
        client = MongoClients.create(baseUri);
    }

    /** A database on a server the caller runs (an emulator process of its own, say). */
    static TestMongo on(String serverUri) {
        return new TestMongo(null, stripDatabase(serverUri), null);
    }

    static TestMongo start() {
        String external = System.getenv("MONGODB_URI");
        if (external != null && !external.isBlank()) {
            return new TestMongo(null, stripDatabase(external), null);
        }
        try {
            Path file = Files.createTempDirectory("hoso-it").resolve("mongo.mv");
            EmbeddedMongo embedded = EmbeddedMongo.startPersistent(file, "127.0.0.1", 0, true);
            return new TestMongo(embedded, embedded.connectionString(), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stripDatabase(String uri) {
        int query = uri.indexOf('?');
        String base = query < 0 ? uri : uri.substring(0, query);
        int slash = base.indexOf('/', "mongodb://".length());
        return slash < 0 ? base : base.substring(0, slash);
    }

    String uri() {
        return baseUri + "/" + database;
    }

    String database() {
        return database;
    }

    boolean isExternal() {
        return embedded == null;
    }

    MongoDatabase db() {
        return client.getDatabase(database);
    }

    MongoCollection<Document> events() {
        return client.getDatabase(database).getCollection("events");
    }

    /** Stored events, read with the raw driver; positions voided by refused appends hold no event and do not count. */
    long eventCount() {
        return events().countDocuments(new Document("void", new Document("$exists", false)));
    }

    /** The stored sequence numbers of one dossier, read with the raw driver, in order. */
    List<Long> sequenceNumbers(String dossierId) {
        return events().find(eq("aggregateIdentifier", dossierId)).sort(ascending("sequenceNumber"))
                .map(d -> d.get("sequenceNumber", Number.class).longValue()).into(new java.util.ArrayList<>());
    }

    /** The stored event types of one dossier, in order. */
    List<String> eventTypes(String dossierId) {
        return events().find(eq("aggregateIdentifier", dossierId)).sort(ascending("sequenceNumber"))
                .map(d -> d.getString("payloadType").substring(d.getString("payloadType").lastIndexOf('.') + 1))
                .into(new java.util.ArrayList<>());
    }

    @Override
    public void close() {
        if (isExternal()) {
            client.getDatabase(database).drop();
        }
        client.close();
        if (embedded != null) {
            embedded.close();
            // the emulator's folder: a test run would otherwise leave its stores behind in /tmp
            org.springframework.util.FileSystemUtils.deleteRecursively(file.getParent().toFile());
        }
    }
}
