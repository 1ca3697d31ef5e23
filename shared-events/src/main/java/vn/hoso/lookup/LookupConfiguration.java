package vn.hoso.lookup;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import vn.hoso.web.KeyFiles;
import vn.hoso.web.RequiredSettings;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The lookup secrets' key, one for both sides (the command side hashes a secret at receipt, the query side checks it):
 * {@code hoso.lookup.key} (base64, at least 32 bytes), or the file {@code hoso.lookup.key-file} names. Only in the
 * development profile is a missing file filled with a throw-away key; elsewhere a start without it stops
 * ({@link #SETTING}).
 */
@Configuration(proxyBeanMethods = false)
public class LookupConfiguration {

    /** The setting each side requires. */
    public static final RequiredSettings.Setting SETTING = new RequiredSettings.Setting("hoso.lookup.key",
            "HOSO_LOOKUP_KEY", "the key of the hashes kept of dossiers' lookup secrets (the same on the command and"
            + " the query side)", "hoso.lookup.key-file");

    @Bean
    LookupSecrets lookupSecrets(Environment environment) {
        String text = environment.getProperty("hoso.lookup.key");
        if (text == null || text.isBlank()) {
            String file = environment.getProperty("hoso.lookup.key-file");
            if (file == null || file.isBlank()) {
                throw new IllegalStateException("no lookup key: set HOSO_LOOKUP_KEY (hoso.lookup.key) or"
                        + " hoso.lookup.key-file");
            }
            boolean development = environment.acceptsProfiles(Profiles.of(RequiredSettings.DEVELOPMENT));
            text = KeyFiles.readOrGenerate(Path.of(file.trim()), development, () -> {
                byte[] generated = new byte[32];
                new SecureRandom().nextBytes(generated);
                return Base64.getEncoder().encodeToString(generated);
            }, "lookup key", "hoso.lookup.key-file");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the lookup key (HOSO_LOOKUP_KEY or hoso.lookup.key-file) is not base64");
        }
        return new LookupSecrets(key);
    }
}
