package vn.hoso.query.web;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import vn.hoso.query.search.SearchIndex;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** RFC 9457 problem documents for the query API, with a stable {@code code} and the field at fault. */
@RestControllerAdvice
public class QueryProblems {

    private static final Logger log = LoggerFactory.getLogger(QueryProblems.class);

    @ExceptionHandler(QueryProblem.class)
    ResponseEntity<ProblemDetail> problem(QueryProblem e) {
        ProblemDetail problem = build(e.code(), e.getMessage());
        if (e.field() != null) {
            problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.code().status());
        if (e.code() == QueryProblem.Code.READ_MODEL_BEHIND) {
            response.header("Retry-After", "1");
        }
        return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException e) {
        return problem(new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, e.getName(), "has the wrong type or format"));
    }

    @ExceptionHandler({ElasticsearchException.class, UncheckedIOException.class, SearchIndex.SearchIndexUnavailable.class})
    ResponseEntity<ProblemDetail> searchDown(RuntimeException e) {
        log.error("search index unavailable: {}", e.getMessage());
        return problem(new QueryProblem(QueryProblem.Code.SEARCH_UNAVAILABLE, null,
                "the search index cannot answer right now; try again shortly"));
    }

    /**
     * No access token, or one that is not valid here (signature, issuer, audience, expiry, HoSo's claims): 401 with
     * the {@code WWW-Authenticate} challenge of RFC 6750. What was wrong is logged, never the token.
     */
    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e) {
        boolean invalidToken = e instanceof OAuth2AuthenticationException || e instanceof InvalidBearerTokenException;
        if (invalidToken) {
            log.info("refused an access token: {}", e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, invalidToken ? "Bearer error=\"invalid_token\"" : "Bearer")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(build(QueryProblem.Code.UNAUTHENTICATED, "send Authorization: Bearer with a valid access token"
                        + " of the configured issuer for the audience hoso-api"));
    }

    /** A management endpoint asked by someone who is not an operator. */
    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return problem(new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null,
                "only operators may use the management endpoints"));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "there is nothing at this address");
        problem.setProperty("code", "NOT_FOUND");
        return ResponseEntity.status(404).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ProblemDetail build(QueryProblem.Code code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.status()), detail);
        problem.setType(URI.create("urn:hoso:problem:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setProperty("code", code.name());
        return problem;
    }
}
