package vn.hoso.query.web;

/**
 * A query the service refuses, with a stable code, the field at fault (if any) and the key of its message
 * ({@code query.<key>} in {@code query-messages*.properties}, told in the caller's language) with its arguments.
 * The arguments are the service's own values (limits, allowed values), never what the caller sent.
 */
public class QueryProblem extends RuntimeException {

    /** Stable error codes of the query API and their HTTP status. */
    public enum Code {
        VALIDATION_FAILED(400),
        MALFORMED_REQUEST(400),
        UNAUTHENTICATED(401),
        NOT_ALLOWED(403),
        DOSSIER_NOT_FOUND(404),
        NOT_FOUND(404),
        METHOD_NOT_ALLOWED(405),
        CONFLICT(409),
        RATE_LIMITED(429),
        NOT_ACCEPTABLE(406),
        PAYLOAD_TOO_LARGE(413),
        UNSUPPORTED_MEDIA_TYPE(415),
        INTERNAL_ERROR(500),
        LOG_DAMAGED(500),
        READ_MODEL_BEHIND(503),
        BUSY(503),
        SEARCH_UNAVAILABLE(503);

        private final int status;

        Code(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Too many requests of one kind: refused for {@code seconds} (told in {@code Retry-After}). */
    public static final class RateLimited extends QueryProblem {
        private final long seconds;

        public RateLimited(String key, long seconds) {
            super(Code.RATE_LIMITED, null, key, seconds);
            this.seconds = seconds;
        }

        public long seconds() {
            return seconds;
        }
    }

    private final Code code;
    private final String field;
    private final String key;
    private final Object[] args;

    public QueryProblem(Code code, String field, String key, Object... args) {
        super(code + (field != null ? " (" + field + ")" : "") + ": " + key);
        this.code = code;
        this.field = field;
        this.key = key;
        this.args = args;
    }

    public Code code() {
        return code;
    }

    public String field() {
        return field;
    }

    public String key() {
        return key;
    }

    public Object[] args() {
        return args;
    }
}
