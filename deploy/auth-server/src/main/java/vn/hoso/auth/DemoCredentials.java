package vn.hoso.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The passwords of the demo people ({@code user.<username>}) and the secrets of the demo systems
 * ({@code client.<clientId>}), kept in a properties file of the data folder so that they survive restarts and
 * {@code deploy/token.sh} can sign in with them. Read at start; an account without one gets a random value
 * (18 bytes from {@link SecureRandom}, base64url) and the file is written again, readable by its owner only where
 * the file system has POSIX permissions. Nothing secret is in the repository.
 */
final class DemoCredentials {

    private static final Logger log = LoggerFactory.getLogger(DemoCredentials.class);
    private static final String HEADER = """
            # Demo credentials of the development authorization server (deploy/auth-server), created at its first
            # start: the password of each demo person (user.<username>) and the secret of each demo system
            # (client.<clientId>). Development only; delete this file for new ones. A token: deploy/token.sh citizen-an
            """;

    private final Map<String, String> values;

    private DemoCredentials(Map<String, String> values) {
        this.values = values;
    }

    static String userKey(String username) {
        return "user." + username;
    }

    static String clientKey(String clientId) {
        return "client." + clientId;
    }

    /** Reads {@code file}, adding a random value for each of {@code keys} it lacks (and creating it if absent). */
    static DemoCredentials readOrCreate(Path file, List<String> keys, SecureRandom random) {
        try {
            var stored = new Properties();
            if (Files.exists(file)) {
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    stored.load(reader);
                }
            }
            var values = new LinkedHashMap<String, String>();
            boolean added = false;
            for (String key : keys) {
                String value = stored.getProperty(key);
                if (value == null || value.isBlank()) {
                    value = randomSecret(random);
                    added = true;
                }
                values.put(key, value.strip());
            }
            if (added) {
                write(file, values);
                log.info("Demo credentials written to {}", file.toAbsolutePath());
            } else {
                log.info("Demo credentials read from {}", file.toAbsolutePath());
            }
            return new DemoCredentials(values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the demo credentials " + file.toAbsolutePath(), e);
        }
    }

    String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no demo credential " + key);
        }
        return value;
    }

    private static String randomSecret(SecureRandom random) {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes a new file next to the old one and moves it over, so that a crash never leaves half a file. */
    private static void write(Path file, Map<String, String> values) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        // a temporary file is created readable and writable by its owner only (rw-------) where POSIX applies
        Path next = Files.createTempFile(directory, ".demo-credentials", ".tmp");
        try {
            var content = new StringBuilder(HEADER);
            values.forEach((key, value) -> content.append(key).append('=').append(value).append('\n'));
            Files.writeString(next, content, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(next);
        }
    }
}
