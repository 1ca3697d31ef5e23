package vn.hoso.dossier;

import vn.hoso.events.DossierStatus;
import vn.hoso.events.StatutoryTime;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A dossier's state after a prefix of its events ({@link DossierFold#state()}): no personal data, nothing measured
 * after the last event folded.
 *
 * @param extended            an apology letter set a later due date (which never makes it on time)
 * @param workingMinutesUsed  working minutes in stages where the agency had it and its clock ran, up to the last event
 * @param workingMinutesPaused working minutes paused for the applicant after receipt (the clock's)
 * @param unmeasuredStages    stages whose working time could not be measured (outside the calendar's years)
 * @param unit                the unit holding it (the last one it was started at, transferred to or worked on at)
 * @param pausedAt            when the current pause began; null when not paused
 * @param replyBy             the current supplement request's reply-by date; null when none is waiting
 * @param onTime              its result was issued by its statutory due date; null without a result
 * @param lastOccurredAt      when the last folded event happened, as reported
 * @param eventsFolded        how many events were folded
 */
public record DossierState(String dossierId, String dossierCode, String agencyCode, String procedureCode,
                           DossierStatus status, DossierStatus statusBeforePause, Instant submittedAt,
                           Instant receivedAt, StatutoryTime statutoryTime, Instant dueAt, Instant statutoryDueAt,
                           boolean extended, long workingMinutesUsed, long workingMinutesPaused,
                           int unmeasuredStages, String unit, Instant pausedAt, LocalDate replyBy,
                           String pauseReason, long feesOwed, long feesPaid, int supplementRequests,
                           int extensions, Instant resultIssuedAt, Boolean onTime, Instant lastOccurredAt,
                           long eventsFolded) {

    public boolean paused() {
        return pausedAt != null;
    }
}
