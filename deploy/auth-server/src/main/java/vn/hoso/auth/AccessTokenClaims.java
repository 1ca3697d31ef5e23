package vn.hoso.auth;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

import java.util.List;

/**
 * What the API services read in an access token: the audience {@code hoso-api}, the opaque account id as
 * {@code sub} (not the username a person signs in with), the {@code role} and, where the account has them, its
 * {@code agency}, {@code citizen_id} or {@code tax_code}. An ID token (the portal's) gets the same {@code sub}.
 */
final class AccessTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    static final String AUDIENCE = "hoso-api";

    private final DemoAccounts.People people;

    AccessTokenClaims(DemoAccounts.People people) {
        this.people = people;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
        boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
        if (!accessToken && !idToken) {
            return;
        }
        DemoAccounts.Identity identity = identity(context);
        var claims = context.getClaims().subject(identity.subject());
        if (accessToken) {
            claims.audience(List.of(AUDIENCE)).claim("role", identity.role());
            identity.claims().forEach(claims::claim);
        }
    }

    private DemoAccounts.Identity identity(JwtEncodingContext context) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            String clientId = context.getRegisteredClient().getClientId();
            return DemoAccounts.client(clientId).map(DemoAccounts.MachineClient::identity)
                    .orElseThrow(() -> new IllegalStateException("not a demo system: " + clientId));
        }
        return people.find(context.getPrincipal().getName()).map(DemoAccounts.Person::identity)
                .orElseThrow(() -> new IllegalStateException("a token for someone who is not a demo person"));
    }
}
