package vn.hoso.query.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description served at {@code /v3/api-docs} (UI at {@code /swagger-ui.html}). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI hosoQueryOpenApi() {
        return new OpenAPI().info(new Info()
                .title("HoSo query API")
                .version("v1")
                .description("""
                        Read models of the national public-service portal: a citizen's own dossiers, a dossier's \
                        timeline (by id or dossier code), search for officers and inspectors, the officer queue, and \
                        satisfaction and timeliness reports for analysts (JSON or CSV). Pass minVersion (a version \
                        the command API returned) to read your own write. Every request carries an OAuth2 access token \
                        (Authorization: Bearer, a JWT of the configured issuer for the audience hoso-api); what it \
                        shows depends on the token's role, agency and citizen-ID or tax-code claims.""")
                .license(new License().name("Apache-2.0")));
    }
}
