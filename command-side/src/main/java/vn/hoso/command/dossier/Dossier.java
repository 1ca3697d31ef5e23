package vn.hoso.command.dossier;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import vn.hoso.access.AccessPolicy;
import vn.hoso.access.Caller;
import vn.hoso.access.Party;
import vn.hoso.calendar.CalendarNotAvailableException;
import vn.hoso.calendar.Timeliness;
import vn.hoso.calendar.WorkingCalendar;
import vn.hoso.command.dossier.Commands.*;
import vn.hoso.command.procedure.Procedure;
import vn.hoso.command.procedure.ProcedureCatalogue;
import vn.hoso.command.procedure.ProcedureVersion;
import vn.hoso.dossier.DossierFold;
import vn.hoso.events.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One administrative dossier, event-sourced. Command handlers check who acts and from which state (DOMAIN.md's
 * table, in {@link DossierAction}), compute the clock with the {@link WorkingCalendar} and apply one event; only the
 * event-sourcing handlers change state. A refused command throws {@link DossierRuleViolation} and appends nothing.
 * Each handler returns the dossier's version after the command: the sequence number of its last event.
 */
@Aggregate(cache = "dossierCache")
public class Dossier {

    /**
     * Command metadata of a numbered agency report: the report's sequence number, which the events the command
     * appends carry in their payload ({@link DossierEvent#syncSequence()}; in their metadata until revision 1).
     */
    public static final String SYNC_SEQUENCE = "syncSequence";
    /** Command metadata: the command's {@code occurredAt} was reported by the caller, not taken from the clock. */
    public static final String TIME_REPORTED = "timeReported";
    /**
     * Command metadata: the citizen-ID or tax-code claim of the caller, so that the dossier can tell its applicant
     * (who may see it) from a stranger (for whom it does not exist). Never copied into an event.
     */
    public static final String CALLER_APPLICANT_ID = "callerApplicantId";

    @AggregateIdentifier
    private String dossierId;
    /** The dossier's state: the one fold of its events, shared with the audit. */
    private final DossierFold fold = new DossierFold();
    private final Map<String, Idempotency.Processed> processedRequests = new HashMap<>();
    /** Of the command being handled (set by the interceptor below): whether its time was reported. */
    private transient boolean timeReported;
    /** The number of the agency report the command being handled comes from, if any: into its events. */
    private transient Long commandSyncSequence;
    /** Of the command being handled (set by the interceptor below): its caller's citizen-ID or tax-code claim. */
    private transient String callerApplicantId;

    protected Dossier() {
        // for Axon
    }

    // ---- commands ------------------------------------------------------------------------------------------------

    /**
     * First, a caller who may not see this dossier (nor address it: the payment platform paying, an operator
     * skipping a report number) is told what it would be told of an absent one, before anything else about it
     * (its state, its version, an earlier request). Then a request this dossier has already processed (same
     * idempotency key) is answered with its first outcome and appends nothing; the same key with a different
     * request is refused.
     */
    @CommandHandlerInterceptor
    Object replayProcessedRequest(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        timeReported = Boolean.parseBoolean(String.valueOf(command.getMetaData().get(TIME_REPORTED)));
        Object reportNumber = command.getMetaData().get(SYNC_SEQUENCE);
        commandSyncSequence = reportNumber == null ? null : Long.valueOf(reportNumber.toString());
        Object claim = command.getMetaData().get(CALLER_APPLICANT_ID);
        callerApplicantId = claim == null ? null : claim.toString();
        boolean sees = true;
        if (fold.status() != null && command.getPayload() instanceof DossierCommand addressed) {
            Caller caller = caller(addressed);
            Party party = partyAddressing(addressed);
            sees = AccessPolicy.maySee(caller, facts());
            // one who may address it without seeing it (the payment platform, an operator) learns nothing more of it
            // than that its own command was taken: not even that it exists, unless the command is its to give
            if (!AccessPolicy.mayAddress(caller, facts(), party) || !sees && !AccessPolicy.mayAct(caller, party,
                    facts(), addressed instanceof PayFee pay ? pay.method() : null)) {
                throw new AggregateNotFoundException(dossierId, "no dossier " + dossierId);
            }
        }
        if (!sees) {
            try {
                Object outcome = proceed(command, chain);
                return outcome instanceof CommandOutcome taken ? taken.blind() : outcome;
            } catch (DossierRuleViolation refused) {
                throw refused.withoutDetails();
            }
        }
        return proceed(command, chain);
    }

    private Object proceed(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        Object key = command.getMetaData().get(Idempotency.KEY);
        Idempotency.Processed processed = key == null ? null : processedRequests.get(key.toString());
        if (processed == null) {
            return chain.proceed();
        }
        if (!processed.fingerprint().equals(command.getMetaData().get(Idempotency.FINGERPRINT))) {
            throw new DossierRuleViolation(ErrorCode.IDEMPOTENCY_KEY_REUSED, fold.status(), "RETRY");
        }
        return new CommandOutcome(processed.version(), processed.dossierCode(), true);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public CommandOutcome handle(SubmitDossier command, ProcedureCatalogue catalogue, WorkingCalendar calendar) {
        if (fold.status() != null) {
            throw new DossierRuleViolation(ErrorCode.DOSSIER_EXISTS, fold.status(), DossierAction.SUBMIT.name());
        }
        Actor actor = command.actor();
        if (!AccessPolicy.maySubmit(caller(command), command.agencyCode())) {
            throw notAllowed(DossierAction.SUBMIT, actor);
        }
        boolean byOwner = actor.role().canOwnDossiers();
        boolean byAgency = !byOwner;
        if (byOwner && command.channel() != Channel.ONLINE || byAgency && command.channel() == Channel.ONLINE) {
            throw new RequestValidationException("channel", byOwner ? "channel.applicantOnline" : "channel.agencyDesk");
        }
        Procedure procedure = catalogue.find(command.procedureCode()).orElseThrow(
                () -> new DossierRuleViolation(ErrorCode.UNKNOWN_PROCEDURE, null, DossierAction.SUBMIT.name(),
                        command.procedureCode()));
        LocalDate submittedOn = command.occurredAt().atZone(calendar.settings().zone()).toLocalDate();
        ProcedureVersion version = procedure.versionInForce(submittedOn).orElseThrow(
                () -> new DossierRuleViolation(ErrorCode.PROCEDURE_NOT_IN_FORCE, null, DossierAction.SUBMIT.name(),
                        command.procedureCode(), submittedOn));
        String owner = byOwner ? actor.id() : command.ownerId();
        record(calendar, new DossierSubmitted(command.dossierId(), procedure.code(), procedure.name(), version.version(),
                command.agencyCode(), owner, command.applicant(), command.channel(), List.copyOf(command.documents()),
                version.feesDue(FeeDue.AT_SUBMISSION), command.occurredAt(), actor, DossierStatus.SUBMITTED));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(ReceiveDossier command, ProcedureCatalogue catalogue, WorkingCalendar calendar,
                                 DossierCodes codes) {
        check(DossierAction.RECEIVE, command);
        Instant at = occurredAt(command);
        LocalDate receivedOn = at.atZone(calendar.settings().zone()).toLocalDate();
        ProcedureVersion version = catalogue.find(fold.procedureCode()).flatMap(p -> p.versionInForce(receivedOn))
                .orElseThrow(() -> new DossierRuleViolation(ErrorCode.PROCEDURE_NOT_IN_FORCE, fold.status(),
                        DossierAction.RECEIVE.name(), fold.procedureCode(), receivedOn));
        StatutoryTime time = version.statutoryTime();
        Instant due = calendar.dueAt(at, time.amount(), time.unit());
        String code = reserveCode(codes, command.dossierCode(), receivedOn);
        record(calendar, new DossierReceived(dossierId, code, fold.agencyCode(), fold.procedureCode(), version.version(), time,
                new DossierClock(due, due, 0, 0, calendar.isProvisionalBetween(at, due)), at, command.actor(),
                DossierStatus.RECEIVED).withLookupDigest(command.lookupDigest()));
        return command.lookupDigest() == null ? outcome() : outcome().withLookupRecorded();
    }

    @CommandHandler
    public CommandOutcome handle(RefuseIntake command, WorkingCalendar calendar) {
        check(DossierAction.REFUSE_INTAKE, command);
        Instant at = occurredAt(command);
        record(calendar, new IntakeRefused(dossierId, List.copyOf(command.reasons()), at, command.actor(),
                DossierStatus.INTAKE_REFUSED));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(RequestSupplement command, WorkingCalendar calendar) {
        check(DossierAction.REQUEST_SUPPLEMENT, command);
        Instant at = occurredAt(command);
        if (command.replyBy().isBefore(at.atZone(calendar.settings().zone()).toLocalDate())) {
            throw new RequestValidationException("replyBy", "replyBy.beforeRequest");
        }
        if (!calendar.covers(command.replyBy())) {
            throw new RequestValidationException("replyBy", "replyBy.beyondCalendar");
        }
        record(calendar, new SupplementRequested(dossierId, List.copyOf(command.missingItems()), command.replyBy(),
                command.reason(), fold.status(), fold.clock(), at, command.actor(),
                DossierStatus.SUPPLEMENT_REQUESTED));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(SupplementDossier command, WorkingCalendar calendar) {
        check(DossierAction.SUPPLEMENT, command);
        Instant at = occurredAt(command);
        Pause pause = endPause(at, calendar);
        record(calendar, new DossierSupplemented(dossierId, List.copyOf(command.documents()), pause.minutes(), pause.days(),
                pause.clock(), at, command.actor(), fold.statusBeforePause()));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(StartProcessing command, WorkingCalendar calendar) {
        check(DossierAction.START_PROCESSING, command);
        Instant at = occurredAt(command);
        record(calendar, new ProcessingStarted(dossierId, command.unit(), at, command.actor(),
                DossierStatus.PROCESSING));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(TransferDossier command, WorkingCalendar calendar) {
        check(DossierAction.TRANSFER, command);
        Instant at = occurredAt(command);
        record(calendar, new DossierTransferred(dossierId, command.fromUnit(), command.toUnit(), command.note(),
                at, command.actor(), DossierStatus.PROCESSING));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(CompleteProcessingStep command, WorkingCalendar calendar) {
        check(DossierAction.COMPLETE_STEP, command);
        Instant at = occurredAt(command);
        record(calendar, new ProcessingStepCompleted(dossierId, command.unit(), command.step(), command.note(),
                at, command.actor(), DossierStatus.PROCESSING));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(RequestPayment command, WorkingCalendar calendar) {
        check(DossierAction.REQUEST_PAYMENT, command);
        Instant at = occurredAt(command);
        long requested = command.feeItems().stream().mapToLong(FeeItem::amount).sum();
        record(calendar, new PaymentRequested(dossierId, List.copyOf(command.feeItems()), requested,
                fold.amountOwed() - fold.amountPaid() + requested, fold.status(), fold.clock(), at, command.actor(),
                DossierStatus.PAYMENT_REQUESTED));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(PayFee command, WorkingCalendar calendar) {
        if (fold.status() != null && fold.payment(command.paymentReference()) != null) {
            checkParty(DossierAction.PAY_FEE, command);
            long recorded = fold.payment(command.paymentReference());
            if (recorded != command.amount()) {
                // a reference names one payment: the same one with another amount is a mistake, not a duplicate
                throw new DossierRuleViolation(ErrorCode.PAYMENT_REFERENCE_REUSED, fold.status(),
                        DossierAction.PAY_FEE.name(), command.amount(), recorded);
            }
            // the same payment reported twice is one payment
            return outcome();
        }
        check(DossierAction.PAY_FEE, command);
        Instant at = occurredAt(command);
        long outstanding = fold.amountOwed() - fold.amountPaid();
        if (outstanding <= 0) {
            throw new DossierRuleViolation(ErrorCode.NO_FEES_DUE, fold.status(), DossierAction.PAY_FEE.name());
        }
        if (command.amount() > outstanding) {
            throw new DossierRuleViolation(ErrorCode.PAYMENT_EXCEEDS_OUTSTANDING, fold.status(), DossierAction.PAY_FEE.name(),
                    command.amount(), outstanding);
        }
        long stillOwed = outstanding - command.amount();
        boolean resumes = fold.status() == DossierStatus.PAYMENT_REQUESTED && stillOwed == 0;
        Pause pause = resumes ? endPause(at, calendar) : new Pause(0, 0, fold.clock());
        record(calendar, new FeePaid(dossierId, command.paymentReference(), command.method(), command.amount(), stillOwed,
                resumes, pause.minutes(), pause.days(), pause.clock(), at, command.actor(),
                resumes ? fold.statusBeforePause() : fold.status()));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(ExtendDeadline command, WorkingCalendar calendar, TimeRules rules) {
        check(DossierAction.EXTEND_DEADLINE, command);
        Instant at = occurredAt(command);
        if (!command.newDueAt().isAfter(fold.clock().dueAt())) {
            throw new DossierRuleViolation(ErrorCode.DEADLINE_NOT_LATER, fold.status(), DossierAction.EXTEND_DEADLINE.name(),
                    command.newDueAt(), fold.clock().dueAt());
        }
        Instant horizon;
        try {
            horizon = calendar.addWorkingDays(fold.clock().dueAt(), rules.extensionHorizonWorkingDays());
        } catch (CalendarNotAvailableException beyondTheCalendar) {
            throw new RequestValidationException("newDueAt", "newDueAt.beyondCalendar",
                    rules.extensionHorizonWorkingDays());
        }
        if (command.newDueAt().isAfter(horizon)) {
            throw new RequestValidationException("newDueAt", "newDueAt.beyondHorizon",
                    rules.extensionHorizonWorkingDays(), horizon.toString());
        }
        record(calendar, new DeadlineExtended(dossierId, command.reason(), fold.clock().dueAt(),
                new DossierClock(command.newDueAt(), fold.clock().statutoryDueAt(), fold.clock().pausedWorkingMinutes(),
                        fold.clock().pausedWorkingDays(), fold.clock().provisional()
                        || calendar.isProvisionalBetween(fold.clock().dueAt(), command.newDueAt())),
                at, command.actor(), fold.status()));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(StopProcessing command, WorkingCalendar calendar) {
        check(DossierAction.STOP_PROCESSING, command);
        Instant at = occurredAt(command);
        record(calendar, new ProcessingStopped(dossierId, List.copyOf(command.reasons()), at, command.actor(),
                DossierStatus.STOPPED));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(IssueResult command, WorkingCalendar calendar) {
        check(DossierAction.ISSUE_RESULT, command);
        Instant at = occurredAt(command);
        boolean onTime = Timeliness.onTime(at, fold.clock().statutoryDueAt());
        record(calendar, new ResultIssued(dossierId, command.decision(), List.copyOf(command.documents()), command.note(),
                onTime, fold.clock(), at, command.actor(), DossierStatus.RESULT_READY));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(ReturnResult command, WorkingCalendar calendar) {
        check(DossierAction.RETURN_RESULT, command);
        Instant at = occurredAt(command);
        if (fold.amountOwed() > fold.amountPaid()) {
            throw new DossierRuleViolation(ErrorCode.FEES_OUTSTANDING, fold.status(), DossierAction.RETURN_RESULT.name(),
                    fold.amountOwed() - fold.amountPaid());
        }
        record(calendar, new ResultReturned(dossierId, command.channel(), at, command.actor(),
                DossierStatus.RESULT_RETURNED));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(WithdrawDossier command, WorkingCalendar calendar) {
        check(DossierAction.WITHDRAW, command);
        Instant at = occurredAt(command);
        record(calendar, new DossierWithdrawn(dossierId, command.reason(), fold.status(), at, command.actor(),
                DossierStatus.WITHDRAWN));
        return outcome();
    }

    @CommandHandler
    public CommandOutcome handle(RateDossier command, WorkingCalendar calendar) {
        check(DossierAction.RATE, command);
        Instant at = occurredAt(command);
        if (fold.rated()) {
            throw new DossierRuleViolation(ErrorCode.ALREADY_RATED, fold.status(), DossierAction.RATE.name());
        }
        int total = command.criteria().stream().mapToInt(CriterionScore::points).sum();
        int max = command.criteria().stream().mapToInt(CriterionScore::maxPoints).sum();
        record(calendar, new DossierRated(dossierId, command.schemeId(), command.schemeVersion(), List.copyOf(command.criteria()),
                total, max, command.level(), command.comment(), at, command.actor(), fold.status()));
        return outcome();
    }

    /**
     * An agency system's status report (the portal's ten codes), turned into the command it stands for in the
     * current state. A report that does not fit the state is refused by that command, naming the state.
     */
    @CommandHandler
    public CommandOutcome handle(ReportAgencyStatus command, ProcedureCatalogue catalogue, WorkingCalendar calendar,
                                 DossierCodes codes) {
        Actor actor = command.actor();
        if (!AccessPolicy.mayAct(caller(command), Party.AGENCY_SYSTEM, facts(), null)) {
            throw new DossierRuleViolation(ErrorCode.NOT_ALLOWED, fold.status(), "SYNC", actor.role(), "SYNC");
        }
        AgencyReport report = command.report();
        if (report.sequence() != null && report.sequence() != fold.lastSyncSequence() + 1) {
            throw new DossierRuleViolation(ErrorCode.SYNC_OUT_OF_ORDER, fold.status(), "SYNC", report.sequence(),
                    fold.lastSyncSequence() + 1);
        }
        long versionBefore = AggregateLifecycle.getVersion();
        CommandOutcome outcome = applyReport(command, catalogue, calendar, codes);
        if (report.sequence() != null && outcome.version() == versionBefore) {
            // the report changed nothing, but its number counts: recorded, so that the next number is expected
            record(calendar, new SyncReportRecorded(dossierId, report.sequence(), command.reportedStatus(),
                    occurredAt(command), actor, fold.status()));
            return outcome();
        }
        return outcome;
    }

    /**
     * An operator skips the report number the dossier is waiting for (one that will never come), with a reason: the
     * skip is an event, and the dossier then expects the number after it. Only the number expected next can be
     * skipped.
     */
    @CommandHandler
    public CommandOutcome handle(SkipSyncNumber command, WorkingCalendar calendar) {
        if (!AccessPolicy.mayAct(caller(command), Party.OPERATOR, facts(), null)) {
            throw new DossierRuleViolation(ErrorCode.NOT_ALLOWED, fold.status(), "SKIP_SYNC_NUMBER", command.actor().role(),
                    "SKIP_SYNC_NUMBER");
        }
        if (command.sequence() != fold.lastSyncSequence() + 1) {
            throw new DossierRuleViolation(ErrorCode.SYNC_OUT_OF_ORDER, fold.status(), "SKIP_SYNC_NUMBER", command.sequence(),
                    fold.lastSyncSequence() + 1);
        }
        record(calendar, new SyncNumberSkipped(dossierId, command.sequence(), command.reason(), occurredAt(command),
                command.actor(), fold.status()));
        return outcome();
    }

    private CommandOutcome applyReport(ReportAgencyStatus command, ProcedureCatalogue catalogue,
                                       WorkingCalendar calendar, DossierCodes codes) {
        Actor actor = command.actor();
        AgencyReport report = command.report();
        DossierStatus reported = command.reportedStatus();
        String id = command.dossierId();
        Instant at = command.occurredAt();
        Long expected = command.expectedVersion();
        if (reported == fold.statusBeforePause() && fold.status() == DossierStatus.SUPPLEMENT_REQUESTED) {
            return handle(new SupplementDossier(id, orEmpty(report.documents()), actor, at, expected), calendar);
        }
        if (reported == fold.statusBeforePause() && fold.status() == DossierStatus.PAYMENT_REQUESTED) {
            if (report.paymentReference() == null || report.amount() == null) {
                throw new RequestValidationException("paymentReference", "paymentReference.required");
            }
            return handle(new PayFee(id, report.paymentReference(), PaymentMethod.AT_DESK, report.amount(), actor, at,
                    expected), calendar);
        }
        return switch (reported) {
            case SUBMITTED -> throw new DossierRuleViolation(ErrorCode.DOSSIER_EXISTS, fold.status(), "SYNC");
            case RECEIVED -> handle(new ReceiveDossier(id, report.dossierCode(), actor, at, expected,
                    command.lookupDigest()), catalogue, calendar, codes);
            case INTAKE_REFUSED -> handle(new RefuseIntake(id, orEmpty(report.reasons()), actor, at, expected),
                    calendar);
            case PROCESSING -> report.toUnit() != null
                    ? handle(new TransferDossier(id, report.fromUnit(), report.toUnit(), report.note(), actor, at,
                    expected), calendar)
                    : report.step() != null
                    ? handle(new CompleteProcessingStep(id, report.unit(), report.step(), report.note(), actor, at,
                    expected), calendar)
                    : handle(new StartProcessing(id, report.unit(), actor, at, expected), calendar);
            case SUPPLEMENT_REQUESTED -> handle(new RequestSupplement(id, orEmpty(report.missingItems()),
                    report.replyBy(), report.note(), actor, at, expected), calendar);
            case PAYMENT_REQUESTED -> handle(new RequestPayment(id, orEmpty(report.feeItems()), actor, at, expected),
                    calendar);
            case WITHDRAWN -> throw new DossierRuleViolation(ErrorCode.NOT_ALLOWED, fold.status(),
                    DossierAction.WITHDRAW.name(), actor.role(), DossierAction.WITHDRAW.name());
            case STOPPED -> handle(new StopProcessing(id, orEmpty(report.reasons()), actor, at, expected), calendar);
            case RESULT_READY -> handle(new IssueResult(id, report.decision(), orEmpty(report.documents()),
                    report.note(), actor, at, expected), calendar);
            case RESULT_RETURNED -> handle(new ReturnResult(id, report.channel(), actor, at, expected), calendar);
        };
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** The command metadata that marks its {@code occurredAt} as reported by the caller (or none). */
    public static Map<String, Object> timeReportedIf(boolean reported) {
        return reported ? Map.of(TIME_REPORTED, true) : Map.of();
    }

    // ---- rules ---------------------------------------------------------------------------------------------------

    /** Party first, then the caller's version, then the state: the order a caller can act on. */
    private void check(DossierAction action, DossierCommand command) {
        checkParty(action, command);
        Long expected = command.expectedVersion();
        Long current = AggregateLifecycle.getVersion();
        if (expected != null && !expected.equals(current)) {
            throw new DossierRuleViolation(ErrorCode.CONCURRENT_MODIFICATION, fold.status(), action.name(), expected, current);
        }
        if (!action.allowedIn(fold.status())) {
            throw new DossierRuleViolation(ErrorCode.ILLEGAL_TRANSITION, fold.status(), action.name(), action.name(), fold.status());
        }
    }

    private void checkParty(DossierAction action, DossierCommand command) {
        PaymentMethod method = command instanceof PayFee pay ? pay.method() : null;
        if (!AccessPolicy.mayAct(caller(command), action.party(), facts(), method)) {
            throw notAllowed(action, command.actor());
        }
    }

    /** The caller of a command: the actor it names, with the ID claim its request carried (see the interceptor). */
    private Caller caller(DossierCommand command) {
        Actor actor = command.actor();
        return new Caller(actor.role(), actor.id(), actor.agencyCode(), callerApplicantId);
    }

    private AccessPolicy.DossierFacts facts() {
        return new AccessPolicy.DossierFacts(fold.agencyCode(), fold.ownerId(),
                claim -> fold.applicantIdNumber() != null && fold.applicantIdNumber().equals(claim));
    }

    private static Party partyAddressing(DossierCommand command) {
        if (command instanceof PayFee) {
            return Party.PAYMENT;
        }
        if (command instanceof SkipSyncNumber) {
            return Party.OPERATOR;
        }
        return command instanceof ReportAgencyStatus ? Party.AGENCY_SYSTEM : Party.OWNER_OR_AGENCY;
    }

    /**
     * Reserves the receipt's code (the agency system's own, or the agency's next default one of the day of receipt) once
     * the dossier has accepted the receipt, so that a refused receipt reserves nothing. The reservation follows the
     * unit of work: confirmed after the receipt's event is stored, released when it is not (a collision, whose retry
     * reserves again). A release that cannot reach the store leaves the reservation unconfirmed: it is settled against
     * the dossier's events once stale ({@link DossierCodeRegistry}).
     */
    private String reserveCode(DossierCodes codes, String ownCode, LocalDate receivedOn) {
        DossierCodeRegistry.Reservation reservation = ownCode != null ? codes.reserveOwn(ownCode, dossierId)
                : codes.reserveNext(fold.agencyCode(), receivedOn, dossierId);
        if (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> work = CurrentUnitOfWork.get();
            work.afterCommit(u -> settle(() -> codes.confirm(reservation), "confirm", reservation));
            work.onRollback(u -> settle(() -> codes.release(reservation), "release", reservation));
        }
        return reservation.code();
    }

    private static void settle(Runnable action, String what, DossierCodeRegistry.Reservation reservation) {
        try {
            action.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Dossier.class).warn("could not {} the reservation of dossier code {} for"
                    + " dossier {} ({}): it stays unconfirmed and is settled against the dossier's events once stale",
                    what, reservation.code(), reservation.dossierId(), e.toString());
        }
    }

    private DossierRuleViolation notAllowed(DossierAction action, Actor actor) {
        return new DossierRuleViolation(ErrorCode.NOT_ALLOWED, fold.status(), action.name(), actor.role(), action.name());
    }

    /**
     * When the command's action happened. A reported time (an officer or agency system reporting late) is never
     * before the dossier's previous event; a time taken from the clock is the later of now and the previous event, so
     * that a node whose clock runs behind never refuses anyone.
     */
    private Instant occurredAt(DossierCommand command) {
        Instant at = command.occurredAt();
        if (fold.lastOccurredAt() == null || !at.isBefore(fold.lastOccurredAt())) {
            return at;
        }
        if (timeReported) {
            throw new RequestValidationException("occurredAt", "occurredAt.beforePrevious", fold.lastOccurredAt().toString());
        }
        return fold.lastOccurredAt();
    }

    /**
     * Ends the current pause by the remaining-time rule: each due date becomes now plus the working time that was
     * left until it when the pause began ({@link WorkingCalendar#resumeDue}).
     */
    private Pause endPause(Instant resumedAt, WorkingCalendar calendar) {
        if (fold.clock() == null || fold.pausedAt() == null || fold.resultIssued()) {
            return new Pause(0, 0, fold.clock());
        }
        long minutes = calendar.workingMinutesBetween(fold.pausedAt(), resumedAt);
        int days = calendar.workingDaysBetween(fold.pausedAt(), resumedAt);
        ProcessingTimeUnit unit = fold.statutoryTime().unit();
        Instant due = calendar.resumeDue(fold.clock().dueAt(), fold.pausedAt(), resumedAt, unit);
        Instant statutory = calendar.resumeDue(fold.clock().statutoryDueAt(), fold.pausedAt(), resumedAt, unit);
        DossierClock resumed = new DossierClock(due, statutory, fold.clock().pausedWorkingMinutes() + minutes,
                fold.clock().pausedWorkingDays() + days,
                calendar.isProvisionalBetween(fold.pausedAt(), due.isAfter(statutory) ? due : statutory));
        return new Pause(minutes, days, resumed);
    }

    private record Pause(long minutes, int days, DossierClock clock) {
    }

    /**
     * Applies an event with the facts the dossier measures as it records it, in its payload: the working time it
     * closes, measured now with the calendar in force ({@code workingMinutesInStage}: since the previous event;
     * {@code workingMinutesToResult} on a result: from receipt, pauses excluded), so that read models never recompute
     * history from a calendar that may change, and the number of the agency report that produced it.
     */
    private void record(WorkingCalendar calendar, DossierEvent event) {
        Long inStage = null;
        Long toResult = null;
        try {
            if (fold.lastOccurredAt() != null) {
                inStage = calendar.workingMinutesBetween(fold.lastOccurredAt(), event.occurredAt());
            }
            if (event instanceof ResultIssued issued && fold.receivedAt() != null && fold.clock() != null) {
                toResult = Math.max(0,
                        calendar.workingMinutesBetween(fold.receivedAt(), issued.occurredAt()) - fold.clock().pausedWorkingMinutes());
            }
        } catch (CalendarNotAvailableException outsideTheCalendar) {
            // a date the calendar has no data for: the event goes without the measurement, never without the event
        }
        DossierEvent measured = event.measured(inStage, commandSyncSequence);
        if (measured instanceof ResultIssued issued) {
            measured = issued.withWorkingMinutesToResult(toResult);
        }
        apply(measured);
    }

    private CommandOutcome outcome() {
        return new CommandOutcome(AggregateLifecycle.getVersion(), fold.dossierCode(), false);
    }

    // ---- state ---------------------------------------------------------------------------------------------------

    /** Every event is folded into the dossier's state ({@link DossierFold}: the audit's definition too). */
    @EventSourcingHandler
    void on(DossierEvent event, MetaData metaData, @SequenceNumber long sequenceNumber) {
        fold.apply(event);
        if (event instanceof DossierSubmitted submitted) {
            dossierId = submitted.dossierId();
        }
        Object key = metaData.get(Idempotency.KEY);
        if (key != null) {
            processedRequests.put(key.toString(),
                    new Idempotency.Processed(String.valueOf(metaData.get(Idempotency.FINGERPRINT)), sequenceNumber,
                            fold.dossierCode()));
        }
    }
}
