package vn.hoso.command.dossier;

/**
 * Stable error codes of the command API: clients branch on these, never on the human-readable detail. Each has
 * the HTTP status it is answered with.
 */
public enum ErrorCode {
    VALIDATION_FAILED(400),
    MALFORMED_REQUEST(400),
    UNAUTHENTICATED(401),
    NOT_ALLOWED(403),
    DOSSIER_NOT_FOUND(404),
    ILLEGAL_TRANSITION(409),
    CONCURRENT_MODIFICATION(409),
    DOSSIER_EXISTS(409),
    DOSSIER_CODE_TAKEN(409),
    FEES_OUTSTANDING(409),
    SYNC_OUT_OF_ORDER(409),
    ALREADY_RATED(409),
    NO_FEES_DUE(409),
    UNKNOWN_PROCEDURE(422),
    PROCEDURE_NOT_IN_FORCE(422),
    PAYMENT_EXCEEDS_OUTSTANDING(422),
    PAYMENT_REFERENCE_REUSED(409),
    DEADLINE_NOT_LATER(422),
    IDEMPOTENCY_KEY_REUSED(422),
    CALENDAR_NOT_AVAILABLE(422),
    UNSUPPORTED_MEDIA_TYPE(415),
    PAYLOAD_TOO_LARGE(413),
    NOT_ACCEPTABLE(406),
    METHOD_NOT_ALLOWED(405),
    NOT_FOUND(404),
    INTERNAL_ERROR(500),
    /** every command worker busy: not applied; retry after Retry-After */
    BUSY(503),
    /** not answered in time; {@code mayHaveBeenApplied} says whether it may still be applied */
    COMMAND_TIMEOUT(503),
    /** the store could not say whether the command's events were stored: retry with the same Idempotency-Key */
    OUTCOME_UNKNOWN(503),
    /** the event store did not answer: nothing was appended */
    STORE_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
