package vn.hoso.deploy;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs mongo-java-server as the local stack's MongoDB.
 * <p>
 * Usage: {@code java -jar deploy-exec.jar [--host 127.0.0.1] [--port 27017] [--data FILE | --memory]
 * [--no-commit-per-write]}. With {@code --data} the H2 backend keeps everything in one file across restarts and
 * commits after each write (see {@link DurableH2Backend}); {@code --no-commit-per-write} switches that off (only
 * to demonstrate what it protects against). Prints {@code READY mongodb://host:port} once it accepts connections.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);
    private static final int CACHE_MB = Integer.getInteger("hoso.mongo.cacheMb", 256);

    private final MongoServer server;
    private final MVStore store;
    private final String connectionString;

    private EmbeddedMongo(MongoServer server, MVStore store, String connectionString) {
        this.server = server;
        this.store = store;
        this.connectionString = connectionString;
    }

    /** Starts a server kept in memory only (nothing survives a restart). */
    public static EmbeddedMongo startInMemory(String host, int port) {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind(host, port);
        return new EmbeddedMongo(server, null, uri(server));
    }

    /** Starts a server whose data lives in {@code dataFile} (created if missing). */
    public static EmbeddedMongo startPersistent(Path dataFile, String host, int port, boolean commitEachWrite) {
        try {
            Path parent = dataFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of " + dataFile, e);
        }
        // a page cache that holds a development store whole: every non-_id query is a full scan on the emulator
        MVStore store = new MVStore.Builder().fileName(dataFile.toString()).cacheSize(CACHE_MB).open();
        MongoServer server = new MongoServer(new DurableH2Backend(store, commitEachWrite));
        server.bind(host, port);
        return new EmbeddedMongo(server, store, uri(server));
    }

    private static String uri(MongoServer server) {
        var address = server.getLocalAddress();
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    public String connectionString() {
        return connectionString;
    }

    @Override
    public void close() {
        server.shutdownNow();
        if (store != null && !store.isClosed()) {
            store.close();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        String host = "127.0.0.1";
        int port = 27017;
        Path data = Path.of("deploy", "data", "hoso-mongo.mv");
        boolean memory = false;
        boolean commitEachWrite = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--memory" -> memory = true;
                case "--no-commit-per-write" -> commitEachWrite = false;
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        EmbeddedMongo mongo;
        if (memory) {
            mongo = startInMemory(host, port);
            log.info("MongoDB emulator in memory (nothing survives a restart)");
        } else {
            mongo = startPersistent(data, host, port, commitEachWrite);
            log.info("MongoDB emulator with H2 file {} (commit after each write: {})", data.toAbsolutePath(),
                    commitEachWrite);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping the MongoDB emulator");
            mongo.close();
            stopped.countDown();
        }, "embedded-mongo-shutdown"));
        System.out.println("READY " + mongo.connectionString());
        System.out.flush();
        stopped.await();
    }
}
