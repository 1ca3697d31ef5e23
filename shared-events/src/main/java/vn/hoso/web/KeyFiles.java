package vn.hoso.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A key read from a file (a mounted secret), which only the development profile may fill with a throw-away key when it
 * does not exist: anywhere else a missing file stops the start, as each instance would otherwise make a key of its own.
 */
public final class KeyFiles {

    private static final Logger log = LoggerFactory.getLogger(KeyFiles.class);

    private KeyFiles() {
    }

    /**
     * The file's content, trimmed; in development, a file that does not exist is first written with {@code generate}'s
     * key. {@code what} names the key and {@code setting} the property that names the file, for the messages.
     */
    public static String readOrGenerate(Path file, boolean development, Supplier<String> generate, String what,
                                        String setting) {
        Path absolute = file.toAbsolutePath();
        if (!development && !Files.exists(absolute)) {
            throw new IllegalStateException("the " + what + " file " + absolute + " (" + setting + ") does not exist:"
                    + " outside the development profile the key is never generated, as each instance would make a key"
                    + " of its own; set the key or provide the file");
        }
        try {
            if (!Files.exists(absolute)) {
                // written whole to a file of its own, then linked into place: several instances starting together on
                // one data folder agree on the first key linked, and none reads a half-written one
                Files.createDirectories(absolute.getParent());
                Path draft = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".new");
                try {
                    try {
                        Files.setPosixFilePermissions(draft, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException ignored) {
                        // not a POSIX file system
                    }
                    Files.writeString(draft, generate.get());
                    Files.createLink(absolute, draft);
                    log.warn("no {} set: generated a throw-away local key in {}", what, absolute);
                } catch (FileAlreadyExistsException another) {
                    log.info("another instance generated the local {} in {} first: using it", what, absolute);
                } finally {
                    Files.deleteIfExists(draft);
                }
            }
            return Files.readString(absolute).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local " + what + " " + absolute, e);
        }
    }
}
