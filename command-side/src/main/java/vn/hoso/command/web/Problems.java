package vn.hoso.command.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import org.axonframework.commandhandling.CommandExecutionException;
import vn.hoso.command.store.CommandNotAnswered;
import vn.hoso.command.store.CommandProperties;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import vn.hoso.calendar.CalendarNotAvailableException;
import vn.hoso.calendar.WorkingCalendar;
import vn.hoso.command.dossier.DossierAction;
import vn.hoso.command.dossier.DossierCommandController.DossierNotFoundException;
import vn.hoso.command.dossier.DossierRuleViolation;
import vn.hoso.command.dossier.ErrorCode;
import vn.hoso.command.dossier.RequestValidationException;
import vn.hoso.command.dossier.RequestValidationException.FieldProblem;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import vn.hoso.events.ActorRole;
import vn.hoso.web.InboundRequests.BodyTooLargeException;
import vn.hoso.web.InboundRequests.EmptyRefusal;
import vn.hoso.web.RequestCorrelation;
import vn.hoso.events.DossierStatus;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns every refusal into an RFC 9457 problem document: a stable {@code code}, the HTTP status, a {@code detail}
 * in Vietnamese or English by {@code Accept-Language}, the fields at fault ({@code errors}) and, for refusals by the
 * dossier, its current state. Values the caller sent are never echoed: they may be personal data.
 */
@RestControllerAdvice
public class Problems {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    private static final Map<ErrorCode, String> FIELD_AT_FAULT = Map.of(
            ErrorCode.UNKNOWN_PROCEDURE, "procedureCode",
            ErrorCode.PROCEDURE_NOT_IN_FORCE, "procedureCode",
            ErrorCode.PAYMENT_EXCEEDS_OUTSTANDING, "amount",
            ErrorCode.DEADLINE_NOT_LATER, "newDueAt",
            ErrorCode.DOSSIER_CODE_TAKEN, "dossierCode");

    private final MessageSource messages;
    private final WorkingCalendar calendar;

    private final java.time.Duration commandTimeout;

    public Problems(MessageSource messages, WorkingCalendar calendar, CommandProperties commands) {
        this.commandTimeout = commands.timeout();
        this.calendar = calendar;
        this.messages = messages;
    }

    @ExceptionHandler(DossierRuleViolation.class)
    ResponseEntity<ProblemDetail> ruleViolation(DossierRuleViolation e) {
        Object[] args = e.messageArgs().stream().map(this::localise).toArray();
        ProblemDetail problem = problem(e.code(), args);
        if (e.currentStatus() != null && e.code() != ErrorCode.NOT_ALLOWED) {
            // a refused party is not told the state (it may see the dossier, but the refusal is about who asks)
            problem.setProperty("currentState", e.currentStatus().name());
            problem.setProperty("currentStateCode", e.currentStatus().code());
        }
        problem.setProperty("action", e.action());
        String field = FIELD_AT_FAULT.get(e.code());
        if (field != null) {
            problem.setProperty("errors", List.of(new FieldProblem(field, localisedDetail(e.code(), args))));
        }
        log.info("refused {}: {} (state {})", e.action(), e.code(), e.currentStatus());
        return respond(problem);
    }

    @ExceptionHandler(RequestValidationException.class)
    ResponseEntity<ProblemDetail> invalid(RequestValidationException e) {
        return validationFailed(e.faults().stream().map(f -> new FieldProblem(f.field(),
                messages.getMessage("invalid." + f.key(), f.args(), f.key(), locale()))).toList());
    }

    /** Bean Validation's messages, in the caller's language ({@code ValidationMessages*.properties}). */
    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalidBody(MethodArgumentNotValidException e) {
        List<FieldProblem> problems = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldProblem(saneField(error.getField()), error.getDefaultMessage())).toList();
        return validationFailed(problems);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        BodyTooLargeException tooLarge = BodyTooLargeException.in(e);
        if (tooLarge != null) {
            return tooLarge(tooLarge);
        }
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return validationFailed(List.of(new FieldProblem(path(unknown), text("json.unknownField"))));
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return validationFailed(List.of(new FieldProblem(path(mapping), text("json.wrongType"))));
        }
        // where the JSON broke, never the text around it: it may be personal data
        String reason = cause instanceof JsonProcessingException json && json.getLocation() != null
                ? messages.getMessage("json.brokenAt", new Object[]{json.getLocation().getLineNr(),
                json.getLocation().getColumnNr()}, locale())
                : text("json.unreadable");
        ProblemDetail problem = problem(ErrorCode.MALFORMED_REQUEST);
        problem.setProperty("reason", reason);
        return respond(problem);
    }

    /** A body past {@code hoso.http.max-body-bytes}, refused before (or as soon as) it passes the limit. */
    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e) {
        return respond(problem(ErrorCode.PAYLOAD_TOO_LARGE, e.limit()));
    }

    /** A path, query parameter or header the firewall, the router or a converter refuses: never the value. */
    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
            MissingRequestHeaderException.class, RequestRejectedException.class, HandlerMethodValidationException.class,
            ServletRequestBindingException.class})
    ResponseEntity<ProblemDetail> badRequestLine(Exception e) {
        String field = e instanceof MethodArgumentTypeMismatchException m ? m.getName()
                : e instanceof MissingServletRequestParameterException m ? m.getParameterName()
                : e instanceof MissingRequestHeaderException m ? m.getHeaderName() : null;
        if (field == null) {
            return respond(problem(ErrorCode.MALFORMED_REQUEST));
        }
        return validationFailed(List.of(new FieldProblem(field, text("json.wrongType"))));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(problem(ErrorCode.NOT_ACCEPTABLE));
    }


    @ExceptionHandler(EmptyRefusal.class)
    ResponseEntity<ProblemDetail> emptyRefusal(EmptyRefusal e) {
        return forStatus(e.status());
    }

    /** The problem document for a bare HTTP status. */
    public ResponseEntity<ProblemDetail> forStatus(int status) {
        ErrorCode code = switch (status) {
            case 400 -> ErrorCode.MALFORMED_REQUEST;
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.NOT_ALLOWED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.MALFORMED_REQUEST;
        };
        if (code == ErrorCode.PAYLOAD_TOO_LARGE) {
            return respond(problem(code, "-"));
        }
        if (code == ErrorCode.NOT_ALLOWED) {
            return respond(problem(code, "-", "-"));
        }
        return respond(problem(code));
    }

    /**
     * No access token, or one that is not valid here (signature, issuer, audience, expiry, HoSo's claims): 401 with
     * the {@code WWW-Authenticate} challenge of RFC 6750. What was wrong is logged, never the token.
     */
    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e) {
        boolean invalidToken = e instanceof org.springframework.security.oauth2.core.OAuth2AuthenticationException
                || e instanceof InvalidBearerTokenException;
        if (invalidToken) {
            log.info("refused an access token: {}", e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, invalidToken ? "Bearer error=\"invalid_token\"" : "Bearer")
                .header(HttpHeaders.CONTENT_LANGUAGE, locale().getLanguage())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem(ErrorCode.UNAUTHENTICATED));
    }

    /** A management endpoint asked by someone who is not an operator. */
    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        ProblemDetail problem = problem(ErrorCode.NOT_ALLOWED, "-", "-");
        problem.setDetail(messages.getMessage("error.NOT_ALLOWED.operators", null, locale()));
        return respond(problem);
    }

    @ExceptionHandler({DossierNotFoundException.class, AggregateNotFoundException.class})
    ResponseEntity<ProblemDetail> notFound(Exception e) {
        return respond(problem(ErrorCode.DOSSIER_NOT_FOUND));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> concurrent(ConcurrencyException e) {
        log.info("concurrent append refused by the event store: {}", e.getMessage());
        ProblemDetail problem = problem(ErrorCode.CONCURRENT_MODIFICATION);
        problem.setDetail(messages.getMessage("error.CONCURRENT_MODIFICATION.race", null, locale()));
        return respond(problem);
    }

    /**
     * A date this request needs (a due date, most often) lies past the working calendar's last year: a 422 for the
     * caller, logged as a warning for the operator (readiness is DOWN well before this, see {@code calendar}).
     */
    @ExceptionHandler(CalendarNotAvailableException.class)
    ResponseEntity<ProblemDetail> noCalendar(CalendarNotAvailableException e) {
        log.warn("a request needs a date past the working calendar: {}; add the next year's calendar file",
                e.getMessage());
        return respond(problem(ErrorCode.CALENDAR_NOT_AVAILABLE, String.valueOf(calendar.lastYear())));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(problem(ErrorCode.UNSUPPORTED_MEDIA_TYPE));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return respond(problem(ErrorCode.METHOD_NOT_ALLOWED));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return respond(problem(ErrorCode.NOT_FOUND));
    }

    /** A command not answered in time, or whose outcome the store could not tell: 503 with Retry-After. */
    @ExceptionHandler(CommandNotAnswered.class)
    ResponseEntity<ProblemDetail> notAnswered(CommandNotAnswered e) {
        ProblemDetail problem = switch (e.reason()) {
            case BUSY -> problem(ErrorCode.BUSY);
            case OUTCOME_UNKNOWN -> problem(ErrorCode.OUTCOME_UNKNOWN);
            case NOT_STARTED_IN_TIME, RUNNING_PAST_ITS_TIME -> problem(ErrorCode.COMMAND_TIMEOUT,
                    commandTimeout.toMillis() / 1000.0);
        };
        problem.setProperty("mayHaveBeenApplied", e.mayHaveBeenApplied());
        log.warn("command not answered with its result ({}): {}", e.reason(), e.getMessage());
        return unavailable(problem, e.retryAfter());
    }

    /** The event store did not answer (no server, a lost connection) before anything was appended: 503. */
    @ExceptionHandler({MongoSocketException.class, MongoTimeoutException.class})
    ResponseEntity<ProblemDetail> storeUnavailable(RuntimeException e) {
        log.warn("the event store did not answer: {}", e.toString());
        ProblemDetail problem = problem(ErrorCode.STORE_UNAVAILABLE);
        problem.setProperty("mayHaveBeenApplied", false);
        return unavailable(problem, java.time.Duration.ofSeconds(2));
    }

    private static ResponseEntity<ProblemDetail> unavailable(ProblemDetail problem, java.time.Duration retryAfter) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.CONTENT_LANGUAGE, locale().getLanguage()).body(problem);
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ProblemDetail> commandFailed(CommandExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof DossierRuleViolation v) {
            return ruleViolation(v);
        }
        if (cause instanceof RequestValidationException v) {
            return invalid(v);
        }
        if (cause instanceof AggregateNotFoundException n) {
            return notFound(n);
        }
        if (cause instanceof ConcurrencyException c) {
            return concurrent(c);
        }
        return unexpected(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (e instanceof org.springframework.web.ErrorResponse refusal && refusal.getStatusCode().value() < 500) {
            // any other refusal Spring makes before a controller runs: its status
            return forStatus(refusal.getStatusCode().value());
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof MongoSocketException || cause instanceof MongoTimeoutException) {
                return storeUnavailable((RuntimeException) cause); // wrapped by the store or Axon on its way here
            }
        }
        log.error("unexpected failure of request {}", MDC.get(RequestCorrelation.REQUEST_ID), e);
        return respond(problem(ErrorCode.INTERNAL_ERROR));
    }

    // ---- building ------------------------------------------------------------------------------------------------


    private String text(String key) {
        return messages.getMessage(key, null, key, locale());
    }

    /** A field path the client chose (a map key, say) only when it looks like a field name: it may be anything. */
    private static String saneField(String field) {
        return field != null && SANE_FIELD.matcher(field).matches() ? field : "-";
    }

    private static final java.util.regex.Pattern SANE_FIELD =
            java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_.\\[\\]-]{0,80}");

    private ResponseEntity<ProblemDetail> validationFailed(List<FieldProblem> problems) {
        ProblemDetail problem = problem(ErrorCode.VALIDATION_FAILED);
        problem.setProperty("errors", problems);
        return respond(problem);
    }

    private ProblemDetail problem(ErrorCode code, Object... args) {
        ProblemDetail problem = ProblemDetail.forStatus(code.httpStatus());
        problem.setType(URI.create("urn:hoso:problem:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setTitle(messages.getMessage("title." + code.name(), null, code.name(), locale()));
        problem.setDetail(localisedDetail(code, args));
        problem.setProperty("code", code.name());
        String requestId = RequestCorrelation.current();
        if (requestId != null) {
            problem.setProperty("requestId", requestId);
        }
        // this occurrence, by its request id: never the request's path, which may carry anything the caller sent
        problem.setInstance(RequestCorrelation.instance(requestId));
        return problem;
    }

    private String localisedDetail(ErrorCode code, Object[] args) {
        return messages.getMessage("error." + code.name(), args, code.name(), locale());
    }

    private Object localise(Object arg) {
        Locale locale = locale();
        if (arg instanceof DossierStatus status) {
            return messages.getMessage("status." + status.name(), null, status.name(), locale);
        }
        if (arg instanceof ActorRole role) {
            return messages.getMessage("role." + role.name(), null, role.name(), locale);
        }
        if (arg instanceof String s && (Arrays.stream(DossierAction.values()).anyMatch(a -> a.name().equals(s))
                || "READ_HISTORY".equals(s) || "SYNC".equals(s) || "RETRY".equals(s))) {
            return messages.getMessage("action." + s, null, s, locale);
        }
        return arg == null ? "-" : arg;
    }

    private static Locale locale() {
        return LocaleContextHolder.getLocale();
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(HttpStatus.valueOf(problem.getStatus()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.CONTENT_LANGUAGE, locale().getLanguage()).body(problem);
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(saneField(ref.getFieldName()));
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
