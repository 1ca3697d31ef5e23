package vn.hoso.query.portal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The pages people use, served by the query side as static files under {@code /portal} (no front-end server): every
 * one under a Content-Security-Policy that lets a page run only its own scripts and styles, call only this service,
 * the authorization server and the command side ({@link PortalProperties}), and never be framed; no referrer leaves a
 * page (a page's address, with a sign-in's code in it, is nobody else's business).
 */
@Configuration(proxyBeanMethods = false)
public class PortalConfiguration {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> portalHeaders(PortalProperties properties) {
        String policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src"
                + " 'self'" + properties.connectOrigins().stream().map(o -> " " + o).reduce("", String::concat)
                + "; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                response.setHeader("Content-Security-Policy", policy);
                response.setHeader("Referrer-Policy", "no-referrer");
                response.setHeader("X-Content-Type-Options", "nosniff");
                if ("/portal".equals(request.getRequestURI()) || "/portal/".equals(request.getRequestURI())) {
                    response.sendRedirect("/portal/index.html");
                    return;
                }
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/portal", "/portal/*");
        registration.setName("portalHeaders");
        return registration;
    }
}
