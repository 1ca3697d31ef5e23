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
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The search index's rebuild beside the live one (see {@link vn.hoso.query.store.Rebuilds} for its settings). */
    @Bean(destroyMethod = "stop")
    vn.hoso.query.store.ReadModelRebuild<DossierDocument> searchIndexRebuild(vn.hoso.query.store.Rebuilds rebuilds,
                                                                            SearchIndexProjection search) {
        return rebuilds.of(search, Clock.systemUTC());
    }

    @Bean
    SearchIndex searchIndex(ElasticsearchClient client, SearchProperties properties,
                            vn.hoso.query.store.ProcessorGates gates) {
        SearchIndex index = new SearchIndex(client, properties.layout(), properties.alias(),
                properties.mapping());
        index.ensureExists();
        // an instance whose mapping does not fit the index writes go to claims none of the live projection's segments
        gates.register(SearchIndexProjection.GROUP, index::writesFit);
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
        String key = vn.hoso.web.KeyFiles.readOrGenerate(Path.of(properties.idHashKeyFile()), development, () -> {
            byte[] generated = new byte[32];
            new SecureRandom().nextBytes(generated);
            return Base64.getEncoder().encodeToString(generated);
        }, "applicant-ID hash key", "hoso.search.id-hash-key-file");
        return new ApplicantIdHasher(key(key, "the key file " + properties.idHashKeyFile()));
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
