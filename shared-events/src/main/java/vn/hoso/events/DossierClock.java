package vn.hoso.events;

import java.time.Instant;

/**
 * The processing clock as it stands after an event: the promised date ({@code dueAt}: pauses and extensions),
 * the statutory date ({@code statutoryDueAt}: pauses only; on time iff the result is issued by it) and the
 * working time paused so far, both in working minutes and in the working days the due dates moved by.
 */
public record DossierClock(Instant dueAt, Instant statutoryDueAt, long pausedWorkingMinutes, int pausedWorkingDays) {
}
