package vn.hoso.command.dossier;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import vn.hoso.events.Actor;
import vn.hoso.events.Applicant;
import vn.hoso.events.Channel;
import vn.hoso.events.CriterionScore;
import vn.hoso.events.DocumentRef;
import vn.hoso.events.DossierStatus;
import vn.hoso.events.FeeItem;
import vn.hoso.events.PaymentMethod;
import vn.hoso.events.RatingLevel;
import vn.hoso.events.ResultDecision;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The dossier commands, one per row of DOMAIN.md's table. Each carries who acts, when it happened as reported and,
 * optionally, the version the caller last saw ({@code expectedVersion}, from {@code If-Match}).
 */
public final class Commands {

    private Commands() {
    }

    /** What every dossier command carries. */
    public sealed interface DossierCommand permits SubmitDossier, ReceiveDossier, RefuseIntake, RequestSupplement,
            SupplementDossier, StartProcessing, TransferDossier, CompleteProcessingStep, RequestPayment, PayFee,
            ExtendDeadline, StopProcessing, IssueResult, ReturnResult, WithdrawDossier, RateDossier,
            ReportAgencyStatus, SkipSyncNumber {
        String dossierId();

        Actor actor();

        Instant occurredAt();

        Long expectedVersion();
    }

    public record SubmitDossier(@TargetAggregateIdentifier String dossierId, String procedureCode, String agencyCode,
                                String ownerId, Applicant applicant, Channel channel, List<DocumentRef> documents,
                                Actor actor, Instant occurredAt, Long expectedVersion) implements DossierCommand {
    }

    /**
     * A receipt; {@code dossierCode} is an agency system's own code, or null for the agency's next default one;
     * {@code lookupDigest} the digest of the lookup secret given with the receipt ({@link vn.hoso.lookup.LookupSecrets}).
     */
    public record ReceiveDossier(@TargetAggregateIdentifier String dossierId, String dossierCode, Actor actor,
                                 Instant occurredAt, Long expectedVersion, String lookupDigest)
            implements DossierCommand {
        /** A receipt that gives no lookup secret. */
        public ReceiveDossier(String dossierId, String dossierCode, Actor actor, Instant occurredAt,
                              Long expectedVersion) {
            this(dossierId, dossierCode, actor, occurredAt, expectedVersion, null);
        }
    }

    public record RefuseIntake(@TargetAggregateIdentifier String dossierId, List<String> reasons, Actor actor,
                               Instant occurredAt, Long expectedVersion) implements DossierCommand {
    }

    public record RequestSupplement(@TargetAggregateIdentifier String dossierId, List<String> missingItems,
                                    LocalDate replyBy, String reason, Actor actor, Instant occurredAt,
                                    Long expectedVersion) implements DossierCommand {
    }

    public record SupplementDossier(@TargetAggregateIdentifier String dossierId, List<DocumentRef> documents,
                                    Actor actor, Instant occurredAt, Long expectedVersion) implements DossierCommand {
    }

    public record StartProcessing(@TargetAggregateIdentifier String dossierId, String unit, Actor actor,
                                  Instant occurredAt, Long expectedVersion) implements DossierCommand {
    }

    public record TransferDossier(@TargetAggregateIdentifier String dossierId, String fromUnit, String toUnit,
                                  String note, Actor actor, Instant occurredAt, Long expectedVersion)
            implements DossierCommand {
    }

    public record CompleteProcessingStep(@TargetAggregateIdentifier String dossierId, String unit, String step,
                                         String note, Actor actor, Instant occurredAt, Long expectedVersion)
            implements DossierCommand {
    }

    public record RequestPayment(@TargetAggregateIdentifier String dossierId, List<FeeItem> feeItems, Actor actor,
                                 Instant occurredAt, Long expectedVersion) implements DossierCommand {
    }

    public record PayFee(@TargetAggregateIdentifier String dossierId, String paymentReference, PaymentMethod method,
                         long amount, Actor actor, Instant occurredAt, Long expectedVersion)
            implements DossierCommand {
    }

    public record ExtendDeadline(@TargetAggregateIdentifier String dossierId, String reason, Instant newDueAt,
                                 Actor actor, Instant occurredAt, Long expectedVersion) implements DossierCommand {
    }

    public record StopProcessing(@TargetAggregateIdentifier String dossierId, List<String> reasons, Actor actor,
                                 Instant occurredAt, Long expectedVersion) implements DossierCommand {
    }

    public record IssueResult(@TargetAggregateIdentifier String dossierId, ResultDecision decision,
                              List<DocumentRef> documents, String note, Actor actor, Instant occurredAt,
                              Long expectedVersion) implements DossierCommand {
    }

    public record ReturnResult(@TargetAggregateIdentifier String dossierId, Channel channel, Actor actor,
                               Instant occurredAt, Long expectedVersion) implements DossierCommand {
    }

    public record WithdrawDossier(@TargetAggregateIdentifier String dossierId, String reason, Actor actor,
                                  Instant occurredAt, Long expectedVersion) implements DossierCommand {
    }

    public record RateDossier(@TargetAggregateIdentifier String dossierId, String schemeId, int schemeVersion,
                              List<CriterionScore> criteria, RatingLevel level, String comment, Actor actor,
                              Instant occurredAt, Long expectedVersion) implements DossierCommand {
    }

    /**
     * An agency system reports, machine to machine, that the dossier reached one of the portal's ten states; the
     * dossier turns it into the command it stands for, given the state it is in.
     */
    /** An operator skips the agency report number a dossier waits for, with the reason. */
    public record SkipSyncNumber(@TargetAggregateIdentifier String dossierId, long sequence, String reason, Actor actor,
                                 Instant occurredAt, Long expectedVersion) implements DossierCommand {
    }

    /** An agency system's status report; {@code lookupDigest} as a receipt's, for a report of one (status 2). */
    public record ReportAgencyStatus(@TargetAggregateIdentifier String dossierId, DossierStatus reportedStatus,
                                     AgencyReport report, Actor actor, Instant occurredAt, Long expectedVersion,
                                     String lookupDigest)
            implements DossierCommand {
        public ReportAgencyStatus(String dossierId, DossierStatus reportedStatus, AgencyReport report, Actor actor,
                                  Instant occurredAt, Long expectedVersion) {
            this(dossierId, reportedStatus, report, actor, occurredAt, expectedVersion, null);
        }
    }

    /**
     * The details an agency report may carry; which are needed depends on the reported state. {@code sequence}, when
     * the agency system numbers its reports per dossier (1, 2, 3 ...), makes the dossier apply them in that order.
     */
    public record AgencyReport(String dossierCode, String unit, String fromUnit, String toUnit, String step,
                               String note, List<String> reasons, List<String> missingItems, LocalDate replyBy,
                               List<FeeItem> feeItems, String paymentReference, Long amount,
                               ResultDecision decision, List<DocumentRef> documents, Channel channel,
                               Long sequence) {
    }
}
