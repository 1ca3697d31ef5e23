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
                        Idempotency-Key to retry safely. Until real authentication, the acting party comes from \
                        the X-Dev-Role, X-Dev-Actor and X-Dev-Agency headers. Errors are RFC 9457 problem \
                        documents with a stable code.""")
                .license(new License().name("Apache-2.0")));
    }
}
