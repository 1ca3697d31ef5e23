package vn.hoso.query.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import org.slf4j.Logger;
import vn.hoso.calendar.CalendarSettings;
import vn.hoso.calendar.WorkingCalendar;
import vn.hoso.events.EventJson;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    /** The working calendar, for questions about the future ("due within N working days"). */
    @Bean
    WorkingCalendar workingCalendar(SearchProperties properties) {
        return WorkingCalendar.loadFromClasspath(CalendarSettings.vietnamDefaults(),
                properties.calendarYears().stream().mapToInt(Integer::intValue).toArray());
    }

    @Bean
    SearchIndex searchIndex(ElasticsearchClient client, SearchProperties properties) {
        SearchIndex index = new SearchIndex(client, properties.replicas(), properties.alias());
        index.ensureExists();
        return index;
    }

    /**
     * The key comes from {@code hoso.search.id-hash-key} (base64, at least 32 bytes) in production. Without it, a
     * local run generates a throw-away key into {@code hoso.search.id-hash-key-file} and keeps it there, so hashes
     * stay comparable across restarts of the same local stack.
     */
    @Bean
    ApplicantIdHasher applicantIdHasher(SearchProperties properties) {
        if (properties.idHashKey() != null && !properties.idHashKey().isBlank()) {
            return new ApplicantIdHasher(Base64.getDecoder().decode(properties.idHashKey().trim()));
        }
        Path file = Path.of(properties.idHashKeyFile());
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, Base64.getEncoder().encodeToString(key));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                log.warn("no hoso.search.id-hash-key set: generated a throw-away local key in {}", file.toAbsolutePath());
            }
            return new ApplicantIdHasher(Base64.getDecoder().decode(Files.readString(file).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local ID hash key " + file, e);
        }
    }
}
