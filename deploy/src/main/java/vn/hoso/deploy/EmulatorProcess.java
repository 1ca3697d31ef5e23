package vn.hoso.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The MongoDB emulator as a process of its own (as {@code deploy/} runs it), started from the caller's class path (which
 * must hold this module), so that a test can kill it with SIGKILL and start it again on the same H2 file, and a
 * benchmark can measure it as the stack runs it.
 */
public final class EmulatorProcess implements AutoCloseable {

    private final Process process;
    private final String uri;

    private EmulatorProcess(Process process, String uri) {
        this.process = process;
        this.uri = uri;
    }

    public static EmulatorProcess start(Path dataFile, boolean commitEachWrite) {
        return start(dataFile, commitEachWrite, "256m");
    }

    /** @param heap the process's maximum heap, as {@code -Xmx} takes it ({@code 512m}, {@code 2g}) */
    public static EmulatorProcess start(Path dataFile, boolean commitEachWrite, String heap) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-cp", System.getProperty("java.class.path"), "vn.hoso.deploy.EmbeddedMongo",
                "--port", String.valueOf(port), "--data", dataFile.toString()));
        if (!commitEachWrite) {
            command.add("--no-commit-per-write");
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String uri = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith("READY ")) {
                            return line.substring("READY ".length()).trim();
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            if (uri == null) {
                throw new IllegalStateException("the emulator exited before it was ready");
            }
            // keep draining its output so that it never blocks on a full pipe
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // discard
                    }
                } catch (IOException closed) {
                    // the process is gone
                }
            }, "emulator-output");
            drain.setDaemon(true);
            drain.start();
            return new EmulatorProcess(process, uri);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the emulator process", e);
        }
    }

    public String uri() {
        return uri;
    }

    /** SIGKILL: the process gets no chance to flush anything. Returns {@link System#nanoTime()} of the signal. */
    public long kill() throws InterruptedException {
        long signalledAt = System.nanoTime();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return signalledAt;
    }

    /** SIGSTOP: the process keeps its connections open and answers nothing, as a stalled store does. */
    public void stall() throws InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a stalled process goes on where it stopped. */
    public void resume() throws InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            resume(); // a stalled process would not stop on SIGTERM
        }
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
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
