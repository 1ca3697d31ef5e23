package vn.hoso.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The authorization server's wiring: its endpoints ({@code /oauth2/authorize}, {@code /oauth2/token},
 * {@code /oauth2/jwks}, OpenID Connect discovery) and the form login at {@code /login}, the demo people and clients
 * with their credentials, and a signing key made at start (in memory only: tokens do not outlive the process, and
 * the API services fetch the key from the JWK set). With {@code hoso.auth.load-test-citizens} set, the load-test
 * citizens sign in like the demo people.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerEndpoints(HttpSecurity http, AuthProperties properties) throws Exception {
        var authorizationServer = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(authorizationServer.getEndpointsMatcher())
                // the citizen's page (another origin) redeems its code at the token endpoint from the browser
                .cors(cors -> cors.configurationSource(portalOrigins(properties)))
                .with(authorizationServer, server -> server
                        .oidc(Customizer.withDefaults())
                        .tokenEndpoint(token -> token.accessTokenRequestConverters(
                                converters -> converters.add(0, registeredScopesByDefault()))))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                // a browser that is not signed in goes to the login page and comes back
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                // the OpenID Connect user info endpoint takes an access token
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain loginAndHealth(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    /** The pages' origins may call the endpoints a browser page calls (the token endpoint), without credentials. */
    private static org.springframework.web.cors.CorsConfigurationSource portalOrigins(AuthProperties properties) {
        var cors = new org.springframework.web.cors.CorsConfiguration();
        properties.portalOrigins().stream().map(String::trim).filter(o -> !o.isEmpty())
                .forEach(cors::addAllowedOrigin);
        cors.addAllowedMethod("GET");
        cors.addAllowedMethod("POST");
        cors.addAllowedHeader("Content-Type");
        cors.setAllowCredentials(false);
        var source = new org.springframework.web.cors.UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/oauth2/token", cors);
        source.registerCorsConfiguration("/oauth2/jwks", cors);
        source.registerCorsConfiguration("/.well-known/openid-configuration", cors);
        return source;
    }

    /**
     * A client-credentials request that names no scope is granted the client's registered scopes, the default that
     * RFC 6749 (section 3.3) allows; Spring Authorization Server would grant none.
     */
    private static AuthenticationConverter registeredScopesByDefault() {
        var standard = new OAuth2ClientCredentialsAuthenticationConverter();
        return request -> {
            Authentication converted = standard.convert(request);
            if (converted instanceof OAuth2ClientCredentialsAuthenticationToken grant && grant.getScopes().isEmpty()
                    && grant.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                    && client.getRegisteredClient() != null) {
                return new OAuth2ClientCredentialsAuthenticationToken(client, client.getRegisteredClient().getScopes(),
                        grant.getAdditionalParameters());
            }
            return converted;
        };
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(AuthProperties properties) {
        return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    DemoAccounts.People demoAccounts(AuthProperties properties) {
        return DemoAccounts.people(properties.loadTestCitizens());
    }

    @Bean
    DemoCredentials demoCredentials(AuthProperties properties, DemoAccounts.People people) {
        List<String> keys = Stream.concat(
                people.all().stream().map(person -> DemoCredentials.userKey(person.username())),
                DemoAccounts.CLIENTS.stream().map(client -> DemoCredentials.clientKey(client.clientId()))).toList();
        return DemoCredentials.readOrCreate(properties.credentialsFile(), keys, new SecureRandom());
    }

    /**
     * The people who sign in at {@code /login}. A password is hashed when its person first signs in, not at start:
     * hashing costs tens of milliseconds, and a load test may add thousands of citizens.
     */
    @Bean
    UserDetailsService demoPeople(DemoAccounts.People people, DemoCredentials credentials, PasswordEncoder encoder) {
        Map<String, UserDetails> hashed = new ConcurrentHashMap<>();
        return username -> {
            DemoAccounts.Person person = people.find(username)
                    .orElseThrow(() -> new UsernameNotFoundException("not a demo person"));
            UserDetails user = hashed.computeIfAbsent(person.username(), name -> User.withUsername(name)
                    .password(encoder.encode(credentials.get(DemoCredentials.userKey(name))))
                    .roles(person.identity().role())
                    .build());
            // a copy, as a user details manager hands out: a successful login erases the password of what it got
            return User.withUserDetails(user).build();
        };
    }

    @Bean
    RegisteredClientRepository demoClients(DemoCredentials credentials, PasswordEncoder encoder,
                                           AuthProperties properties) {
        var tokens = TokenSettings.builder().accessTokenTimeToLive(properties.tokenTtl()).build();
        var clients = new ArrayList<RegisteredClient>();
        clients.add(RegisteredClient.withId(DemoAccounts.PORTAL_CLIENT_ID)
                .clientId(DemoAccounts.PORTAL_CLIENT_ID)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(DemoAccounts.PORTAL_REDIRECT_URI)
                .redirectUris(uris -> uris.addAll(properties.portalPages()))
                .postLogoutRedirectUris(uris -> uris.addAll(properties.portalPages()))
                .scope(OidcScopes.OPENID)
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true)
                        .requireAuthorizationConsent(false)
                        .build())
                .tokenSettings(tokens)
                .build());
        for (DemoAccounts.MachineClient client : DemoAccounts.CLIENTS) {
            clients.add(RegisteredClient.withId(client.clientId())
                    .clientId(client.clientId())
                    .clientSecret(encoder.encode(credentials.get(DemoCredentials.clientKey(client.clientId()))))
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .scope(client.scope())
                    .tokenSettings(tokens)
                    .build());
        }
        return new InMemoryRegisteredClientRepository(clients);
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> accessTokenClaims(DemoAccounts.People people) {
        return new AccessTokenClaims(people);
    }

    /** An RSA 2048 key pair made at start, with a random key id. */
    @Bean
    JWKSource<SecurityContext> signingKey() throws NoSuchAlgorithmException {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var keyPair = generator.generateKeyPair();
        RSAKey key = new RSAKey.Builder((RSAPublicKey) keyPair.getPublic())
                .privateKey((RSAPrivateKey) keyPair.getPrivate())
                .keyID(UUID.randomUUID().toString())
                .build();
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> signingKey) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(signingKey);
    }
}
