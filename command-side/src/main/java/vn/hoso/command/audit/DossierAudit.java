package vn.hoso.command.audit;

import vn.hoso.calendar.CalendarNotAvailableException;
import vn.hoso.calendar.Timeliness;
import vn.hoso.calendar.WorkingCalendar;
import vn.hoso.dossier.DossierFold;
import vn.hoso.dossier.DossierState;
import vn.hoso.events.DeadlineExtended;
import vn.hoso.events.DossierEvent;
import vn.hoso.events.DossierStatus;
import vn.hoso.events.FeeItem;
import vn.hoso.events.PaymentRequested;
import vn.hoso.events.ResultIssued;
import vn.hoso.events.SupplementRequested;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The audit of one dossier from its stored events: each stage in order with its working time, cumulatively against the
 * statutory due date, each pause with its reason and reply-by date, each extension with its reason and new date, each
 * event's lateness (recorded minus reported time), and the verdict. Working time comes from the events (measured when
 * each was recorded, with the calendar then in force); only the stage still open is measured now, up to {@code now}.
 */
public final class DossierAudit {

    /** One stored event: its sequence number, its payload and when it was recorded (the store's timestamp). */
    public record RecordedEvent(long sequenceNumber, DossierEvent event, Instant recordedAt) {
        public RecordedEvent {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(recordedAt, "recordedAt");
        }

        /** Minutes between when it happened, as reported, and when it was recorded (0 when reported at once). */
        public long latenessMinutes() {
            return Timeliness.reportLatenessMinutes(event.occurredAt(), recordedAt);
        }
    }

    /** Which clock a moment is read on. */
    public enum Clock {
        /** The events recorded at or before the moment: what the system knew then. */
        RECORDED,
        /** The events that happened at or before the moment, as the agency reported them. */
        REPORTED
    }

    /**
     * The kinds of stage: before receipt; received at the desk, not yet at a unit; at a unit; paused for the applicant
     * (a supplement or a payment); with its result ready; an extension (an instant, not a span).
     */
    public enum StageKind {
        INTAKE, RECEIVED, UNIT, SUPPLEMENT_PAUSE, PAYMENT_PAUSE, RESULT_READY, EXTENSION
    }

    /**
     * One stage, or an extension in the stage it was given in (listed after it). {@code workingMinutes}: the working
     * time measured within it ({@code unmeasuredParts}: spans between two of its events the calendar could not
     * measure, left out); {@code counted}: whether it counts toward the statutory time (received or at a unit: the
     * agency's time); {@code cumulativeWorkingMinutes}: the counted working time from receipt to its end (for an
     * extension, to the extension); {@code statutoryDueAt}: the statutory due date in force at its end, and
     * {@code endedByStatutoryDueAt} whether it ended by then; for a supplement pause, {@code pastReplyBy}: it ended
     * (by a supplement, a stop or a withdrawal), or is still waiting, after its reply-by date.
     */
    public record Stage(StageKind kind, String unit, long firstSequence, Instant startedAt, Instant endedAt,
                        boolean open, long workingMinutes, int unmeasuredParts, boolean counted,
                        long cumulativeWorkingMinutes, Instant statutoryDueAt, Boolean endedByStatutoryDueAt,
                        String reason, LocalDate replyBy, Boolean pastReplyBy, Instant previousDueAt,
                        Instant newDueAt) {
    }

    /** One event's times: reported ({@code occurredAt}) and recorded, and whether the report was late. */
    public record EventTimes(long sequenceNumber, String type, Instant reportedAt, Instant recordedAt,
                             long latenessMinutes, boolean lateReport) {
    }

    /**
     * The verdict: on time by the statutory due date or not (only a result decides), late now, extended; a result on
     * time as reported but recorded after its statutory due date ({@code resultRecordedLate}: its own breach); a
     * second supplement request; pauses that ended, or still wait, past their reply-by date. {@code workingMinutesUsed}:
     * the counted working time up to now, the stages' measured minutes added up ({@code unmeasuredParts} spans the
     * calendar could not measure are left out). There are no per-stage limits: the catalogue has none, so each stage
     * is measured against the one statutory due date.
     */
    public record Verdict(DossierStatus status, Instant statutoryDueAt, Instant dueAt, boolean extended,
                          Instant resultIssuedAt, Instant resultRecordedAt, Boolean onTime, boolean resultRecordedLate,
                          boolean lateNow, long workingMinutesUsed, int unmeasuredParts, int supplementRequests,
                          boolean repeatedSupplementRequest, int pausesPastReplyBy, int lateReports) {
    }

    public record Audit(String dossierId, Instant at, long lateReportThresholdMinutes, Verdict verdict,
                        List<Stage> stages, List<EventTimes> events) {
    }

    private DossierAudit() {
    }

    /** The longest prefix of the history on {@code clock} at or before {@code at} (events in sequence order). */
    public static List<RecordedEvent> prefix(List<RecordedEvent> history, Clock clock, Instant at) {
        int n = 0;
        while (n < history.size() && !(clock == Clock.RECORDED ? history.get(n).recordedAt()
                : history.get(n).event().occurredAt()).isAfter(at)) {
            n++;
        }
        return history.subList(0, n);
    }

    /** The state after these events, by the one fold. */
    public static DossierState fold(List<RecordedEvent> events) {
        DossierFold fold = new DossierFold();
        events.forEach(e -> fold.apply(e.event()));
        return fold.state();
    }

    /**
     * The working time used by {@code at}: what the events measured, plus, if its clock was running after the last of
     * them (received or at a unit), the working time from it to {@code at}; null when that cannot be measured.
     */
    public static Long workingMinutesUsedAt(DossierState state, Instant at, WorkingCalendar calendar) {
        long used = state.workingMinutesUsed();
        if (state.status() != null && Timeliness.CAN_BE_LATE.contains(state.status())
                && at.isAfter(state.lastOccurredAt())) {
            try {
                used += calendar.workingMinutesBetween(state.lastOccurredAt(), at);
            } catch (CalendarNotAvailableException outsideTheCalendar) {
                return null;
            }
        }
        return used;
    }

    /** The audit of a whole history, at {@code now}; a report is late when recorded over the threshold after it happened. */
    public static Audit audit(String dossierId, List<RecordedEvent> history, Instant now, WorkingCalendar calendar,
                              Duration lateReportThreshold) {
        long threshold = lateReportThreshold.toMinutes();
        ZoneId zone = calendar.settings().zone();
        DossierFold fold = new DossierFold();
        List<Stage> stages = new ArrayList<>();
        List<EventTimes> times = new ArrayList<>();
        StageBuilder current = null;
        long cumulative = 0;
        int unmeasured = 0;
        int pastReplyBy = 0;
        int lateReports = 0;
        Instant resultRecordedAt = null;
        boolean resultRecordedLate = false;
        for (RecordedEvent recorded : history) {
            DossierEvent event = recorded.event();
            DossierState before = fold.state();
            if (current != null) {
                current.add(event.workingMinutesInStage());
            }
            fold.apply(event);
            DossierState after = fold.state();
            boolean late = recorded.latenessMinutes() > threshold;
            lateReports += late ? 1 : 0;
            times.add(new EventTimes(recorded.sequenceNumber(), event.getClass().getSimpleName(), event.occurredAt(),
                    recorded.recordedAt(), recorded.latenessMinutes(), late));
            if (event instanceof ResultIssued issued) {
                resultRecordedAt = recorded.recordedAt();
                resultRecordedLate = Timeliness.resultRecordedLate(issued.onTime(),
                        issued.clock() == null ? null : issued.clock().statutoryDueAt(), recorded.recordedAt());
            }
            if (event instanceof DeadlineExtended extended && current != null) {
                // listed after the stage it was given in, with the counted working time up to it
                current.extensions.add(new Stage(StageKind.EXTENSION, current.unit, recorded.sequenceNumber(),
                        event.occurredAt(), event.occurredAt(), false, 0, 0, false,
                        cumulative + (current.counted ? current.minutes : 0), after.statutoryDueAt(), null,
                        extended.reason(), null, null, extended.previousDueAt(), after.dueAt()));
            }
            String key = stageKey(after, recorded.sequenceNumber(), current);
            if (current != null && !current.key.equals(key)) {
                // a supplement pause ends by a supplement, a stop or a withdrawal: after its reply-by date or not
                Boolean endedLate = current.kind == StageKind.SUPPLEMENT_PAUSE && current.replyBy != null
                        ? Timeliness.pastReplyBy(current.replyBy, event.occurredAt(), zone) : null;
                pastReplyBy += Boolean.TRUE.equals(endedLate) ? 1 : 0;
                if (current.counted) {
                    cumulative += current.minutes;
                    unmeasured += current.unmeasured;
                }
                stages.addAll(current.close(event.occurredAt(), false, cumulative, before.statutoryDueAt(), endedLate));
                current = null;
            }
            if (current == null && key != null) {
                current = new StageBuilder(key, kindOf(after), after.unit(), recorded.sequenceNumber(),
                        event.occurredAt());
                if (event instanceof SupplementRequested requested) {
                    current.reason = requested.reason();
                    current.replyBy = requested.replyBy();
                } else if (event instanceof PaymentRequested requested) {
                    current.reason = String.join("; ", requested.feeItems().stream().map(FeeItem::name).toList());
                }
            }
        }
        DossierState state = fold.state();
        if (current != null) {
            // the stage still open, measured up to now with today's calendar
            Long sinceLast;
            try {
                sinceLast = now.isAfter(state.lastOccurredAt())
                        ? calendar.workingMinutesBetween(state.lastOccurredAt(), now) : 0L;
            } catch (CalendarNotAvailableException outsideTheCalendar) {
                sinceLast = null;
            }
            current.add(sinceLast);
            if (current.counted) {
                cumulative += current.minutes;
                unmeasured += current.unmeasured;
            }
            Boolean waitingPast = current.kind == StageKind.SUPPLEMENT_PAUSE && current.replyBy != null
                    ? Timeliness.pastReplyBy(current.replyBy, now, zone) : null;
            pastReplyBy += Boolean.TRUE.equals(waitingPast) ? 1 : 0;
            stages.addAll(current.close(null, true, cumulative, state.statutoryDueAt(), waitingPast));
        }
        Verdict verdict = new Verdict(state.status(), state.statutoryDueAt(), state.dueAt(), state.extended(),
                state.resultIssuedAt(), resultRecordedAt, state.onTime(), resultRecordedLate,
                Timeliness.lateNow(state.status(), state.statutoryDueAt(), now), cumulative, unmeasured,
                state.supplementRequests(), state.supplementRequests() > 1, pastReplyBy, lateReports);
        return new Audit(dossierId, now, threshold, verdict, stages, times);
    }

    /** What stage a state is in: the same key while it stays there; null once closed. */
    private static String stageKey(DossierState state, long sequence, StageBuilder current) {
        DossierStatus status = state.status();
        if (status.isFinal()) {
            return null;
        }
        return switch (status) {
            case SUBMITTED -> "INTAKE";
            case RECEIVED -> "RECEIVED";
            case PROCESSING -> "UNIT:" + state.unit();
            case SUPPLEMENT_REQUESTED, PAYMENT_REQUESTED -> current != null && current.key.startsWith("PAUSE:")
                    && current.kind == kindOf(state) ? current.key : "PAUSE:" + sequence;
            case RESULT_READY -> "RESULT_READY";
            default -> null;
        };
    }

    private static StageKind kindOf(DossierState state) {
        return switch (state.status()) {
            case SUBMITTED -> StageKind.INTAKE;
            case RECEIVED -> StageKind.RECEIVED;
            case PROCESSING -> StageKind.UNIT;
            case SUPPLEMENT_REQUESTED -> StageKind.SUPPLEMENT_PAUSE;
            case PAYMENT_REQUESTED -> StageKind.PAYMENT_PAUSE;
            default -> StageKind.RESULT_READY;
        };
    }

    private static final class StageBuilder {
        final String key;
        final StageKind kind;
        final String unit;
        final long firstSequence;
        final Instant startedAt;
        final boolean counted;
        final List<Stage> extensions = new ArrayList<>();
        long minutes;
        int unmeasured;
        String reason;
        LocalDate replyBy;

        StageBuilder(String key, StageKind kind, String unit, long firstSequence, Instant startedAt) {
            this.key = key;
            this.kind = kind;
            this.unit = kind == StageKind.UNIT ? unit : null;
            this.firstSequence = firstSequence;
            this.startedAt = startedAt;
            this.counted = kind == StageKind.RECEIVED || kind == StageKind.UNIT;
        }

        void add(Long workingMinutes) {
            if (workingMinutes == null) {
                unmeasured++;
            } else {
                minutes += workingMinutes;
            }
        }

        /** The stage, then the extensions given in it. */
        List<Stage> close(Instant endedAt, boolean open, long cumulative, Instant statutoryDueAt, Boolean pastReplyBy) {
            Boolean byDue = !counted || statutoryDueAt == null || endedAt == null ? null
                    : !endedAt.isAfter(statutoryDueAt);
            List<Stage> closed = new ArrayList<>();
            closed.add(new Stage(kind, unit, firstSequence, startedAt, endedAt, open, minutes, unmeasured, counted,
                    cumulative, statutoryDueAt, byDue, reason, replyBy, pastReplyBy, null, null));
            closed.addAll(extensions);
            return closed;
        }
    }
}
