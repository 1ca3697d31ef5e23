package vn.hoso.calendar;

import vn.hoso.events.DossierStatus;

import java.time.Instant;
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
}
