package vn.hoso.query.web;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import vn.hoso.query.search.SearchIndex;
import vn.hoso.web.InboundRequests.BodyTooLargeException;
import vn.hoso.web.InboundRequests.EmptyRefusal;

import java.io.UncheckedIOException;
import java.net.URI;
import vn.hoso.web.RequestCorrelation;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every refusal of the query API as an RFC 9457 problem document: a stable {@code code}, the status, a title and
 * detail in Vietnamese (the default) or English ({@code Accept-Language}), and, for a field at fault, its name and
 * a message in {@code errors}. Never the value the caller sent: it may be personal data. A store that is really
 * unavailable is a 503; a caller's mistake is never a 5xx.
 */
@RestControllerAdvice
public class QueryProblems {

    private static final Logger log = LoggerFactory.getLogger(QueryProblems.class);
    private static final Pattern SANE_FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,80}");

    private final MessageSource messages;

    public QueryProblems(MessageSource messages) {
        this.messages = messages;
    }

    @ExceptionHandler(QueryProblem.class)
    ResponseEntity<ProblemDetail> problem(QueryProblem e) {
        String detail = text("query." + e.key(), e.args());
        ProblemDetail problem = build(e.code(), detail);
        if (e.field() != null) {
            problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", detail)));
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.code().status());
        if (e.code() == QueryProblem.Code.READ_MODEL_BEHIND || e.code() == QueryProblem.Code.BUSY) {
            response.header("Retry-After", "1");
        } else if (e instanceof QueryProblem.RateLimited limited) {
            response.header("Retry-After", String.valueOf(limited.seconds()));
        }
        return respond(response, problem);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<ProblemDetail> badParameter(Exception e) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName()
                : ((MissingServletRequestParameterException) e).getParameterName();
        return problem(new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, saneField(name), "wrongType"));
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, RequestRejectedException.class,
            ServletRequestBindingException.class, HandlerMethodValidationException.class})
    ResponseEntity<ProblemDetail> malformed(Exception e) {
        BodyTooLargeException tooLarge = BodyTooLargeException.in(e);
        if (tooLarge != null) {
            return tooLarge(tooLarge);
        }
        return problem(new QueryProblem(QueryProblem.Code.MALFORMED_REQUEST, null, "malformed"));
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e) {
        return problem(new QueryProblem(QueryProblem.Code.PAYLOAD_TOO_LARGE, null, "tooLarge", e.limit()));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return forStatus(405);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return forStatus(415);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return forStatus(406);
    }

    /**
     * Elasticsearch refusing a query built from a caller's values (a 4xx of its own) is that caller's mistake: a
     * 400 here, logged for the developers; unreachable or failing (5xx, I/O), the index is unavailable: 503.
     */
    @ExceptionHandler({ElasticsearchException.class, UncheckedIOException.class, SearchIndex.SearchIndexUnavailable.class})
    ResponseEntity<ProblemDetail> searchDown(RuntimeException e) {
        if (e instanceof ElasticsearchException refused && refused.status() >= 400 && refused.status() < 500) {
            log.warn("the search index refused a query built from a request: {}", refused.getMessage());
            return problem(new QueryProblem(QueryProblem.Code.MALFORMED_REQUEST, null, "malformed"));
        }
        log.error("search index unavailable: {}", e.getMessage());
        return problem(new QueryProblem(QueryProblem.Code.SEARCH_UNAVAILABLE, null, "searchUnavailable"));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return forStatus(404);
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
        return respond(ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                        .header(HttpHeaders.WWW_AUTHENTICATE, invalidToken ? "Bearer error=\"invalid_token\"" : "Bearer"),
                build(QueryProblem.Code.UNAUTHENTICATED, text("query.unauthenticated")));
    }

    /** A management endpoint asked by someone who is not an operator. */
    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return problem(new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "operatorsOnly"));
    }

    /** The client went away while its answer was written: nobody to answer. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void gone(AsyncRequestNotUsableException e) {
        log.debug("the client left before its answer: {}", e.getMessage());
    }

    /** The sealed log's own documents are damaged (a tile or bundle missing or altered): an operator's matter. */
    @ExceptionHandler(vn.hoso.eventstore.SealedLog.DamagedLogException.class)
    ResponseEntity<ProblemDetail> logDamaged(vn.hoso.eventstore.SealedLog.DamagedLogException e) {
        log.error("the sealed log is damaged: {} (start a verification: POST /api/v1/log/verifications)", e.getMessage());
        return problem(new QueryProblem(QueryProblem.Code.LOG_DAMAGED, null, "logDamaged"));
    }

    /** Any other refusal Spring makes before a controller runs (its status), else a failure of ours. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (e instanceof ErrorResponse refusal && refusal.getStatusCode().value() < 500) {
            return forStatus(refusal.getStatusCode().value());
        }
        log.error("unexpected failure of a query", e);
        return forStatus(500);
    }

    @ExceptionHandler(EmptyRefusal.class)
    ResponseEntity<ProblemDetail> emptyRefusal(EmptyRefusal e) {
        return forStatus(e.status());
    }

    /** The problem document for a bare HTTP status (the error page, a refusal without a cause of its own). */
    public ResponseEntity<ProblemDetail> forStatus(int status) {
        QueryProblem problem = switch (status) {
            case 401 -> new QueryProblem(QueryProblem.Code.UNAUTHENTICATED, null, "unauthenticated");
            case 403 -> new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "operatorsOnly");
            case 404 -> new QueryProblem(QueryProblem.Code.NOT_FOUND, null, "notFound");
            case 405 -> new QueryProblem(QueryProblem.Code.METHOD_NOT_ALLOWED, null, "methodNotAllowed");
            case 406 -> new QueryProblem(QueryProblem.Code.NOT_ACCEPTABLE, null, "notAcceptable");
            case 413 -> new QueryProblem(QueryProblem.Code.PAYLOAD_TOO_LARGE, null, "tooLarge", "-");
            case 415 -> new QueryProblem(QueryProblem.Code.UNSUPPORTED_MEDIA_TYPE, null, "unsupportedMediaType");
            default -> status >= 500 ? new QueryProblem(QueryProblem.Code.INTERNAL_ERROR, null, "internal")
                    : new QueryProblem(QueryProblem.Code.MALFORMED_REQUEST, null, "malformed");
        };
        return problem(problem);
    }


    private static String saneField(String field) {
        return field != null && SANE_FIELD.matcher(field).matches() ? field : "-";
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, key, locale());
    }

    private ProblemDetail build(QueryProblem.Code code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.status()), detail);
        problem.setType(URI.create("urn:hoso:problem:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setTitle(text("title." + code.name()));
        problem.setProperty("code", code.name());
        // this occurrence, by its request id: never the request's path, which may carry anything the caller sent
        String requestId = RequestCorrelation.current();
        if (requestId != null) {
            problem.setProperty("requestId", requestId);
        }
        problem.setInstance(RequestCorrelation.instance(requestId));
        return problem;
    }

    private static ResponseEntity<ProblemDetail> respond(ResponseEntity.BodyBuilder response, ProblemDetail problem) {
        return response.contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.CONTENT_LANGUAGE, locale().getLanguage()).body(problem);
    }

    private static Locale locale() {
        return LocaleContextHolder.getLocale();
    }
}
