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
 * @param portalOrigins   the origins of the query side's pages ({@code HOSO_AUTH_PORTAL_ORIGINS}): the portal client
 *                        may be sent back to {@code <origin>/portal/citizen.html} or {@code dashboard.html} after sign-in and sign-out, and a page
 *                        there may call the token endpoint (CORS)
 * @param loadTestCitizens how many load-test citizens ({@code load-citizen-1} .. {@code load-citizen-N}) sign in
 *                         besides the demo people ({@code HOSO_AUTH_LOAD_TEST_CITIZENS}, 0 by default; at most
 *                         999,999); their passwords go into the credentials file with the others'
 */
@ConfigurationProperties("hoso.auth")
record AuthProperties(String issuer, @DefaultValue("PT30M") Duration tokenTtl, Path credentialsFile,
                      @DefaultValue("http://localhost:8081,http://127.0.0.1:8081") java.util.List<String> portalOrigins,
                      @DefaultValue("0") int loadTestCitizens) {

    AuthProperties {
        if (loadTestCitizens < 0 || loadTestCitizens > DemoAccounts.MAX_LOAD_TEST_CITIZENS) {
            throw new IllegalStateException("hoso.auth.load-test-citizens (HOSO_AUTH_LOAD_TEST_CITIZENS) must be 0 to "
                    + DemoAccounts.MAX_LOAD_TEST_CITIZENS + ", not " + loadTestCitizens);
        }
    }

    /** Where the pages that sign in are, at each origin of the pages. */
    java.util.List<String> portalPages() {
        return portalOrigins.stream().map(String::trim).filter(o -> !o.isEmpty())
                .flatMap(o -> DemoAccounts.PORTAL_PAGES.stream().map(page -> o + page)).toList();
    }
}
