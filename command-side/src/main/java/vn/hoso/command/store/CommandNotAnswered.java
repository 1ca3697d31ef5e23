package vn.hoso.command.store;

import java.time.Duration;

/**
 * A command that got no answer in time: every worker was busy and the queue full, or it ran past its time. Told to
 * the caller as a 503 with {@code Retry-After}; {@link #mayHaveBeenApplied()} says whether a retry must carry the same
 * {@code Idempotency-Key} (or check the dossier's version) because the command may still have been applied.
 */
public class CommandNotAnswered extends RuntimeException {

    /** Why no answer was given. */
    public enum Reason {
        /** every worker busy and the queue full: the command was not started */
        BUSY,
        /** the command waited past its time for a worker: it was not started, and never will be */
        NOT_STARTED_IN_TIME,
        /** the command was running when its time ran out: it may still complete */
        RUNNING_PAST_ITS_TIME,
        /** the store could not say whether the command's append landed */
        OUTCOME_UNKNOWN
    }

    private final Reason reason;
    private final Duration retryAfter;

    public CommandNotAnswered(Reason reason, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whether the command may have been (or may yet be) applied: a blind retry could apply it twice. */
    public boolean mayHaveBeenApplied() {
        return reason == Reason.RUNNING_PAST_ITS_TIME || reason == Reason.OUTCOME_UNKNOWN;
    }
}
