package vn.hoso.query.portal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The pages under {@code /portal} ({@code hoso.portal.*}): where the citizen's page signs in and sends its commands.
 * Their Content-Security-Policy lets a page call this service and these two origins only.
 *
 * @param authorizationServer the authorization server's address (its issuer), where the citizen's page signs in with
 *                            the authorization code flow and PKCE; none: the citizen's page says sign-in is not set up
 * @param clientId            the public client the pages sign in as
 * @param commandApi          the command side's address, to which the citizen's page sends a rating
 */
@ConfigurationProperties("hoso.portal")
public record PortalProperties(String authorizationServer, @DefaultValue("hoso-portal") String clientId,
                               String commandApi) {
    public PortalProperties {
        authorizationServer = blankToNull(authorizationServer);
        commandApi = blankToNull(commandApi);
        for (String address : new String[]{authorizationServer, commandApi}) {
            if (address != null && !address.matches("https?://[A-Za-z0-9.\\-]+(:\\d{1,5})?(/[A-Za-z0-9._~\\-/]*)?")) {
                throw new IllegalStateException("hoso.portal.authorization-server and hoso.portal.command-api must be"
                        + " http(s) addresses, not '" + address + "'");
            }
        }
    }

    /** The origins besides this one the pages call: the authorization server's and the command side's. */
    public Set<String> connectOrigins() {
        Set<String> origins = new LinkedHashSet<>();
        java.util.stream.Stream.of(authorizationServer, commandApi).filter(java.util.Objects::nonNull).map(URI::create)
                .forEach(uri -> origins.add(uri.getScheme() + "://" + uri.getHost()
                        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())));
        return origins;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim().replaceAll("/+$", "");
    }
}
