package vn.hoso.command.audit;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.access.AccessPolicy;
import vn.hoso.access.Caller;
import vn.hoso.calendar.Timeliness;
import vn.hoso.calendar.WorkingCalendar;
import vn.hoso.command.dossier.DossierHistories;
import vn.hoso.command.dossier.DossierRuleViolation;
import vn.hoso.command.dossier.ErrorCode;
import vn.hoso.command.dossier.RequestValidationException;
import vn.hoso.command.dossier.TimeRules;
import vn.hoso.command.identity.Callers;
import vn.hoso.dossier.DossierState;
import vn.hoso.events.DossierEvent;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;
import vn.hoso.eventstore.SealedLog;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The inspectors' audit of one dossier, next to its raw history ({@code /events}), from the event store only:
 * {@code GET /api/v1/dossiers/{id}/state?at=&clock=} (its state at a moment, now by default, with the last folded event's inclusion
 * proof in the sealed log) and {@code GET /api/v1/dossiers/{id}/audit} (its stages, late reports and verdict now).
 * Inspectors only; for whoever may not see the dossier it does not exist.
 */
@RestController
@RequestMapping(path = "/api/v1/dossiers", produces = MediaType.APPLICATION_JSON_VALUE)
public class DossierAuditController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DossierAuditController.class);

    private final DossierHistories histories;
    private final PositionedMongoEventStorageEngine storage;
    private final Callers callers;
    private final SealedLog sealedLog;
    private final WorkingCalendar calendar;
    private final Clock clock;
    private final TimeRules rules;

    public DossierAuditController(DossierHistories histories, EventStorageEngine storage, Callers callers,
                                  SealedLog sealedLog, WorkingCalendar calendar, Clock clock, TimeRules rules) {
        this.histories = histories;
        this.storage = (PositionedMongoEventStorageEngine) storage;
        this.callers = callers;
        this.sealedLog = sealedLog;
        this.calendar = calendar;
        this.clock = clock;
        this.rules = rules;
    }

    /**
     * How the last folded event is proven: {@code PROVEN} (its leaf, with an RFC 9162 inclusion proof in the tree of
     * the latest signed checkpoint, given), {@code NOT_YET_SEALED} or {@code NOT_YET_CHECKPOINTED} (within seconds;
     * ask again), {@code LOG_DAMAGED} (the sealed log cannot be read: a verification says where).
     */
    public enum ProofStatus {
        PROVEN, NOT_YET_SEALED, NOT_YET_CHECKPOINTED, LOG_DAMAGED
    }

    public record Proof(ProofStatus status, Long leafIndex, Long treeSize, String leafHash, List<String> inclusionProof,
                        String checkpoint) {
    }

    /** The last event folded into the state: as stored, and its proof. */
    public record LastEvent(long sequenceNumber, String type, Long position, Instant recordedAt, Instant reportedAt,
                            String hash, Proof proof) {
    }

    /**
     * A dossier at a moment. {@code existed}: false when the moment is before its first event on that clock (then no
     * state). {@code workingMinutesUsed} and {@code lateNow}: as of the moment itself.
     */
    public record StateAt(String dossierId, Instant at, DossierAudit.Clock clock, boolean existed,
                          Instant firstEventAt, DossierState state, Long workingMinutesUsed, boolean lateNow,
                          long eventsFolded, long eventsAfter, LastEvent lastEvent) {
    }

    @GetMapping("/{dossierId}/state")
    public StateAt stateAt(@PathVariable String dossierId, @RequestParam(required = false) String at,
                           @RequestParam(defaultValue = "RECORDED") String clock) {
        Instant moment = at == null ? this.clock.instant() : moment(at);
        DossierAudit.Clock on = clockNamed(clock);
        List<DossierAudit.RecordedEvent> history = history(dossierId);
        List<DossierAudit.RecordedEvent> prefix = DossierAudit.prefix(history, on, moment);
        DossierAudit.RecordedEvent first = history.get(0);
        Instant firstAt = on == DossierAudit.Clock.RECORDED ? first.recordedAt() : first.event().occurredAt();
        if (prefix.isEmpty()) {
            return new StateAt(dossierId, moment, on, false, firstAt, null, null, false, 0, history.size(), null);
        }
        DossierState state = DossierAudit.fold(prefix);
        DossierAudit.RecordedEvent last = prefix.get(prefix.size() - 1);
        return new StateAt(dossierId, moment, on, true, firstAt, state,
                DossierAudit.workingMinutesUsedAt(state, moment, calendar),
                Timeliness.lateNow(state.status(), state.statutoryDueAt(), moment), prefix.size(),
                history.size() - prefix.size(), lastEvent(dossierId, last));
    }

    @GetMapping("/{dossierId}/audit")
    public DossierAudit.Audit audit(@PathVariable String dossierId) {
        return DossierAudit.audit(dossierId, history(dossierId), clock.instant(), calendar,
                rules.lateReportThreshold());
    }

    /** The dossier's stored history, once the caller is known to be an inspector (else 404 or 403). */
    private List<DossierAudit.RecordedEvent> history(String dossierId) {
        Caller caller = callers.current();
        List<? extends DomainEventMessage<?>> events = histories.visibleTo(caller, dossierId);
        if (!AccessPolicy.mayAudit(caller)) {
            throw new DossierRuleViolation(ErrorCode.NOT_ALLOWED, null, "AUDIT", caller.role(), "AUDIT");
        }
        return events.stream().filter(e -> e.getPayload() instanceof DossierEvent)
                .map(e -> new DossierAudit.RecordedEvent(e.getSequenceNumber(), (DossierEvent) e.getPayload(),
                        e.getTimestamp()))
                .toList();
    }

    private LastEvent lastEvent(String dossierId, DossierAudit.RecordedEvent last) {
        PositionedMongoEventStorageEngine.StoredEvent stored = storage.storedEvent(dossierId, last.sequenceNumber());
        return new LastEvent(last.sequenceNumber(), last.event().getClass().getSimpleName(),
                stored == null ? null : stored.position(), last.recordedAt(), last.event().occurredAt(),
                stored == null ? null : stored.hash(), stored == null ? null : proof(dossierId, last, stored));
    }

    private Proof proof(String dossierId, DossierAudit.RecordedEvent last,
                        PositionedMongoEventStorageEngine.StoredEvent stored) {
        try {
            SealedLog.Seal seal = sealedLog.sealAt(stored.position())
                    .filter(s -> s.dossier().equals(dossierId) && s.sequence() == last.sequenceNumber()).orElse(null);
            if (seal == null) {
                return new Proof(ProofStatus.NOT_YET_SEALED, null, null, null, null, null);
            }
            SealedLog.StoredCheckpoint checkpoint = sealedLog.latestCheckpoint().orElse(null);
            if (checkpoint == null || seal.leaf() >= checkpoint.size()) {
                return new Proof(ProofStatus.NOT_YET_CHECKPOINTED, seal.leaf(), null, null, null, null);
            }
            Base64.Encoder base64 = Base64.getEncoder();
            return new Proof(ProofStatus.PROVEN, seal.leaf(), checkpoint.size(),
                    base64.encodeToString(sealedLog.leafHashAt(seal.leaf())),
                    sealedLog.inclusionProof(seal.leaf(), checkpoint.size()).stream().map(base64::encodeToString)
                            .toList(), checkpoint.cosignedNote());
        } catch (SealedLog.DamagedLogException damaged) {
            log.error("the sealed log could not prove dossier {}'s event {}: {}", dossierId, last.sequenceNumber(),
                    damaged.getMessage());
            return new Proof(ProofStatus.LOG_DAMAGED, null, null, null, null, null);
        }
    }

    private Instant moment(String at) {
        Instant moment;
        try {
            moment = at.length() > 40 ? null : OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeParseException malformed) {
            moment = null;
        }
        if (moment == null) {
            throw new RequestValidationException("at", "at.malformed");
        }
        if (moment.isAfter(clock.instant())) {
            throw new RequestValidationException("at", "at.future");
        }
        return moment;
    }

    private static DossierAudit.Clock clockNamed(String name) {
        try {
            return DossierAudit.Clock.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new RequestValidationException("clock", "clock.unknown");
        }
    }

}
