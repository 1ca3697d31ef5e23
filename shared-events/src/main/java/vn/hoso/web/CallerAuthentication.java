package vn.hoso.web;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import vn.hoso.access.Caller;

import java.util.List;

/**
 * An authenticated request: the {@link Caller} read from a validated access token (signature, issuer, audience
 * {@code hoso-api}, expiry: checked by Spring Security's JWT decoder), with its role as the one authority
 * ({@code ROLE_OPERATOR} opens the management endpoints).
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    private CallerAuthentication(Caller caller) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
        this.caller = caller;
        setAuthenticated(true);
    }

    public Caller caller() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.accountId();
    }

    /** A token whose HoSo claims are missing or unusable is an invalid token (401), like a badly signed one. */
    public static Converter<Jwt, CallerAuthentication> fromToken() {
        return jwt -> {
            try {
                return new CallerAuthentication(Caller.fromClaims(jwt.getSubject(), jwt::getClaimAsString));
            } catch (Caller.InvalidClaimException e) {
                throw new InvalidBearerTokenException(e.getMessage());
            }
        };
    }
}
