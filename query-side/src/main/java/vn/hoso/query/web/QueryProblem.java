package vn.hoso.query.web;

/** A query the service refuses, with a stable code and the field at fault (if any). */
public class QueryProblem extends RuntimeException {

    /** Stable error codes of the query API and their HTTP status. */
    public enum Code {
        VALIDATION_FAILED(400),
        UNAUTHENTICATED(401),
        NOT_ALLOWED(403),
        DOSSIER_NOT_FOUND(404),
        READ_MODEL_BEHIND(503),
        SEARCH_UNAVAILABLE(503);

        private final int status;

        Code(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Code code;
    private final String field;

    public QueryProblem(Code code, String field, String detail) {
        super(detail);
        this.code = code;
        this.field = field;
    }

    public Code code() {
        return code;
    }

    public String field() {
        return field;
    }
}
