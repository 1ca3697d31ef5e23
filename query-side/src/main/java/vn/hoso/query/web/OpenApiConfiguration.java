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
                        shows depends on the token's role, agency and citizen-ID or tax-code claims. Errors are RFC \
                        9457 problem documents in Vietnamese (default) or English (Accept-Language). Limits: a body \
                        of at most 64 KiB; search and queue pages of 1 to 200 items, report pages of 1 to 5,000 \
                        groups; report dates from 2000-01-01 to 2100-12-31; dueWithinWorkingDays 0 to 365; \
                        cursors only as issued; at most 100 reads waiting on minVersion at once per instance (then \
                        503 BUSY with Retry-After). Names and ID numbers go in POST bodies, never in a URL.""")
                .license(new License().name("Apache-2.0")));
    }
}
