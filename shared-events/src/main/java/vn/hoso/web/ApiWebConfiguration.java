package vn.hoso.web;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;
import vn.hoso.access.AccessPolicy;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The web layer both sides share ({@code @Import}ed by each application): {@link InboundRequests} first in every
 * request, Tomcat's own refusals as problem documents ({@link ContainerProblems}), the languages (Vietnamese by
 * default, English on request), and the security below.
 * <p>
 * Every API request carries an access token (a JWT from the configured issuer, audience {@code hoso-api}: see
 * {@code spring.security.oauth2.resourceserver.jwt.*}); what its caller may do is decided by
 * {@link AccessPolicy}, in the controllers and the dossier. Open to anyone: liveness and readiness (status only)
 * and the API description. The other management endpoints (metrics, health details) are the operators'. A
 * refusal here is answered by the side's problem advice like any other: a problem document, never a login page.
 */
@Configuration
public class ApiWebConfiguration {

    /** The very first filter: the request's correlation id, also in the container's error dispatch. */
    @Bean
    FilterRegistrationBean<RequestCorrelation> requestCorrelation() {
        FilterRegistrationBean<RequestCorrelation> registration = new FilterRegistrationBean<>(new RequestCorrelation());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(jakarta.servlet.DispatcherType.REQUEST, jakarta.servlet.DispatcherType.ERROR,
                jakarta.servlet.DispatcherType.ASYNC);
        return registration;
    }

    /** The next filter of every request: body limit, lenient Accept, the caller's language. */
    @Bean
    FilterRegistrationBean<InboundRequests> inboundRequests(@Value("${hoso.http.max-body-bytes:1048576}") long maxBodyBytes,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
        FilterRegistrationBean<InboundRequests> registration =
                new FilterRegistrationBean<>(new InboundRequests(maxBodyBytes, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean
    ContainerProblems containerProblems() {
        return new ContainerProblems();
    }

    /** Problems in Vietnamese by default, English when {@code Accept-Language} prefers it. */
    @Bean
    LocaleResolver localeResolver() {
        AcceptHeaderLocaleResolver resolver = new AcceptHeaderLocaleResolver();
        resolver.setSupportedLocales(List.of(InboundRequests.VIETNAMESE, Locale.ENGLISH));
        resolver.setDefaultLocale(InboundRequests.VIETNAMESE);
        return resolver;
    }

    /**
     * The token decoder Spring Boot configures (issuer, audience, key set, expiry) behind {@link VerifiedTokens}: a
     * token already accepted is not checked again until it expires. {@code hoso.security.verified-tokens} bounds how
     * many are remembered (0: none).
     */
    @Bean
    static org.springframework.beans.factory.config.BeanPostProcessor verifiedTokens(
            org.springframework.core.env.Environment environment) {
        int capacity = environment.getProperty("hoso.security.verified-tokens", Integer.class, 10_000);
        // real time, as the decoder's own expiry check uses
        java.time.Clock clock = java.time.Clock.systemUTC();
        return new org.springframework.beans.factory.config.BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (capacity > 0 && bean instanceof org.springframework.security.oauth2.jwt.JwtDecoder decoder
                        && !(bean instanceof VerifiedTokens)) {
                    org.slf4j.LoggerFactory.getLogger(VerifiedTokens.class).info("access tokens: each accepted one is"
                            + " remembered until it expires, up to {} (hoso.security.verified-tokens)", capacity);
                    return new VerifiedTokens(decoder, capacity, clock);
                }
                return bean;
            }
        };
    }

    /** Spring Security's firewall, its character rules checked without regular expressions ({@link HeaderCharacters}). */
    @Bean
    org.springframework.security.web.firewall.HttpFirewall httpFirewall() {
        return HeaderCharacters.firewall();
    }

    /** A token without an expiry would be good forever: Spring's timestamp check passes one without {@code exp}. */
    @Bean
    OAuth2TokenValidator<Jwt> expiryRequired() {
        return new JwtClaimValidator<Instant>(JwtClaimNames.EXP, java.util.Objects::nonNull);
    }

    /**
     * The origins of the pages that call this service from a browser ({@code hoso.http.cors-origins}, comma-separated;
     * none by default): the citizen's page on the query side calls the command side to rate a dossier. Tokens travel in
     * the {@code Authorization} header, never in cookies, so no credentials are allowed.
     */
    private static org.springframework.web.cors.CorsConfigurationSource pageOrigins(
            org.springframework.core.env.Environment environment) {
        var cors = new org.springframework.web.cors.CorsConfiguration();
        for (String origin : environment.getProperty("hoso.http.cors-origins", "").split(",")) {
            if (!origin.isBlank()) {
                cors.addAllowedOrigin(origin.trim());
            }
        }
        cors.setAllowedMethods(java.util.List.of("GET", "POST"));
        cors.setAllowedHeaders(java.util.List.of("Authorization", "Content-Type", "Accept", "Accept-Language",
                "If-Match", "Idempotency-Key"));
        cors.setExposedHeaders(java.util.List.of("ETag", "Location", "Retry-After", "Content-Language"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(600L);
        var source = new org.springframework.web.cors.UrlBasedCorsConfigurationSource();
        if (cors.getAllowedOrigins() != null && !cors.getAllowedOrigins().isEmpty()) {
            source.registerCorsConfiguration("/api/**", cors);
        }
        return source;
    }

    /** A request the firewall refuses (an encoded slash or NUL, a dot segment...): a 400 problem, not a page. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
        return (request, response, e) -> problems.resolveException(request, response, null, e);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http,
                            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems,
                            org.springframework.core.env.Environment environment) throws Exception {
        return http
                .cors(cors -> cors.configurationSource(pageOrigins(environment)))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health/liveness", "/actuator/health/readiness").permitAll()
                        .requestMatchers("/actuator/**").hasAuthority(AccessPolicy.OPERATOR_AUTHORITY)
                        .requestMatchers("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html",
                                "/swagger-ui/**", "/error").permitAll()
                        // the sealed log's checkpoints, keys and proofs are public: hashes and sizes only
                        .requestMatchers(org.springframework.http.HttpMethod.GET, "/api/v1/log", "/api/v1/log/checkpoint",
                                "/api/v1/log/checkpoints/*", "/api/v1/log/keys", "/api/v1/log/proofs/*").permitAll()
                        // a witness's cosignature: accepted only when valid by a configured witness key
                        .requestMatchers(org.springframework.http.HttpMethod.POST,
                                "/api/v1/log/checkpoints/*/cosignatures").permitAll()
                        // the query side's pages (static files; each page signs its own calls in) and its public
                        // status lookup by dossier code and secret (rate-limited, nothing personal)
                        .requestMatchers(org.springframework.http.HttpMethod.GET, "/portal", "/portal/**",
                                "/webjars/**").permitAll()
                        .requestMatchers(org.springframework.http.HttpMethod.HEAD, "/portal", "/portal/**",
                                "/webjars/**").permitAll()
                        .requestMatchers(org.springframework.http.HttpMethod.POST, "/api/v1/public/dossier-status")
                        .permitAll()
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
