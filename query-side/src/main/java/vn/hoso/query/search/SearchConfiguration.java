package vn.hoso.query.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import org.slf4j.Logger;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import vn.hoso.calendar.CalendarConfig;
import vn.hoso.calendar.WorkingCalendar;

import java.time.Clock;
import vn.hoso.events.EventJson;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The search index and the applicant-ID hash key. */
@Configuration(proxyBeanMethods = false)
class SearchConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SearchConfiguration.class);

    /** The client's JSON mapping, with Java time as ISO-8601 text (the documents hold instants). */
    @Bean
    JsonpMapper jsonpMapper() {
        return new JacksonJsonpMapper(EventJson.mapper());
    }

    /** {@code hoso.calendar.*}, the same settings and defaults as the command side's (one record, in shared-events). */
    @Bean
    CalendarConfig calendarConfig(Environment environment) {
        return Binder.get(environment).bindOrCreate(CalendarConfig.PREFIX, CalendarConfig.class);
    }

    /** The working calendar, for questions about the future ("due within N working days"). */
    @Bean
    WorkingCalendar workingCalendar(CalendarConfig config) {
        return config.load();
    }

    /** Readiness is DOWN while the calendar reaches less than {@code hoso.calendar.ready-ahead} ahead of today. */
    @Bean
    HealthIndicator calendarHealthIndicator(WorkingCalendar calendar, CalendarConfig config, Clock clock) {
        return () -> {
            CalendarConfig.Coverage coverage = config.coverage(calendar, clock.instant());
            return (coverage.enough() ? Health.up() : Health.down()).withDetail("lastYear", coverage.lastYear())
                    .withDetail("mustCover", coverage.needed().toString()).build();
        };
    }

    @Bean
    SearchIndex searchIndex(ElasticsearchClient client, SearchProperties properties) {
        SearchIndex index = new SearchIndex(client, properties.replicas(), properties.alias());
        index.ensureExists();
        return index;
    }

    /**
     * The key comes from {@code hoso.search.id-hash-key} (base64, at least 32 bytes), or from the file
     * {@code hoso.search.id-hash-key-file} names. Only in the development profile is a missing file filled with a
     * throw-away key (kept there, so hashes stay comparable across restarts of the same local stack); anywhere else a
     * missing or short key stops the start (the settings check names it first when neither is set).
     */
    @Bean
    ApplicantIdHasher applicantIdHasher(SearchProperties properties, org.springframework.core.env.Environment environment) {
        if (properties.idHashKey() != null && !properties.idHashKey().isBlank()) {
            return new ApplicantIdHasher(key(properties.idHashKey(), "HOSO_ID_HASH_KEY (hoso.search.id-hash-key)"));
        }
        if (properties.idHashKeyFile() == null || properties.idHashKeyFile().isBlank()) {
            throw new IllegalStateException("no applicant-ID hash key: set HOSO_ID_HASH_KEY (hoso.search.id-hash-key)"
                    + " or hoso.search.id-hash-key-file");
        }
        boolean development = environment.acceptsProfiles(org.springframework.core.env.Profiles.of(
                vn.hoso.web.RequiredSettings.DEVELOPMENT));
        Path file = Path.of(properties.idHashKeyFile()).toAbsolutePath();
        if (!development && !Files.exists(file)) {
            throw new IllegalStateException("the applicant-ID hash key file " + file + " (hoso.search.id-hash-key-file)"
                    + " does not exist: outside the development profile the key is never generated, as each instance"
                    + " would hash with a key of its own; set HOSO_ID_HASH_KEY or provide the file");
        }
        try {
            if (!Files.exists(file)) {
                // written whole to a file of its own, then linked into place: several instances starting together on
                // one data folder agree on the first key linked, and none reads a half-written one
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.createDirectories(file.getParent());
                Path draft = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".new");
                try {
                    try {
                        Files.setPosixFilePermissions(draft, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException ignored) {
                        // not a POSIX file system
                    }
                    Files.writeString(draft, Base64.getEncoder().encodeToString(key));
                    Files.createLink(file, draft);
                    log.warn("no hoso.search.id-hash-key set: generated a throw-away local key in {}", file);
                } catch (FileAlreadyExistsException another) {
                    log.info("another instance generated the local ID hash key in {} first: using it", file);
                } finally {
                    Files.deleteIfExists(draft);
                }
            }
            return new ApplicantIdHasher(key(Files.readString(file), "the key file " + file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local ID hash key " + file, e);
        }
    }

    private static byte[] key(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the applicant-ID hash key in " + source + " is not base64");
        }
        if (key.length < 32) {
            throw new IllegalStateException("the applicant-ID hash key in " + source + " has " + key.length
                    + " bytes: it needs at least 32");
        }
        return key;
    }
}
