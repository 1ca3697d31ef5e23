package vn.hoso.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the authorization server ({@code hoso.auth.*}).
 *
 * @param issuer          the {@code iss} of every token, exactly as the API services expect it
 *                        ({@code HOSO_AUTH_ISSUER}, by default {@code http://localhost:<port>})
 * @param tokenTtl        how long an access token is valid
 * @param credentialsFile where the demo accounts' passwords and the systems' secrets are kept
 *                        ({@code $HOSO_DATA/auth/demo-credentials.properties})
 */
@ConfigurationProperties("hoso.auth")
record AuthProperties(String issuer, @DefaultValue("PT30M") Duration tokenTtl, Path credentialsFile) {
}
