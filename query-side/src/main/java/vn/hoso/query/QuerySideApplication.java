package vn.hoso.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import org.springframework.context.annotation.Import;
import vn.hoso.web.ApiWebConfiguration;
import vn.hoso.web.RequiredSettings;

import java.time.Clock;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The query side: projects the dossier events into read models (the Elasticsearch search index, per-dossier
 * timelines in MongoDB) and serves them. Every read model can be dropped and rebuilt from the event stream.
 */
@SpringBootApplication
@Import({ApiWebConfiguration.class, vn.hoso.lookup.LookupConfiguration.class})
@ConfigurationPropertiesScan
public class QuerySideApplication {

    static {
        // no phoning home from a government system: Axon's anonymous update check stays off unless asked for
        if (System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
    }

    /** Its configuration file is {@code query-side.yml}, so that both sides can run in one JVM (in tests). */
    public static final String CONFIG_NAME = "query-side";

    public static void main(String[] args) {
        application().run(args);
    }

    /** What "now" is for every query ("late now", the queue's horizon): the system clock, unless a test brings one. */
    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(QuerySideApplication.class);
        application.setDefaultProperties(java.util.Map.of("spring.config.name", CONFIG_NAME));
        application.addInitializers(new RequiredSettings("The query side", java.util.List.of(RequiredSettings.ISSUER,
                RequiredSettings.JWK_SET,
                new RequiredSettings.Setting("hoso.search.id-hash-key", "HOSO_ID_HASH_KEY",
                        "the key (base64, 32 bytes or more) of the applicant-ID hash, the same on every instance",
                        "hoso.search.id-hash-key-file"),
                vn.hoso.query.log.LogSettings.SIGNING_KEY, vn.hoso.lookup.LookupConfiguration.SETTING)));
        return application;
    }
}
