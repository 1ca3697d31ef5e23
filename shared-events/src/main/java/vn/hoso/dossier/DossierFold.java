package vn.hoso.dossier;

import vn.hoso.calendar.Timeliness;
import vn.hoso.events.DeadlineExtended;
import vn.hoso.events.DossierClock;
import vn.hoso.events.DossierEvent;
import vn.hoso.events.DossierRated;
import vn.hoso.events.DossierReceived;
import vn.hoso.events.DossierStatus;
import vn.hoso.events.DossierSubmitted;
import vn.hoso.events.DossierSupplemented;
import vn.hoso.events.DossierTransferred;
import vn.hoso.events.FeeItem;
import vn.hoso.events.FeePaid;
import vn.hoso.events.PaymentRequested;
import vn.hoso.events.ProcessingStarted;
import vn.hoso.events.ProcessingStepCompleted;
import vn.hoso.events.ResultIssued;
import vn.hoso.events.StatutoryTime;
import vn.hoso.events.SupplementRequested;
import vn.hoso.events.SyncNumberSkipped;
import vn.hoso.events.SyncReportRecorded;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * A dossier's state, folded from its events in order: the one definition of what a history means (status, due
 * dates, working time used and paused, the unit holding it, fees owed and paid, pauses, supplement requests,
 * extensions). The dossier aggregate folds with it as it is loaded and as it applies; the audit folds a prefix of the
 * stored history to show the dossier at a past moment. Not thread-safe: one fold per dossier and reader.
 * <p>
 * Working time is never measured here: each event carries the working minutes since the previous event, measured
 * with the calendar in force when it was recorded ({@link DossierEvent#workingMinutesInStage()}). Those minutes
 * count as <b>used</b> when the stage they close was one in which the agency had the dossier and its clock ran: the
 * states that can be late ({@link Timeliness#CAN_BE_LATE}: received or processing, not paused, no result yet).
 */
public final class DossierFold {

    private String dossierId;
    private String ownerId;
    private String agencyCode;
    private String applicantIdNumber;
    private String procedureCode;
    private String dossierCode;
    private DossierStatus status;
    private DossierStatus statusBeforePause;
    private StatutoryTime statutoryTime;
    private DossierClock clock;
    private Instant submittedAt;
    private Instant receivedAt;
    private Instant pausedAt;
    private LocalDate replyBy;
    private String pauseReason;
    private Instant lastOccurredAt;
    private Instant resultIssuedAt;
    private Boolean onTime;
    private boolean rated;
    private long amountOwed;
    private long amountPaid;
    private long lastSyncSequence;
    private String unit;
    private int supplementRequests;
    private int extensions;
    private long workingMinutesUsed;
    private int unmeasuredStages;
    private long eventsFolded;
    /** Each payment reference recorded, with its amount: the same reference again is one payment, not two. */
    private final Map<String, Long> payments = new HashMap<>();

    /** Folds the next event of the dossier (events in sequence order); returns this fold. */
    public DossierFold apply(DossierEvent event) {
        DossierStatus before = status;
        Long inStage = event.workingMinutesInStage();
        if (before != null && Timeliness.CAN_BE_LATE.contains(before)) {
            if (inStage == null) {
                unmeasuredStages++;
            } else {
                workingMinutesUsed += inStage;
            }
        }
        status = event.status();
        if (lastOccurredAt == null || event.occurredAt().isAfter(lastOccurredAt)) {
            lastOccurredAt = event.occurredAt();
        }
        if (event instanceof DossierSubmitted submitted) {
            dossierId = submitted.dossierId();
            ownerId = submitted.ownerId();
            agencyCode = submitted.agencyCode();
            applicantIdNumber = submitted.applicant() == null ? null : submitted.applicant().idNumber();
            procedureCode = submitted.procedureCode();
            submittedAt = submitted.occurredAt();
            amountOwed = submitted.feesDueAtSubmission().stream().mapToLong(FeeItem::amount).sum();
        } else if (event instanceof DossierReceived received) {
            dossierCode = received.dossierCode();
            receivedAt = received.occurredAt();
            statutoryTime = received.statutoryTime();
            clock = received.clock();
        } else if (event instanceof SupplementRequested requested) {
            supplementRequests++;
            pause(requested.previousStatus(), requested.occurredAt(), requested.replyBy(), requested.reason());
        } else if (event instanceof DossierSupplemented supplemented) {
            clock = supplemented.clock();
            resume();
        } else if (event instanceof PaymentRequested requested) {
            pause(requested.previousStatus(), requested.occurredAt(), null, null);
            amountOwed += requested.amountRequested();
        } else if (event instanceof FeePaid paid) {
            payments.put(paid.paymentReference(), paid.amount());
            amountPaid += paid.amount();
            clock = paid.clock();
            if (paid.resumed()) {
                resume();
            }
        } else if (event instanceof DeadlineExtended extended) {
            extensions++;
            clock = extended.clock();
        } else if (event instanceof ProcessingStarted started) {
            unit = started.unit();
        } else if (event instanceof DossierTransferred transferred) {
            unit = transferred.toUnit();
        } else if (event instanceof ProcessingStepCompleted step) {
            unit = step.unit();
        } else if (event instanceof ResultIssued issued) {
            resultIssuedAt = issued.occurredAt();
            onTime = issued.onTime();
        } else if (event instanceof DossierRated) {
            rated = true;
        } else if (event instanceof SyncNumberSkipped skipped) {
            lastSyncSequence = skipped.sequence();
        } else if (event instanceof SyncReportRecorded recorded) {
            lastSyncSequence = recorded.sequence();
        }
        if (event.syncSequence() != null) {
            lastSyncSequence = event.syncSequence();
        }
        eventsFolded++;
        return this;
    }

    private void pause(DossierStatus previous, Instant at, LocalDate replyBy, String reason) {
        statusBeforePause = previous;
        pausedAt = at;
        this.replyBy = replyBy;
        pauseReason = reason;
    }

    private void resume() {
        statusBeforePause = null;
        pausedAt = null;
        replyBy = null;
        pauseReason = null;
    }

    /** The state folded so far, without the applicant's personal data. */
    public DossierState state() {
        return new DossierState(dossierId, dossierCode, agencyCode, procedureCode, status, statusBeforePause,
                submittedAt, receivedAt, statutoryTime, clock == null ? null : clock.dueAt(),
                clock == null ? null : clock.statutoryDueAt(), extensions > 0,
                workingMinutesUsed, clock == null ? 0 : clock.pausedWorkingMinutes(), unmeasuredStages, unit,
                pausedAt, replyBy, pauseReason, amountOwed, amountPaid, supplementRequests, extensions,
                resultIssuedAt, onTime, lastOccurredAt, eventsFolded);
    }

    public String dossierId() {
        return dossierId;
    }

    public String ownerId() {
        return ownerId;
    }

    public String agencyCode() {
        return agencyCode;
    }

    /** The applicant's citizen ID or tax code: who, besides the owner, may see the dossier. */
    public String applicantIdNumber() {
        return applicantIdNumber;
    }

    public String procedureCode() {
        return procedureCode;
    }

    public String dossierCode() {
        return dossierCode;
    }

    /** Null before the first event. */
    public DossierStatus status() {
        return status;
    }

    /** The state a pause (supplement or payment request) returns to; null when not paused. */
    public DossierStatus statusBeforePause() {
        return statusBeforePause;
    }

    public StatutoryTime statutoryTime() {
        return statutoryTime;
    }

    /** The clock (due dates, working time paused); null before receipt. */
    public DossierClock clock() {
        return clock;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    /** When the current pause began (as reported); null when not paused. */
    public Instant pausedAt() {
        return pausedAt;
    }

    /** The latest time any event happened, as reported. */
    public Instant lastOccurredAt() {
        return lastOccurredAt;
    }

    public boolean resultIssued() {
        return resultIssuedAt != null;
    }

    public boolean rated() {
        return rated;
    }

    public long amountOwed() {
        return amountOwed;
    }

    public long amountPaid() {
        return amountPaid;
    }

    /** The amount recorded for a payment reference, or null if none. */
    public Long payment(String reference) {
        return payments.get(reference);
    }

    /** The number of the last agency report the dossier took (or skipped). */
    public long lastSyncSequence() {
        return lastSyncSequence;
    }

    public int supplementRequests() {
        return supplementRequests;
    }
}
