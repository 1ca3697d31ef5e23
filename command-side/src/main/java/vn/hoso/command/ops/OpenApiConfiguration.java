package vn.hoso.command.ops;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description served at {@code /v3/api-docs} (UI at {@code /swagger-ui.html}). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI hosoOpenApi() {
        return new OpenAPI().info(new Info()
                .title("HoSo command API")
                .version("v1")
                .description("""
                        Dossier commands of the national public-service portal. Every answer carries the dossier's \
                        version (also as ETag); send If-Match to act only on the version you saw, and \
                        Idempotency-Key to retry safely. Every request carries an OAuth2 access token (a JWT of the \
                        configured issuer, audience hoso-api) as Authorization: Bearer; its role, agency and \
                        citizen-ID or tax-code claims decide what the caller may see and do. Errors are RFC 9457 problem \
                        documents with a stable code, in Vietnamese (default) or English (Accept-Language). \
                        Limits: a request body of at most 1 MiB (413 past it, before it is read); the string \
                        lengths, list and map sizes and number ranges are those of the request schemas below; a \
                        value out of range is a 400 naming the field. Every command is answered within 5 s: its                         result, its refusal (decided once, never retried), or a 503 problem with Retry-After (BUSY,                         COMMAND_TIMEOUT, OUTCOME_UNKNOWN, STORE_UNAVAILABLE) whose mayHaveBeenApplied says whether a                         retry must carry the same Idempotency-Key.""")
                .license(new License().name("Apache-2.0")));
    }
}
