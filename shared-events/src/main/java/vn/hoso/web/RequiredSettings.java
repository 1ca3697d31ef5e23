package vn.hoso.web;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The settings a service cannot run safely without (its token issuer, its JWK set, its keys), checked before anything
 * starts: nothing has a default outside the {@code development} profile, which only {@code deploy/run.sh} and the
 * tests choose, and a service missing any of them refuses to start with a message naming each, with its environment
 * variable. A key a later change adds joins the list of its side.
 */
public final class RequiredSettings implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The development profile: local defaults (the local authorization server, a generated ID hash key). */
    public static final String DEVELOPMENT = "development";

    /**
     * One required setting.
     *
     * @param property    the property
     * @param environment the environment variable that sets it
     * @param purpose     what it is, for the message
     * @param orElse      a property naming a file that may stand in for it (a key file for a key), or null: the file
     *                    must exist, except in the development profile (which may generate it)
     */
    public record Setting(String property, String environment, String purpose, String orElse) {
        public Setting(String property, String environment, String purpose) {
            this(property, environment, purpose, null);
        }
    }

    /** The issuer of the access tokens a service accepts. */
    public static final Setting ISSUER = new Setting("spring.security.oauth2.resourceserver.jwt.issuer-uri",
            "HOSO_AUTH_ISSUER", "the issuer of the access tokens this service accepts (their iss claim)");
    /** Where the issuer's signing keys are published. */
    public static final Setting JWK_SET = new Setting("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
            "HOSO_AUTH_JWK_SET_URI", "the issuer's JWK set, whose keys sign the access tokens");

    private final String service;
    private final List<Setting> settings;

    public RequiredSettings(String service, List<Setting> settings) {
        this.service = service;
        this.settings = List.copyOf(settings);
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Environment environment = context.getEnvironment();
        boolean development = environment.acceptsProfiles(org.springframework.core.env.Profiles.of(DEVELOPMENT));
        List<Setting> missing = settings.stream().filter(setting -> blank(environment, setting.property())
                && (setting.orElse() == null || blank(environment, setting.orElse())
                || !development && !java.nio.file.Files.isRegularFile(
                        java.nio.file.Path.of(environment.getProperty(setting.orElse()).trim())))).toList();
        if (!missing.isEmpty()) {
            throw new MissingSettingsException(service, missing);
        }
    }

    private static boolean blank(Environment environment, String property) {
        String value = environment.getProperty(property);
        return value == null || value.isBlank();
    }

    /** A service started without settings it must have. */
    public static final class MissingSettingsException extends IllegalStateException {
        private final String service;
        private final List<Setting> missing;

        MissingSettingsException(String service, List<Setting> missing) {
            super(service + " cannot start without " + missing.stream().map(Setting::environment)
                    .collect(Collectors.joining(", ")));
            this.service = service;
            this.missing = missing;
        }
    }

    /** Tells a start refused for missing settings as Spring Boot tells a failed start: what is wrong, what to do. */
    public static final class Analyzer extends AbstractFailureAnalyzer<MissingSettingsException> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, MissingSettingsException cause) {
            String each = cause.missing.stream().map(setting -> "  - " + setting.environment() + " (" + setting.property()
                            + (setting.orElse() != null ? ", or " + setting.orElse() + " naming a file that exists: "
                            + "outside the development profile it is never generated" : "") + "): "
                            + setting.purpose())
                    .collect(Collectors.joining("\n"));
            return new FailureAnalysis(cause.service + " refuses to start: these settings are missing, and outside"
                    + " the development profile none has a default:\n" + each,
                    "Set each of them (environment variable or --property=value). For a local run on the development"
                            + " defaults, start with --spring.profiles.active=" + DEVELOPMENT + " (deploy/run.sh does).",
                    cause);
        }
    }
}
