package vn.hoso.command.sync;

import vn.hoso.lookup.LookupSecrets;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.command.dossier.CommandOutcome;
import vn.hoso.command.dossier.Commands.AgencyReport;
import vn.hoso.command.dossier.Commands.ReportAgencyStatus;
import vn.hoso.command.dossier.Commands.SkipSyncNumber;
import vn.hoso.command.dossier.CommandRequestValidator;
import vn.hoso.command.dossier.DossierCommandController;
import vn.hoso.command.dossier.DossierCommandController.CommandResult;
import vn.hoso.command.dossier.Dossier;
import vn.hoso.command.dossier.DossierCommandSender;
import vn.hoso.command.dossier.DossierCommandSender.Retry;
import vn.hoso.command.dossier.DossierRequests.DocumentBody;
import vn.hoso.command.dossier.DossierRequests.FeeItemBody;
import vn.hoso.command.dossier.Idempotency;
import vn.hoso.command.dossier.RequestValidationException;
import vn.hoso.command.dossier.RequestValidationException.Fault;
import vn.hoso.command.identity.Callers;
import vn.hoso.events.Actor;
import vn.hoso.events.Channel;
import vn.hoso.events.DocumentRef;
import vn.hoso.events.DossierStatus;
import vn.hoso.events.FeeDue;
import vn.hoso.events.FeeItem;
import vn.hoso.events.ResultDecision;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code POST /api/v1/sync/dossiers/{id}/status}: an agency system reports that a dossier reached one of the ten
 * states. The message id is the report's idempotency key: a repeated message changes nothing and gets the original
 * answer; the same id with other content is refused. A report that does not fit the dossier's state gets a problem
 * document naming that state (the system retries it once the earlier reports are in). A system that numbers its
 * reports per dossier ({@code sequence}: 1, 2, 3 ...) has them applied in exactly that order: a report that arrives
 * before its predecessor is refused ({@code SYNC_OUT_OF_ORDER}, with the sequence expected). New desk submissions are
 * registered with {@code POST /api/v1/dossiers} and the message id as {@code Idempotency-Key}.
 */
@RestController
@RequestMapping(path = "/api/v1/sync/dossiers", produces = MediaType.APPLICATION_JSON_VALUE)
public class AgencySyncController {

    private final DossierCommandSender sender;
    private final Callers callers;
    private final CommandRequestValidator validator;
    private final LookupSecrets lookupSecrets;

    public AgencySyncController(DossierCommandSender sender, Callers callers,
                                CommandRequestValidator validator, LookupSecrets lookupSecrets) {
        this.sender = sender;
        this.callers = callers;
        this.validator = validator;
        this.lookupSecrets = lookupSecrets;
    }

    /** One status report; which details are needed depends on {@code statusCode}. */
    public record StatusReport(@NotBlank @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9._:\\-]+") String messageId,
                               @NotNull @Min(1) @Max(10) Integer statusCode,
                               Instant occurredAt,
                               @Size(min = 1, max = 60) @Pattern(regexp = "[A-Za-z0-9.\\-_/]+") String dossierCode,
                               @Size(max = 200) String unit,
                               @Size(max = 200) String fromUnit,
                               @Size(max = 200) String toUnit,
                               @Size(max = 200) String step,
                               @Size(max = 2000) String note,
                               @Size(max = 20) List<@NotBlank @Size(max = 1000) String> reasons,
                               @Size(max = 50) List<@NotBlank @Size(max = 500) String> missingItems,
                               LocalDate replyBy,
                               @Size(max = 20) List<@NotNull @Valid FeeItemBody> feeItems,
                               @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._:\\-]+") String paymentReference,
                               @Positive Long amount,
                               ResultDecision decision,
                               @Size(max = 100) List<@NotNull @Valid DocumentBody> documents,
                               Channel channel,
                               @Positive Long sequence) {
    }

    @PostMapping(path = "/{dossierId}/status", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> report(@PathVariable String dossierId, @Valid @RequestBody StatusReport body,
                                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Actor actor = callers.current().actor();
        DossierStatus reported = DossierStatus.ofCode(body.statusCode()).orElseThrow();
        checkDetails(reported, body);
        Instant occurredAt = validator.occurredAt(actor, body.occurredAt());
        Long expected = DossierCommandController.expectedVersion(ifMatch);
        // the message id was checked as messageId (its pattern and length): a refusal never names a header the
        // agency system did not send
        Retry retry = new Retry("sync:" + body.messageId(),
                Idempotency.fingerprint("SYNC", actor, body));
        Map<String, Object> sequence = new HashMap<>(Dossier.timeReportedIf(body.occurredAt() != null));
        if (body.sequence() != null) {
            sequence.put(Dossier.SYNC_SEQUENCE, body.sequence());
        }
        // a receipt (status 2) issues the dossier's lookup secret, answered once, as the desk's receipt does
        LookupSecrets.Issued secret = reported == DossierStatus.RECEIVED ? lookupSecrets.issue() : null;
        CommandOutcome outcome = sender.send(command(dossierId, reported, body, body.dossierCode(), actor, occurredAt,
                expected, secret == null ? null : secret.digest()), retry, sequence);
        return DossierCommandController.answer(ResponseEntity.ok(), dossierId, outcome, secret);
    }

    /** An operator's skip of the report number a dossier waits for. */
    public record SkipBody(@NotNull @Positive Long sequence, @NotBlank @Size(max = 1000) String reason) {
    }

    /**
     * {@code POST /api/v1/sync/dossiers/{id}/skipped-numbers}: an operator skips the report number the dossier waits
     * for (a report the agency system will never send), with the reason; the skip is an event in the dossier's history
     * and the dossier then expects the number after it. Only the number expected next can be skipped.
     */
    @PostMapping(path = "/{dossierId}/skipped-numbers", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> skip(@PathVariable String dossierId, @Valid @RequestBody SkipBody body,
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                              @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Actor actor = callers.current().actor();
        Retry retry = DossierCommandController.retry(key, "SKIP_SYNC_NUMBER", actor, body);
        CommandOutcome outcome = sender.send(new SkipSyncNumber(dossierId, body.sequence(), body.reason(), actor,
                validator.occurredAt(actor, null), DossierCommandController.expectedVersion(ifMatch)), retry);
        return DossierCommandController.answer(ResponseEntity.ok(), dossierId, outcome);
    }

    private static ReportAgencyStatus command(String dossierId, DossierStatus reported, StatusReport body, String code,
                                              Actor actor, Instant occurredAt, Long expected, String lookupDigest) {
        List<FeeItem> fees = body.feeItems() == null ? null : body.feeItems().stream()
                .map(f -> new FeeItem(f.code(), f.name(), f.amount(), FeeDue.ON_REQUEST)).toList();
        List<DocumentRef> documents = body.documents() == null ? null : body.documents().stream()
                .map(d -> new DocumentRef(d.name(), d.kind(), d.contentHash(), d.sizeBytes())).toList();
        AgencyReport report = new AgencyReport(code, body.unit(), body.fromUnit(), body.toUnit(), body.step(),
                body.note(), body.reasons(), body.missingItems(), body.replyBy(), fees, body.paymentReference(),
                body.amount(), body.decision(), documents, body.channel(), body.sequence());
        return new ReportAgencyStatus(dossierId, reported, report, actor, occurredAt, expected, lookupDigest);
    }

    /** The details each reported state needs, all checked before anything is sent. */
    private static void checkDetails(DossierStatus reported, StatusReport body) {
        List<Fault> problems = new ArrayList<>();
        int code = reported.code();
        switch (reported) {
            case INTAKE_REFUSED, STOPPED -> require(problems, body.reasons() != null && !body.reasons().isEmpty(),
                    "reasons", code);
            case PROCESSING -> {
                require(problems, body.unit() != null || body.toUnit() != null, "unit", code);
                require(problems, body.toUnit() == null || body.fromUnit() != null, "fromUnit", code);
            }
            case SUPPLEMENT_REQUESTED -> {
                require(problems, body.missingItems() != null && !body.missingItems().isEmpty(), "missingItems", code);
                require(problems, body.replyBy() != null, "replyBy", code);
            }
            case PAYMENT_REQUESTED -> require(problems, body.feeItems() != null && !body.feeItems().isEmpty(),
                    "feeItems", code);
            case RESULT_READY -> require(problems, body.decision() != null, "decision", code);
            case RESULT_RETURNED -> require(problems, body.channel() != null, "channel", code);
            default -> {
            }
        }
        if (!problems.isEmpty()) {
            throw new RequestValidationException(problems);
        }
    }

    private static void require(List<Fault> problems, boolean present, String field, int statusCode) {
        if (!present) {
            problems.add(new Fault(field, "sync.required", statusCode));
        }
    }
}
