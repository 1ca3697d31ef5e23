package vn.hoso.query.web;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

import java.time.Instant;
import vn.hoso.access.AccessPolicy;

/**
 * Every API request carries an access token (a JWT from the configured issuer, audience {@code hoso-api}: see
 * {@code spring.security.oauth2.resourceserver.jwt.*}); what its caller may do is decided by
 * {@link AccessPolicy}, in the controllers and the dossier. Open to anyone: liveness and readiness (status only)
 * and the API description. The other management endpoints (metrics, health details) are the operators'. A
 * refusal here is answered by {@link QueryProblems} like any other: a problem document, never a login page.
 */
@Configuration
public class SecurityConfiguration {

    /** A token without an expiry would be good forever: Spring's timestamp check passes one without {@code exp}. */
    @Bean
    OAuth2TokenValidator<Jwt> expiryRequired() {
        return new JwtClaimValidator<Instant>(JwtClaimNames.EXP, java.util.Objects::nonNull);
    }

    /** A request the firewall refuses (an encoded slash or NUL, a dot segment...): a 400 problem, not a page. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
        return (request, response, e) -> problems.resolveException(request, response, null, e);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http,
                            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) throws Exception {
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health/liveness", "/actuator/health/readiness").permitAll()
                        .requestMatchers("/actuator/**").hasAuthority(AccessPolicy.OPERATOR_AUTHORITY)
                        .requestMatchers("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html",
                                "/swagger-ui/**", "/error").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(CallerAuthentication.fromToken()))
                        .authenticationEntryPoint((request, response, e) ->
                                problems.resolveException(request, response, null, e))
                        .accessDeniedHandler((request, response, e) ->
                                problems.resolveException(request, response, null, e)))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, e) ->
                                problems.resolveException(request, response, null, e))
                        .accessDeniedHandler((request, response, e) ->
                                problems.resolveException(request, response, null, e)))
                .build();
    }
}
