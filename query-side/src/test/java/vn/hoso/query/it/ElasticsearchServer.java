package vn.hoso.query.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A single-node Elasticsearch for integration tests.
 *
 * <p>When the environment variable {@code ELASTICSEARCH_URL} is set, that server is used and {@link #close()} does
 * nothing. Otherwise {@code deploy/start-elasticsearch.sh} (found by walking up from the working directory) starts
 * the Maven Central integ-test zip on a free port with a fresh data folder under {@code /var/tmp/hoso}; the script
 * prints the PID of the server JVM, which {@link #stop()} sends SIGTERM to.
 *
 * <p>{@link #start()} gives every test class of the JVM one shared node (started once, 10-60 s here, stopped when
 * the JVM exits): each class works behind an index alias of its own and {@link #release(String)} deletes its
 * indices. A test that stops or kills its node takes one of its own ({@link #startOwn()}).
 */
final class ElasticsearchServer implements AutoCloseable {

    private static final String SCRIPT = "deploy/start-elasticsearch.sh";
    private static final Path BASE = Path.of("/var/tmp/hoso");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(10); // includes a first download through Maven
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PORT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String url;
    private final Path script;
    private final int port;
    private final Path workDir;
    private final Path dataDir;
    private final Path logFile;
    private volatile long pid = -1;
    private volatile Thread shutdownHook;
    private volatile boolean shared;

    private static ElasticsearchServer sharedNode;

    private ElasticsearchServer(String url, Path script, int port, Path workDir) {
        this.url = url;
        this.script = script;
        this.port = port;
        this.workDir = workDir;
        this.dataDir = workDir == null ? null : workDir.resolve("data");
        this.logFile = workDir == null ? null : workDir.resolve("es.log");
    }

    /**
     * Uses {@code ELASTICSEARCH_URL} when set, otherwise the node this JVM's test classes share, started on first use
     * (and again if it died); {@link #close()} leaves it running, the JVM's exit stops it.
     */
    static synchronized ElasticsearchServer start() {
        String external = System.getenv("ELASTICSEARCH_URL");
        if (external != null && !external.isBlank()) {
            String u = external.strip();
            return new ElasticsearchServer(u.endsWith("/") ? u.substring(0, u.length() - 1) : u, null, -1, null);
        }
        if (sharedNode == null || !sharedNode.running()) {
            if (sharedNode != null) {
                sharedNode.shared = false;
                sharedNode.close();
            }
            sharedNode = startOwn();
            sharedNode.shared = true;
        }
        return sharedNode;
    }

    /** Deletes the indices behind {@code alias} (a test class's own), so that a shared node does not pile them up. */
    void release(String alias) {
        Http http = new Http(url);
        java.util.Set<String> names = new java.util.TreeSet<>();
        Http.Answer indices = http.get("/_alias/" + alias);
        if (indices.status() == 200) {
            indices.body().fieldNames().forEachRemaining(names::add);
        }
        // and the versions beside it that a rebuild made (kept for a rollback, or left by a test that stopped)
        Http.Answer versions = http.get("/" + alias + "-v*");
        if (versions.status() == 200) {
            versions.body().fieldNames().forEachRemaining(names::add);
        }
        names.forEach(index -> {
            Http.Answer deleted = http.delete("/" + index);
            if (deleted.status() != 200 && deleted.status() != 404) {
                throw new IllegalStateException("cannot delete index " + index + ": " + deleted.status() + " "
                        + deleted.body());
            }
        });
    }

    private boolean running() {
        long p = pid;
        return p > 0 && ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false) && portAnswers(port);
    }

    /** Always starts a node of its own (an outage test must not kill a server it was lent). */
    static ElasticsearchServer startOwn() {
        Path script = findScript();
        int port = freePort();
        Path workDir;
        try {
            Files.createDirectories(BASE);
            workDir = Files.createTempDirectory(BASE, "es-it-");
            // the node may run as another user (hoso-es when we are root): it must traverse this folder
            Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data folder under " + BASE, e);
        }
        ElasticsearchServer server = new ElasticsearchServer("http://127.0.0.1:" + port, script, port, workDir);
        try {
            server.launch();
        } catch (RuntimeException | Error e) {
            server.deleteWorkDir();
            throw e;
        }
        return server;
    }

    /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:41234}. */
    String url() {
        return url;
    }

    /** Whether this instance runs a node of its own (false when {@code ELASTICSEARCH_URL} was given). */
    boolean managed() {
        return script != null;
    }

    /** SIGTERM to the node, then waits (bounded) until it has exited and its port no longer answers. */
    synchronized void stop() {
        if (!managed()) {
            return;
        }
        long p = pid;
        if (p > 0) {
            Optional<ProcessHandle> handle = ProcessHandle.of(p);
            if (handle.isPresent()) {
                ProcessHandle h = handle.get();
                h.destroy(); // SIGTERM
                if (!awaitExit(h, STOP_TIMEOUT)) {
                    h.destroyForcibly(); // SIGKILL
                    if (!awaitExit(h, Duration.ofSeconds(10))) {
                        throw new IllegalStateException("Elasticsearch (pid " + p + ") did not exit");
                    }
                }
            }
            pid = -1;
        }
        long deadline = System.nanoTime() + PORT_CLOSE_TIMEOUT.toNanos();
        while (portAnswers(port)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("port " + port + " still answers " + PORT_CLOSE_TIMEOUT + " after stopping");
            }
            pause(100);
        }
        removeShutdownHook();
    }

    /** SIGKILL to the node: it gets no chance to flush or close anything. Waits until the port is closed. */
    synchronized void kill() {
        if (!managed() || pid <= 0) {
            throw new IllegalStateException("no node of this test's to kill");
        }
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroyForcibly();
            if (!awaitExit(h, Duration.ofSeconds(30))) {
                throw new IllegalStateException("Elasticsearch (pid " + h.pid() + ") survived SIGKILL");
            }
        });
        pid = -1;
        long deadline = System.nanoTime() + PORT_CLOSE_TIMEOUT.toNanos();
        while (portAnswers(port)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("port " + port + " still answers after the kill");
            }
            pause(100);
        }
    }

    /** Starts the node again on the same port and data folder (after {@link #stop()}, for outage tests). */
    synchronized void startAgain() {
        if (!managed()) {
            throw new IllegalStateException("ELASTICSEARCH_URL is set: this server is not managed here");
        }
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("Elasticsearch is still running (pid " + pid + ")");
        }
        launch();
    }

    /** Stops the node (when managed and not shared) and deletes its data folder, best effort. */
    @Override
    public synchronized void close() {
        if (!managed() || shared) {
            return;
        }
        try {
            stop();
        } finally {
            deleteWorkDir();
        }
    }

    /** The PID of the server JVM, or -1 when not running / not managed. */
    long pid() {
        return pid;
    }

    /** The console output of the node (empty when not managed). */
    Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    // ------------------------------------------------------------------------------------------------------------

    private void launch() {
        Path out = workDir.resolve("start.out");
        Path err = workDir.resolve("start.err");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), Integer.toString(port), dataDir.toString(),
                logFile.toString())
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        }
        boolean finished;
        try {
            finished = process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroy(); // the script's trap kills what it started
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Elasticsearch", e);
        }
        if (!finished) {
            process.destroy();
            awaitExit(process.toHandle(), Duration.ofSeconds(15));
            throw new IllegalStateException(script + " did not finish within " + SCRIPT_TIMEOUT + "\n" + read(err));
        }
        String stdout = read(out).strip();
        if (process.exitValue() != 0 || !stdout.matches("\\d+")) {
            throw new IllegalStateException(script + " failed (exit " + process.exitValue() + ", stdout '" + stdout
                    + "'):\n" + read(err));
        }
        pid = Long.parseLong(stdout);
        addShutdownHook();
    }

    /**
     * Stops the node when the test JVM ends without close() (the shared node always does), so no server outlives the
     * build, and deletes its data folder.
     */
    private void addShutdownHook() {
        if (shutdownHook != null) {
            return;
        }
        Thread hook = new Thread(() -> {
            long p = pid;
            if (p > 0) {
                ProcessHandle.of(p).ifPresent(h -> {
                    h.destroy();
                    if (!awaitExit(h, Duration.ofSeconds(20))) {
                        h.destroyForcibly();
                        awaitExit(h, Duration.ofSeconds(10));
                    }
                });
            }
            deleteWorkDir();
        }, "elasticsearch-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        shutdownHook = hook;
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        shutdownHook = null;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook runs anyway
            }
        }
    }

    private void deleteWorkDir() {
        if (workDir == null || !Files.exists(workDir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !handle.isAlive();
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    private static boolean portAnswers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static Path findScript() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve(SCRIPT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + SCRIPT + " in " + dir + " or any folder above it; "
                + "set ELASTICSEARCH_URL to use a running server");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "ElasticsearchServer[" + url + (managed() ? ", pid " + pid + ", data " + dataDir : ", external") + "]";
    }
}
