package vn.hoso.query.it;

import vn.hoso.command.it.LogCapture;
import vn.hoso.command.it.TestIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A command-side or query-side instance as a process of its own, started from this test's class path, on a free port,
 * its output in a log file: several of them share one store as production instances do (each with its own node id in
 * the token store), and a test can kill one with SIGKILL.
 */
final class ServiceProcess implements AutoCloseable {

    final String name;
    final int port;
    final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code mainClass} with these JVM options and arguments; {@code --server.port} is added. */
    static ServiceProcess start(String name, String mainClass, List<String> jvmOptions, List<String> arguments) {
        int port = freePort();
        try {
            Path log = Files.createTempFile("hoso-" + name + "-", ".log");
            LogCapture.include(log);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass,
                    "--server.port=" + port, "--spring.main.banner-mode=off"));
            command.addAll(TestIssuer.serviceArguments());
            command.addAll(arguments);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ServiceProcess(name, port, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the instance answers ready (or fails, showing its log). */
    ServiceProcess awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited: " + tail());
                }
                try {
                    return client.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health/readiness"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + " did not get ready: " + tail(), e);
        }
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Http http() {
        return new Http(url());
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no released claim, no flushed batch. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
