package vn.hoso.events;

import java.time.Instant;

/**
 * The processing clock as it stands after an event: the promised date ({@code dueAt}: pauses and extensions),
 * the statutory date ({@code statutoryDueAt}: pauses only; on time iff the result is issued by it) and the
 * working time paused so far, both in working minutes and in the working days the due dates moved by.
 *
 * @param provisional the due dates were counted over a calendar year whose days off are not decreed yet (2027's,
 *                    for now): they may change once the year is decreed. Events stored before this field read false.
 */
public record DossierClock(Instant dueAt, Instant statutoryDueAt, long pausedWorkingMinutes, int pausedWorkingDays,
                           boolean provisional) {

    /** A clock counted on decreed calendar years only. */
    public DossierClock(Instant dueAt, Instant statutoryDueAt, long pausedWorkingMinutes, int pausedWorkingDays) {
        this(dueAt, statutoryDueAt, pausedWorkingMinutes, pausedWorkingDays, false);
    }
}
