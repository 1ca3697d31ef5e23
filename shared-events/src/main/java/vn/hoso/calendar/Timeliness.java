package vn.hoso.calendar;

import vn.hoso.events.DossierStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * DOMAIN.md's one definition of on time and of late (time rules), used by the dossier, every read model, report and
 * queue. A dossier is <b>on time</b> iff its result is issued by its {@code statutoryDueAt} (an extension never makes
 * it on time). An open dossier is <b>late now</b> iff it has no result yet, is not paused, and now is after its
 * {@code statutoryDueAt}: late now is evaluated when asked, never stored.
 */
public final class Timeliness {

    /**
     * The states in which a dossier can be late now: received and not closed, not paused for the applicant
     * (supplement or payment requested), without a result (result ready or returned). Not yet received: no due date.
     */
    public static final Set<DossierStatus> CAN_BE_LATE = Set.copyOf(EnumSet.of(DossierStatus.RECEIVED,
            DossierStatus.PROCESSING));

    private Timeliness() {
    }

    /** Whether a result issued at {@code resultIssuedAt} was on time. */
    public static boolean onTime(Instant resultIssuedAt, Instant statutoryDueAt) {
        Objects.requireNonNull(resultIssuedAt, "resultIssuedAt");
        Objects.requireNonNull(statutoryDueAt, "statutoryDueAt");
        return !resultIssuedAt.isAfter(statutoryDueAt);
    }

    /** The same, for a state as a read model stores it (its name; unknown or absent: never late). */
    public static boolean lateNow(String statusName, Instant statutoryDueAt, Instant now) {
        DossierStatus status = null;
        if (statusName != null) {
            try {
                status = DossierStatus.valueOf(statusName);
            } catch (IllegalArgumentException unknown) {
                // a state this version does not know cannot be one that can be late
            }
        }
        return lateNow(status, statutoryDueAt, now);
    }

    /** Whether a dossier in {@code status} with this statutory due date is late at {@code now}. */
    public static boolean lateNow(DossierStatus status, Instant statutoryDueAt, Instant now) {
        Objects.requireNonNull(now, "now");
        return status != null && CAN_BE_LATE.contains(status) && statutoryDueAt != null && now.isAfter(statutoryDueAt);
    }

    /**
     * How late an event was reported: the minutes from when it happened, as reported, to when it was recorded (0 for
     * one reported at once, or by a clock slightly ahead). A report later than a threshold is flagged for inspectors
     * (DOMAIN.md); the threshold is applied when read.
     */
    public static long reportLatenessMinutes(Instant occurredAt, Instant recordedAt) {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
        return Math.max(0, Duration.between(occurredAt, recordedAt).toMinutes());
    }

    /**
     * A result on time as reported (the desk really issued it by its statutory due date) but recorded after that date:
     * counted on time, and its own breach (DOMAIN.md: a late report that turns a late dossier into an on-time one).
     */
    public static boolean resultRecordedLate(boolean onTime, Instant statutoryDueAt, Instant recordedAt) {
        return onTime && statutoryDueAt != null && recordedAt != null && recordedAt.isAfter(statutoryDueAt);
    }

    /**
     * Whether a supplement request that asked for a reply by {@code replyBy} is past it at {@code at}: the reply-by
     * date ends at midnight at its end in {@code zone} (Vietnam's).
     */
    public static boolean pastReplyBy(LocalDate replyBy, Instant at, ZoneId zone) {
        return replyBy != null && at.atZone(zone).toLocalDate().isAfter(replyBy);
    }
}
