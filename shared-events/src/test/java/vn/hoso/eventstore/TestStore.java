package vn.hoso.eventstore;

import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.BsonDocument;
import vn.hoso.deploy.EmbeddedMongo;
import vn.hoso.events.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The MongoDB of an engine test: the server {@code MONGODB_URI} names when it is set, otherwise the emulator with the
 * H2 backend the stack runs on; a database of the test's own; every command the client sends is recorded.
 */
final class TestStore implements AutoCloseable {

    final List<BsonDocument> commands = new CopyOnWriteArrayList<>();
    private final EmbeddedMongo embedded;
    /** The emulator's folder, deleted on close (a test run would otherwise leave its stores behind in /tmp). */
    private final java.nio.file.Path folder;
    private final MongoClient client;
    private final String databaseName = "es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    TestStore() {
        String external = System.getenv("MONGODB_URI");
        String server;
        if (external != null && !external.isBlank()) {
            embedded = null;
            folder = null;
            String base = external.contains("?") ? external.substring(0, external.indexOf('?')) : external;
            int slash = base.indexOf('/', "mongodb://".length());
            server = slash < 0 ? base : base.substring(0, slash);
        } else {
            try {
                folder = Files.createTempDirectory("hoso-es");
                embedded = EmbeddedMongo.startPersistent(folder.resolve("mongo.mv"), "127.0.0.1", 0, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = embedded.connectionString();
        }
        client = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(server))
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        commands.add(event.getCommand().clone());
                    }
                }).build());
    }

    MongoClient client() {
        return client;
    }

    String databaseName() {
        return databaseName;
    }

    MongoDatabase database() {
        return client.getDatabase(databaseName);
    }

    static Serializer serializer() {
        return JacksonSerializer.builder().objectMapper(EventJson.mapper()).build();
    }

    PositionedMongoEventStorageEngine.Builder engine() {
        return PositionedMongoEventStorageEngine.builder().database(database()).eventSerializer(serializer())
                .snapshotSerializer(serializer());
    }

    @Override
    public void close() {
        if (embedded == null) {
            database().drop();
        }
        client.close();
        if (embedded != null) {
            embedded.close();
            org.springframework.util.FileSystemUtils.deleteRecursively(folder.toFile());
        }
    }
}
