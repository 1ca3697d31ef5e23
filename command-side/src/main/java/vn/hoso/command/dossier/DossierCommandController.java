package vn.hoso.command.dossier;

import jakarta.validation.Valid;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.lookup.LookupSecrets;
import vn.hoso.command.dossier.Commands.*;
import vn.hoso.command.dossier.DossierRequests.*;
import vn.hoso.access.Caller;
import vn.hoso.command.identity.Callers;
import vn.hoso.command.dossier.DossierCommandSender.Retry;
import vn.hoso.events.*;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The HTTP command API: one endpoint per command of DOMAIN.md's table. Every answer carries the dossier id and its
 * version (the sequence number of its last event), also as {@code ETag}; a request with an {@code If-Match} that is
 * no longer current is refused with 409 and appends nothing.
 */
@RestController
@RequestMapping(path = "/api/v1/dossiers", produces = MediaType.APPLICATION_JSON_VALUE)
public class DossierCommandController {

    private static final Pattern DOSSIER_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern VERSION = Pattern.compile("(?:W/)?\"?(\\d{1,18})\"?");

    private final DossierCommandSender sender;
    private final Callers callers;
    private final CommandRequestValidator validator;
    private final LookupSecrets lookupSecrets;

    public DossierCommandController(DossierCommandSender sender, Callers callers,
                                    CommandRequestValidator validator, LookupSecrets lookupSecrets) {
        this.sender = sender;
        this.callers = callers;
        this.validator = validator;
        this.lookupSecrets = lookupSecrets;
    }

    /**
     * The answer to every command. {@code lookupSecret}: only in the answer to the receipt that issued it, once (the
     * applicant's receipt prints it beside the code; only its digest is kept, so it is never shown again, not even to
     * a replayed request).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record CommandResult(String dossierId, Long version, String dossierCode, String lookupSecret) {
        public CommandResult(String dossierId, Long version, String dossierCode) {
            this(dossierId, version, dossierCode, null);
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> submit(@Valid @RequestBody SubmitBody body,
                                                @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        Actor actor = callers.current().actor();
        Retry retry = retry(key, "SUBMIT", actor, body);
        validator.checkApplicant(body.applicant());
        Channel channel = body.channel() != null ? body.channel()
                : actor.role().actsForAgency() ? Channel.DESK : Channel.ONLINE;
        if (body.ownerId() != null && !actor.role().actsForAgency()) {
            throw new RequestValidationException("ownerId", "ownerId.agencyOnly");
        }
        if (body.ownerId() != null && !Caller.isAccountId(body.ownerId())) {
            // an owner is an account id; a citizen ID or an e-mail address there would be stored and shown
            throw new RequestValidationException("ownerId", "ownerId.format");
        }
        Instant occurredAt = validator.occurredAt(actor, body.occurredAt());
        String dossierId = retry.key() != null ? Idempotency.dossierIdFor(actor, retry.key())
                : UUID.randomUUID().toString();
        Applicant applicant = new Applicant(body.applicant().kind(), body.applicant().idNumber(),
                body.applicant().fullName(), body.applicant().phone(), body.applicant().email(),
                body.applicant().address());
        CommandOutcome outcome = sender.send(new SubmitDossier(dossierId, body.procedureCode(), body.agencyCode(),
                body.ownerId(), applicant, channel, documents(body.documents()), actor, occurredAt, null), retry);
        return answer(ResponseEntity.created(URI.create("/api/v1/dossiers/" + dossierId)), dossierId, outcome);
    }

    @PostMapping(path = "/{dossierId}/receipt", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> receive(@PathVariable String dossierId, @Valid @RequestBody ReceiveBody body,
                                                 @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                 @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        checkId(dossierId);
        Actor actor = callers.current().actor();
        if (!actor.role().actsForAgency()) {
            // only an agency receives: anyone else is refused whatever the dossier, even one that does not exist
            throw new DossierRuleViolation(ErrorCode.NOT_ALLOWED, null, DossierAction.RECEIVE.name(), actor.role(),
                    DossierAction.RECEIVE.name());
        }
        Retry retry = retry(key, "RECEIVE", actor, body);
        Instant occurredAt = validator.occurredAt(actor, body.occurredAt());
        Long expected = expectedVersion(ifMatch);
        LookupSecrets.Issued secret = lookupSecrets.issue();
        CommandOutcome outcome = sender.send(new ReceiveDossier(dossierId, body.dossierCode(), actor, occurredAt,
                expected, secret.digest()), retry, Dossier.timeReportedIf(body.occurredAt() != null));
        return answer(ResponseEntity.ok(), dossierId, outcome, secret);
    }

    @PostMapping(path = "/{dossierId}/intake-refusal", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> refuseIntake(@PathVariable String dossierId, @Valid @RequestBody ReasonsBody body,
                                                      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                      @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new RefuseIntake(dossierId, body.reasons(), c.actor(), c.occurredAt(), c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/supplement-requests", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> requestSupplement(@PathVariable String dossierId,
                                                           @Valid @RequestBody SupplementRequestBody body,
                                                           @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                           @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new RequestSupplement(dossierId, body.missingItems(), body.replyBy(), body.reason(), c.actor(),
                        c.occurredAt(), c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/supplements", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> supplement(@PathVariable String dossierId, @Valid @RequestBody DocumentsBody body,
                                                    @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                    @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new SupplementDossier(dossierId, documents(body.documents()), c.actor(), c.occurredAt(),
                        c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/processing", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> startProcessing(@PathVariable String dossierId, @Valid @RequestBody UnitBody body,
                                                         @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                         @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new StartProcessing(dossierId, body.unit(), c.actor(), c.occurredAt(), c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/transfers", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> transfer(@PathVariable String dossierId, @Valid @RequestBody TransferBody body,
                                                  @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                  @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new TransferDossier(dossierId, body.fromUnit(), body.toUnit(), body.note(), c.actor(),
                        c.occurredAt(), c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/steps", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> completeStep(@PathVariable String dossierId, @Valid @RequestBody StepBody body,
                                                      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                      @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new CompleteProcessingStep(dossierId, body.unit(), body.step(), body.note(), c.actor(),
                        c.occurredAt(), c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/payment-requests", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> requestPayment(@PathVariable String dossierId,
                                                        @Valid @RequestBody PaymentRequestBody body,
                                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                        @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        List<FeeItem> items = body.feeItems().stream()
                .map(f -> new FeeItem(f.code(), f.name(), f.amount(), FeeDue.ON_REQUEST)).toList();
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new RequestPayment(dossierId, items, c.actor(), c.occurredAt(), c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/payments", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> pay(@PathVariable String dossierId, @Valid @RequestBody PaymentBody body,
                                             @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                             @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new PayFee(dossierId, body.paymentReference(), body.method(), body.amount(), c.actor(),
                        c.occurredAt(), c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/deadline-extensions", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> extendDeadline(@PathVariable String dossierId,
                                                        @Valid @RequestBody ExtensionBody body,
                                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                        @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new ExtendDeadline(dossierId, body.reason(), body.newDueAt(), c.actor(), c.occurredAt(),
                        c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/stop", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> stop(@PathVariable String dossierId, @Valid @RequestBody ReasonsBody body,
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                              @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new StopProcessing(dossierId, body.reasons(), c.actor(), c.occurredAt(), c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/result", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> issueResult(@PathVariable String dossierId, @Valid @RequestBody ResultBody body,
                                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                     @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new IssueResult(dossierId, body.decision(), documents(body.documents()), body.note(), c.actor(),
                        c.occurredAt(), c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/result-return", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> returnResult(@PathVariable String dossierId, @Valid @RequestBody ReturnBody body,
                                                      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                      @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new ReturnResult(dossierId, body.channel(), c.actor(), c.occurredAt(), c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/withdrawal", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> withdraw(@PathVariable String dossierId, @Valid @RequestBody WithdrawBody body,
                                                  @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                  @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new WithdrawDossier(dossierId, body.reason(), c.actor(), c.occurredAt(), c.expectedVersion()));
    }

    @PostMapping(path = "/{dossierId}/rating", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CommandResult> rate(@PathVariable String dossierId, @Valid @RequestBody RatingBody body,
                                              @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                              @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        RatingScheme scheme = RatingScheme.PROVINCIAL_9X2;
        validator.checkRating(body, scheme);
        List<CriterionScore> scores = scheme.criteria().stream()
                .map(c -> new CriterionScore(c, body.criteria().get(c), scheme.maxPointsPerCriterion())).toList();
        return dispatch(dossierId, body, ifMatch, key, body.occurredAt(),
                c -> new RateDossier(dossierId, scheme.id(), scheme.version(), scores, body.level(), body.comment(),
                        c.actor(), c.occurredAt(), c.expectedVersion()));
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    private record CommandContext(Actor actor, Instant occurredAt, Long expectedVersion) {
    }

    private ResponseEntity<CommandResult> dispatch(String dossierId, Object body, String ifMatch, String key,
                                                   Instant reportedAt,
                                                   Function<CommandContext, DossierCommand> command) {
        checkId(dossierId);
        Actor actor = callers.current().actor();
        Long expected = expectedVersion(ifMatch);
        Instant occurredAt = validator.occurredAt(actor, reportedAt);
        DossierCommand built = command.apply(new CommandContext(actor, occurredAt, expected));
        Retry retry = retry(key, built.getClass().getSimpleName(), actor, body);
        return answer(ResponseEntity.ok(), dossierId,
                sender.send(built, retry, Dossier.timeReportedIf(reportedAt != null)));
    }

    public static Retry retry(String header, String action, Actor actor, Object body) {
        String key = Idempotency.key(header);
        return key == null ? Retry.NONE : new Retry(key, Idempotency.fingerprint(action, actor, body));
    }

    public static ResponseEntity<CommandResult> answer(ResponseEntity.BodyBuilder response, String dossierId,
                                                CommandOutcome outcome) {
        return answer(response, dossierId, outcome, null);
    }

    /**
     * The answer, with the lookup secret a receipt issued, only when this command recorded the receipt with its digest:
     * not to a replay (the receipt kept the digest of the secret its first request issued, not this one's), not when a
     * report of status 2 became another command (a supplement or a payment of a dossier paused while received), nor to
     * a caller who may not see the dossier.
     */
    public static ResponseEntity<CommandResult> answer(ResponseEntity.BodyBuilder response, String dossierId,
                                                CommandOutcome outcome, LookupSecrets.Issued issued) {
        if (outcome.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        if (outcome.version() < 0) {
            // a caller who may not see the dossier (the payment platform, an operator): taken, nothing more
            return response.body(new CommandResult(dossierId, null, null));
        }
        return response.eTag(etag(outcome.version()))
                .body(new CommandResult(dossierId, outcome.version(), outcome.dossierCode(),
                        issued != null && outcome.lookupRecorded() && !outcome.replayed() ? issued.secret() : null));
    }

    private static void checkId(String dossierId) {
        if (!DOSSIER_ID.matcher(dossierId).matches()) {
            throw new DossierNotFoundException(dossierId);
        }
    }

    public static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        var matcher = VERSION.matcher(ifMatch.trim());
        if (!matcher.matches()) {
            throw new RequestValidationException(HttpHeaders.IF_MATCH, "ifMatch.format");
        }
        return Long.parseLong(matcher.group(1));
    }

    private static String etag(long version) {
        return "\"" + version + "\"";
    }

    private static List<DocumentRef> documents(List<DocumentBody> documents) {
        return documents.stream().map(d -> new DocumentRef(d.name(), d.kind(), d.contentHash(), d.sizeBytes())).toList();
    }

    /** No dossier has this id. */
    public static class DossierNotFoundException extends RuntimeException {
        public DossierNotFoundException(String dossierId) {
            super("no dossier " + dossierId);
        }
    }
}
