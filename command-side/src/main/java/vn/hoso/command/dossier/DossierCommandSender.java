package vn.hoso.command.dossier;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import vn.hoso.command.dossier.Commands.DossierCommand;
import vn.hoso.command.identity.Callers;
import vn.hoso.command.store.CommandExecution;
import vn.hoso.web.RequestCorrelation;

import java.util.HashMap;
import java.util.Map;

/**
 * Sends dossier commands with their metadata (request id, idempotency key and fingerprint, the caller's ID claim),
 * taken on the request's thread, to be run within their time by {@link CommandExecution}. (A receipt's dossier code is
 * reserved by the dossier itself, once it accepts the receipt.)
 */
@Component
public class DossierCommandSender {

    private static final Logger log = LoggerFactory.getLogger(DossierCommandSender.class);

    private final CommandExecution commands;
    private final Callers callers;

    public DossierCommandSender(CommandExecution commands, Callers callers) {
        this.commands = commands;
        this.callers = callers;
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
}
