package vn.hoso.command.dossier;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import vn.hoso.calendar.WorkingCalendar;
import vn.hoso.command.dossier.Commands.DossierCommand;
import vn.hoso.command.identity.Callers;
import vn.hoso.command.store.CommandExecution;
import vn.hoso.command.store.CommandNotAnswered;
import vn.hoso.web.RequestCorrelation;
import vn.hoso.events.Actor;
import vn.hoso.events.DossierEvent;
import vn.hoso.events.DossierSubmitted;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Sends dossier commands with their metadata (request id, idempotency key and fingerprint) and issues dossier codes
 * around a receipt: reserve first, then append, then confirm; release the code when the dossier refuses or when the
 * answer replays an earlier receipt.
 */
@Component
public class DossierCommandSender {

    private static final Logger log = LoggerFactory.getLogger(DossierCommandSender.class);

    private final CommandExecution commands;
    private final DossierCodeRegistry codes;
    private final WorkingCalendar calendar;
    private final Callers callers;
    private final EventStore events;

    public DossierCommandSender(CommandExecution commands, DossierCodeRegistry codes, WorkingCalendar calendar,
                                Callers callers, EventStore events) {
        this.commands = commands;
        this.codes = codes;
        this.calendar = calendar;
        this.callers = callers;
        this.events = events;
    }

    /** An idempotent request: its key and the fingerprint of what it asks; {@link #NONE} without a key. */
    public record Retry(String key, String fingerprint) {
        public static final Retry NONE = new Retry(null, null);
    }

    public CommandOutcome send(DossierCommand command, Retry retry) {
        return send(command, retry, Map.of());
    }

    /** Sends with extra metadata that the dossier keeps in the events the command appends. */
    public CommandOutcome send(DossierCommand command, Retry retry, Map<String, ?> extraMetaData) {
        Map<String, Object> metaData = metaData(retry, extraMetaData);
        return commands.call(() -> dispatch(command, metaData));
    }

    /** The command's metadata, taken on the request's thread (its request id, its caller). */
    private Map<String, Object> metaData(Retry retry, Map<String, ?> extraMetaData) {
        Map<String, Object> metaData = new HashMap<>(extraMetaData);
        String requestId = MDC.get(RequestCorrelation.REQUEST_ID);
        if (requestId != null) {
            metaData.put(RequestCorrelation.REQUEST_ID, requestId);
        }
        String applicantId = callers.current().applicantId();
        if (applicantId != null) {
            metaData.put(Dossier.CALLER_APPLICANT_ID, applicantId);
        }
        if (retry.key() != null) {
            metaData.put(Idempotency.KEY, retry.key());
            metaData.put(Idempotency.FINGERPRINT, retry.fingerprint());
        }
        return metaData;
    }

    /** On a command worker: the command, retried if its failure was transient. */
    private CommandOutcome dispatch(DossierCommand command, Map<String, Object> metaData) {
        CommandOutcome outcome = commands.dispatch(
                GenericCommandMessage.asCommandMessage(command).andMetaData(MetaData.from(metaData)));
        log.info("{} on dossier {} by {} {} -> version {}{}", command.getClass().getSimpleName(), command.dossierId(),
                command.actor().role(), command.actor().id(), outcome.version(), outcome.replayed() ? " (replayed)" : "");
        return outcome;
    }

    /**
     * Sends a command that receives the dossier: reserves {@code ownCode} (an agency system's own code) or the
     * agency's next default code first.
     */
    public CommandOutcome sendReceipt(String dossierId, Actor actor, Instant occurredAt, String ownCode,
                                      Function<String, DossierCommand> commandWithCode, Retry retry,
                                      Map<String, ?> extraMetaData) {
        if (!actor.role().actsForAgency()) {
            // refuse before a code is reserved; the dossier would refuse it too
            throw new DossierRuleViolation(ErrorCode.NOT_ALLOWED, null, DossierAction.RECEIVE.name(), actor.role(),
                    DossierAction.RECEIVE.name());
        }
        Map<String, Object> metaData = metaData(retry, extraMetaData);
        // all of it on a command worker, within the command's time: the reads and the code's reservation too
        return commands.call(() -> receive(dossierId, actor, occurredAt, ownCode, commandWithCode, metaData));
    }

    private CommandOutcome receive(String dossierId, Actor actor, Instant occurredAt, String ownCode,
                                   Function<String, DossierCommand> commandWithCode, Map<String, Object> metaData) {
        // who may not see the dossier learns nothing, not even whether a code it names is taken: asked first
        var history = events.readEvents(dossierId).asStream().toList();
        if (history.isEmpty() || !(history.get(0).getPayload() instanceof DossierSubmitted submitted)
                || !java.util.Objects.equals(submitted.agencyCode(), actor.agencyCode())) {
            throw new DossierCommandController.DossierNotFoundException(dossierId);
        }
        if (history.get(history.size() - 1).getPayload() instanceof DossierEvent last
                && !DossierAction.RECEIVE.allowedIn(last.status())) {
            // a receipt its dossier will refuse (or answer from an earlier request with the same key): no code is
            // reserved and released for it, so that a refusal costs what an acceptance costs; a receipt sent without
            // a code is refused by the dossier whatever its state by then (ReceiveDossier without a code)
            return dispatch(commandWithCode.apply(null), metaData);
        }
        DossierCodeRegistry.Reservation reservation = ownCode != null
                ? codes.reserveOwn(ownCode, dossierId)
                : codes.reserveNext(actor.agencyCode(), occurredAt.atZone(calendar.settings().zone()).toLocalDate(),
                dossierId);
        CommandOutcome outcome;
        try {
            outcome = dispatch(commandWithCode.apply(reservation.code()), metaData);
        } catch (CommandNotAnswered e) {
            if (!e.mayHaveBeenApplied()) {
                codes.release(reservation);
            }
            // else the receipt may still land with this code: the reservation stays, unconfirmed, and is resolved
            // against the dossier's events once it is stale
            throw e;
        } catch (RuntimeException e) {
            codes.release(reservation);
            throw e;
        }
        if (reservation.code().equals(outcome.dossierCode())) {
            codes.confirm(reservation);
        } else {
            codes.release(reservation);
        }
        return outcome;
    }
}
