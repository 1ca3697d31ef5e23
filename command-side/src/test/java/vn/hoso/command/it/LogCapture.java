package vn.hoso.command.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps everything the services log during a test run, for {@code PersonalDataInLogsIT}: the console of this JVM
 * (where the services started in-process log) is copied into {@code target/captured-logs/console-<pid>.log}, and
 * the log files of services started as processes are listed next to it. Also finds, in the module's test
 * sources, the citizen IDs, tax codes and names the tests send.
 */
public final class LogCapture {

    private static final Path DIRECTORY = Path.of("target", "captured-logs");
    private static final Path CHILDREN = DIRECTORY.resolve("process-logs.txt");
    private static boolean installed;

    private LogCapture() {
    }

    /** Copies this JVM's console from now on (once per JVM; a service's console appender writes through it). */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            // this run's logs only: what an earlier run in the same folder left is not this run's
            if (Files.isDirectory(DIRECTORY)) {
                try (Stream<Path> old = Files.list(DIRECTORY)) {
                    for (Path stale : old.toList()) {
                        Files.deleteIfExists(stale);
                    }
                }
            }
            Files.createDirectories(DIRECTORY);
            OutputStream file = Files.newOutputStream(DIRECTORY.resolve("console-" + ProcessHandle.current().pid()
                    + ".log"), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.setOut(new PrintStream(new Tee(System.out, file), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(System.err, file), true, StandardCharsets.UTF_8));
            installed = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lists the log file of a service started as a process. */
    public static synchronized void include(Path processLog) {
        try {
            Files.createDirectories(DIRECTORY);
            Files.writeString(CHILDREN, processLog.toAbsolutePath() + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every captured log file that still exists. */
    public static List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(DIRECTORY)) {
            try (Stream<Path> list = Files.list(DIRECTORY)) {
                list.filter(p -> p.getFileName().toString().endsWith(".log")).forEach(files::add);
            }
        }
        if (Files.exists(CHILDREN)) {
            for (String line : Files.readAllLines(CHILDREN)) {
                Path log = Path.of(line.trim());
                if (!line.isBlank() && Files.exists(log)) {
                    files.add(log);
                }
            }
        }
        return files;
    }

    /** The personal data in the tests' sources: what the tests send as citizen IDs, tax codes and names. */
    public record SentData(List<String> idNumbers, List<String> names) {
    }

    private static final Pattern ID_LITERAL = Pattern.compile("(?<![\\d.])(\\d{12}|\\d{10}(?:-\\d{3})?)(?![\\d.])");
    private static final Pattern ID_CONTEXT = Pattern.compile("(?i)idNumber|citizen|tax|applicant|CCCD|MST|ID");
    private static final Pattern NAME = Pattern.compile(
            "\\b(\\p{Lu}\\p{Ll}+(?: \\p{Lu}\\p{Ll}+){1,4}|Công ty(?: \\p{Lu}\\p{Ll}+)+)\\b");

    public static SentData sentIn(Path testSources) throws IOException {
        java.util.TreeSet<String> ids = new java.util.TreeSet<>();
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        try (Stream<Path> sources = Files.walk(testSources)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(source)) {
                    if (ID_CONTEXT.matcher(line).find()) {
                        Matcher id = ID_LITERAL.matcher(line);
                        while (id.find()) {
                            ids.add(id.group(1));
                        }
                    }
                    if (line.contains("fullName") || line.contains("NAMES") || line.contains("APPLICANT")
                            || line.contains("Applicant(")) {
                        Matcher name = NAME.matcher(line);
                        while (name.find()) {
                            if (!name.group(1).chars().allMatch(c -> c < 128)) {
                                names.add(name.group(1)); // Vietnamese names carry diacritics; class names do not
                            }
                        }
                    }
                }
            }
        }
        return new SentData(List.copyOf(ids), List.copyOf(names));
    }

    /**
     * A 12-digit number starting like a citizen ID (a province code, a century digit), standing alone: not a part of
     * a UUID, a hex string or a decimal.
     */
    private static final Pattern ANY_CITIZEN_ID = Pattern.compile(
            "(?<![\\w.-])0(?:0[1-9]|[1-9]\\d)[0-3]\\d{8}(?![\\w.-])");

    /**
     * Reads every captured log and returns where the personal data the tests sent shows up (the exact IDs and names
     * found in {@code testSources}, and anything shaped like a citizen ID), printing what it checked.
     */
    public static List<String> personalDataIn(Path testSources, List<Path> files) throws IOException {
        SentData sent = sentIn(testSources);
        List<String> findings = new ArrayList<>();
        long bytes = 0;
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            bytes += text.length();
            for (String value : sent.idNumbers()) {
                int at = text.indexOf(value);
                if (at >= 0) {
                    findings.add(file.getFileName() + ": ID " + value + " in \"" + around(text, at) + "\"");
                }
            }
            for (String value : sent.names()) {
                int at = text.indexOf(value);
                if (at >= 0) {
                    findings.add(file.getFileName() + ": name " + value + " in \"" + around(text, at) + "\"");
                }
            }
            Matcher shaped = ANY_CITIZEN_ID.matcher(text);
            if (shaped.find()) {
                findings.add(file.getFileName() + ": a citizen ID " + shaped.group() + " in \""
                        + around(text, shaped.start()) + "\"");
            }
        }
        System.out.printf("personal data in the logs: %d log files, %d kB, searched for %d ID numbers and %d names"
                        + " the tests send (and anything shaped like a citizen ID): %d found%n", files.size(),
                bytes / 1000, sent.idNumbers().size(), sent.names().size(), findings.size());
        return findings;
    }

    private static String around(String text, int at) {
        return text.substring(Math.max(0, at - 120), Math.min(text.length(), at + 60)).replace('\n', ' ');
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
