package vn.hoso.command.dossier;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import vn.hoso.command.calendar.WorkingCalendar;
import vn.hoso.command.dossier.Commands.*;
import vn.hoso.command.procedure.Procedure;
import vn.hoso.command.procedure.ProcedureCatalogue;
import vn.hoso.command.procedure.ProcedureVersion;
import vn.hoso.events.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One administrative dossier, event-sourced. Command handlers check who acts and from which state (DOMAIN.md's
 * table, in {@link DossierAction}), compute the clock with the {@link WorkingCalendar} and apply one event; only the
 * event-sourcing handlers change state. A refused command throws {@link DossierRuleViolation} and appends nothing.
 * Each handler returns the dossier's version after the command: the sequence number of its last event.
 */
@Aggregate
public class Dossier {

    @AggregateIdentifier
    private String dossierId;
    private DossierStatus status;
    private DossierStatus statusBeforePause;
    private String ownerId;
    private String agencyCode;
    private String procedureCode;
    private StatutoryTime statutoryTime;
    private DossierClock clock;
    private Instant pausedAt;
    private boolean resultIssued;
    private boolean rated;
    private long amountOwed;
    private long amountPaid;
    private final Set<String> paymentReferences = new HashSet<>();

    protected Dossier() {
        // for Axon
    }

    // ---- commands ------------------------------------------------------------------------------------------------

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public long handle(SubmitDossier command, ProcedureCatalogue catalogue, WorkingCalendar calendar) {
        if (status != null) {
            throw new DossierRuleViolation(ErrorCode.DOSSIER_EXISTS, status, DossierAction.SUBMIT.name());
        }
        Actor actor = command.actor();
        boolean byOwner = actor.role().canOwnDossiers();
        boolean byAgency = actor.role().actsForAgency() && Objects.equals(actor.agencyCode(), command.agencyCode());
        if (!byOwner && !byAgency) {
            throw notAllowed(DossierAction.SUBMIT, actor);
        }
        if (byOwner && command.channel() != Channel.ONLINE || byAgency && command.channel() == Channel.ONLINE) {
            throw new RequestValidationException("channel", byOwner
                    ? "an applicant submits online; desk and post submissions are registered by the agency"
                    : "an agency registers desk or post submissions; online ones come from the applicant");
        }
        Procedure procedure = catalogue.find(command.procedureCode()).orElseThrow(
                () -> new DossierRuleViolation(ErrorCode.UNKNOWN_PROCEDURE, null, DossierAction.SUBMIT.name(),
                        command.procedureCode()));
        LocalDate submittedOn = command.occurredAt().atZone(calendar.settings().zone()).toLocalDate();
        ProcedureVersion version = procedure.versionInForce(submittedOn).orElseThrow(
                () -> new DossierRuleViolation(ErrorCode.PROCEDURE_NOT_IN_FORCE, null, DossierAction.SUBMIT.name(),
                        command.procedureCode(), submittedOn));
        String owner = byOwner ? actor.id() : command.ownerId();
        apply(new DossierSubmitted(command.dossierId(), procedure.code(), procedure.name(), version.version(),
                command.agencyCode(), owner, command.applicant(), command.channel(), List.copyOf(command.documents()),
                version.feesDue(FeeDue.AT_SUBMISSION), command.occurredAt(), actor, DossierStatus.SUBMITTED));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(ReceiveDossier command, ProcedureCatalogue catalogue, WorkingCalendar calendar) {
        check(DossierAction.RECEIVE, command);
        LocalDate receivedOn = command.occurredAt().atZone(calendar.settings().zone()).toLocalDate();
        ProcedureVersion version = catalogue.find(procedureCode).flatMap(p -> p.versionInForce(receivedOn))
                .orElseThrow(() -> new DossierRuleViolation(ErrorCode.PROCEDURE_NOT_IN_FORCE, status,
                        DossierAction.RECEIVE.name(), procedureCode, receivedOn));
        StatutoryTime time = version.statutoryTime();
        Instant due = calendar.dueAt(command.occurredAt(), time.amount(), time.unit());
        apply(new DossierReceived(dossierId, command.dossierCode(), agencyCode, procedureCode, version.version(), time,
                new DossierClock(due, due, 0, 0), command.occurredAt(), command.actor(), DossierStatus.RECEIVED));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(RefuseIntake command) {
        check(DossierAction.REFUSE_INTAKE, command);
        apply(new IntakeRefused(dossierId, List.copyOf(command.reasons()), command.occurredAt(), command.actor(),
                DossierStatus.INTAKE_REFUSED));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(RequestSupplement command) {
        check(DossierAction.REQUEST_SUPPLEMENT, command);
        apply(new SupplementRequested(dossierId, List.copyOf(command.missingItems()), command.replyBy(),
                command.reason(), status, clock, command.occurredAt(), command.actor(),
                DossierStatus.SUPPLEMENT_REQUESTED));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(SupplementDossier command, WorkingCalendar calendar) {
        check(DossierAction.SUPPLEMENT, command);
        Pause pause = endPause(command.occurredAt(), calendar);
        apply(new DossierSupplemented(dossierId, List.copyOf(command.documents()), pause.minutes(), pause.days(),
                pause.clock(), command.occurredAt(), command.actor(), statusBeforePause));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(StartProcessing command) {
        check(DossierAction.START_PROCESSING, command);
        apply(new ProcessingStarted(dossierId, command.unit(), command.occurredAt(), command.actor(),
                DossierStatus.PROCESSING));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(TransferDossier command) {
        check(DossierAction.TRANSFER, command);
        apply(new DossierTransferred(dossierId, command.fromUnit(), command.toUnit(), command.note(),
                command.occurredAt(), command.actor(), DossierStatus.PROCESSING));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(CompleteProcessingStep command) {
        check(DossierAction.COMPLETE_STEP, command);
        apply(new ProcessingStepCompleted(dossierId, command.unit(), command.step(), command.note(),
                command.occurredAt(), command.actor(), DossierStatus.PROCESSING));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(RequestPayment command) {
        check(DossierAction.REQUEST_PAYMENT, command);
        long requested = command.feeItems().stream().mapToLong(FeeItem::amount).sum();
        apply(new PaymentRequested(dossierId, List.copyOf(command.feeItems()), requested,
                amountOwed - amountPaid + requested, status, clock, command.occurredAt(), command.actor(),
                DossierStatus.PAYMENT_REQUESTED));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(PayFee command, WorkingCalendar calendar) {
        if (status != null && paymentReferences.contains(command.paymentReference())) {
            checkParty(DossierAction.PAY_FEE, command);
            // the same payment reference paid twice is one payment
            return AggregateLifecycle.getVersion();
        }
        check(DossierAction.PAY_FEE, command);
        long outstanding = amountOwed - amountPaid;
        if (outstanding <= 0) {
            throw new DossierRuleViolation(ErrorCode.NO_FEES_DUE, status, DossierAction.PAY_FEE.name());
        }
        if (command.amount() > outstanding) {
            throw new DossierRuleViolation(ErrorCode.PAYMENT_EXCEEDS_OUTSTANDING, status, DossierAction.PAY_FEE.name(),
                    command.amount(), outstanding);
        }
        long stillOwed = outstanding - command.amount();
        boolean resumes = status == DossierStatus.PAYMENT_REQUESTED && stillOwed == 0;
        Pause pause = resumes ? endPause(command.occurredAt(), calendar) : new Pause(0, 0, clock);
        apply(new FeePaid(dossierId, command.paymentReference(), command.method(), command.amount(), stillOwed,
                resumes, pause.minutes(), pause.days(), pause.clock(), command.occurredAt(), command.actor(),
                resumes ? statusBeforePause : status));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(ExtendDeadline command) {
        check(DossierAction.EXTEND_DEADLINE, command);
        if (!command.newDueAt().isAfter(clock.dueAt())) {
            throw new DossierRuleViolation(ErrorCode.DEADLINE_NOT_LATER, status, DossierAction.EXTEND_DEADLINE.name(),
                    command.newDueAt(), clock.dueAt());
        }
        apply(new DeadlineExtended(dossierId, command.reason(), clock.dueAt(),
                new DossierClock(command.newDueAt(), clock.statutoryDueAt(), clock.pausedWorkingMinutes(),
                        clock.pausedWorkingDays()),
                command.occurredAt(), command.actor(), status));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(StopProcessing command) {
        check(DossierAction.STOP_PROCESSING, command);
        apply(new ProcessingStopped(dossierId, List.copyOf(command.reasons()), command.occurredAt(), command.actor(),
                DossierStatus.STOPPED));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(IssueResult command) {
        check(DossierAction.ISSUE_RESULT, command);
        boolean onTime = !command.occurredAt().isAfter(clock.statutoryDueAt());
        apply(new ResultIssued(dossierId, command.decision(), List.copyOf(command.documents()), command.note(),
                onTime, clock, command.occurredAt(), command.actor(), DossierStatus.RESULT_READY));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(ReturnResult command) {
        check(DossierAction.RETURN_RESULT, command);
        if (amountOwed > amountPaid) {
            throw new DossierRuleViolation(ErrorCode.FEES_OUTSTANDING, status, DossierAction.RETURN_RESULT.name(),
                    amountOwed - amountPaid);
        }
        apply(new ResultReturned(dossierId, command.channel(), command.occurredAt(), command.actor(),
                DossierStatus.RESULT_RETURNED));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(WithdrawDossier command) {
        check(DossierAction.WITHDRAW, command);
        apply(new DossierWithdrawn(dossierId, command.reason(), status, command.occurredAt(), command.actor(),
                DossierStatus.WITHDRAWN));
        return AggregateLifecycle.getVersion();
    }

    @CommandHandler
    public long handle(RateDossier command) {
        check(DossierAction.RATE, command);
        if (rated) {
            throw new DossierRuleViolation(ErrorCode.ALREADY_RATED, status, DossierAction.RATE.name());
        }
        int total = command.criteria().stream().mapToInt(CriterionScore::points).sum();
        int max = command.criteria().stream().mapToInt(CriterionScore::maxPoints).sum();
        apply(new DossierRated(dossierId, command.schemeId(), command.schemeVersion(), List.copyOf(command.criteria()),
                total, max, command.level(), command.comment(), command.occurredAt(), command.actor(), status));
        return AggregateLifecycle.getVersion();
    }

    // ---- rules ---------------------------------------------------------------------------------------------------

    /** Party first, then the caller's version, then the state: the order a caller can act on. */
    private void check(DossierAction action, DossierCommand command) {
        checkParty(action, command);
        Long expected = command.expectedVersion();
        Long current = AggregateLifecycle.getVersion();
        if (expected != null && !expected.equals(current)) {
            throw new DossierRuleViolation(ErrorCode.CONCURRENT_MODIFICATION, status, action.name(), expected, current);
        }
        if (!action.allowedIn(status)) {
            throw new DossierRuleViolation(ErrorCode.ILLEGAL_TRANSITION, status, action.name(), action.name(), status);
        }
    }

    private void checkParty(DossierAction action, DossierCommand command) {
        Actor actor = command.actor();
        boolean owner = ownerId != null && actor.role().canOwnDossiers() && ownerId.equals(actor.id());
        boolean agency = actor.role().actsForAgency() && agencyCode.equals(actor.agencyCode());
        boolean allowed = switch (action.party()) {
            case OWNER -> owner;
            case AGENCY -> agency;
            case OWNER_OR_AGENCY -> owner || agency;
            case PAYMENT -> command instanceof PayFee pay
                    && (owner && pay.method() == PaymentMethod.ONLINE || agency && pay.method() == PaymentMethod.AT_DESK);
        };
        if (!allowed) {
            throw notAllowed(action, actor);
        }
    }

    private DossierRuleViolation notAllowed(DossierAction action, Actor actor) {
        return new DossierRuleViolation(ErrorCode.NOT_ALLOWED, status, action.name(), actor.role(), action.name());
    }

    /** Ends the current pause: the working time between the request and now moves both due dates. */
    private Pause endPause(Instant resumedAt, WorkingCalendar calendar) {
        if (clock == null || pausedAt == null || resultIssued) {
            return new Pause(0, 0, clock);
        }
        long minutes = calendar.workingMinutesBetween(pausedAt, resumedAt);
        int days = calendar.workingDaysBetween(pausedAt, resumedAt);
        ProcessingTimeUnit unit = statutoryTime.unit();
        DossierClock resumed = new DossierClock(
                calendar.shiftForPause(clock.dueAt(), pausedAt, resumedAt, unit),
                calendar.shiftForPause(clock.statutoryDueAt(), pausedAt, resumedAt, unit),
                clock.pausedWorkingMinutes() + minutes,
                clock.pausedWorkingDays() + days);
        return new Pause(minutes, days, resumed);
    }

    private record Pause(long minutes, int days, DossierClock clock) {
    }

    // ---- state ---------------------------------------------------------------------------------------------------

    @EventSourcingHandler
    void on(DossierSubmitted event) {
        dossierId = event.dossierId();
        status = event.status();
        ownerId = event.ownerId();
        agencyCode = event.agencyCode();
        procedureCode = event.procedureCode();
        amountOwed = event.feesDueAtSubmission().stream().mapToLong(FeeItem::amount).sum();
    }

    @EventSourcingHandler
    void on(DossierReceived event) {
        status = event.status();
        statutoryTime = event.statutoryTime();
        clock = event.clock();
    }

    @EventSourcingHandler
    void on(SupplementRequested event) {
        statusBeforePause = event.previousStatus();
        status = event.status();
        pausedAt = event.occurredAt();
    }

    @EventSourcingHandler
    void on(DossierSupplemented event) {
        status = event.status();
        clock = event.clock();
        pausedAt = null;
        statusBeforePause = null;
    }

    @EventSourcingHandler
    void on(PaymentRequested event) {
        statusBeforePause = event.previousStatus();
        status = event.status();
        pausedAt = event.occurredAt();
        amountOwed += event.amountRequested();
    }

    @EventSourcingHandler
    void on(FeePaid event) {
        paymentReferences.add(event.paymentReference());
        amountPaid += event.amount();
        status = event.status();
        clock = event.clock();
        if (event.resumed()) {
            pausedAt = null;
            statusBeforePause = null;
        }
    }

    @EventSourcingHandler
    void on(DeadlineExtended event) {
        clock = event.clock();
    }

    @EventSourcingHandler
    void on(ResultIssued event) {
        status = event.status();
        resultIssued = true;
    }

    @EventSourcingHandler
    void on(DossierRated event) {
        rated = true;
    }

    @EventSourcingHandler
    void on(IntakeRefused event) {
        status = event.status();
    }

    @EventSourcingHandler
    void on(ProcessingStarted event) {
        status = event.status();
    }

    @EventSourcingHandler
    void on(ProcessingStopped event) {
        status = event.status();
    }

    @EventSourcingHandler
    void on(ResultReturned event) {
        status = event.status();
    }

    @EventSourcingHandler
    void on(DossierWithdrawn event) {
        status = event.status();
    }
}
