package vn.hoso.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import vn.hoso.web.ApiWebConfiguration;
import vn.hoso.web.RequiredSettings;

/** The command side: takes dossier commands over HTTP and appends their events to the MongoDB event store. */
@SpringBootApplication
@Import({ApiWebConfiguration.class, vn.hoso.lookup.LookupConfiguration.class})
@ConfigurationPropertiesScan
public class CommandSideApplication {

    static {
        // no phoning home from a government system: Axon's anonymous update check stays off unless asked for
        if (System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
    }

    /** Its configuration file is {@code command-side.yml}, so that both sides can run in one JVM (in tests). */
    public static final String CONFIG_NAME = "command-side";

    public static void main(String[] args) {
        application().run(args);
    }

    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(CommandSideApplication.class);
        application.setDefaultProperties(java.util.Map.of("spring.config.name", CONFIG_NAME));
        application.addInitializers(new RequiredSettings("The command side", java.util.List.of(RequiredSettings.ISSUER,
                RequiredSettings.JWK_SET, vn.hoso.lookup.LookupConfiguration.SETTING)));
        return application;
    }
}
