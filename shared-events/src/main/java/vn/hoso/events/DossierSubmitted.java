package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * A dossier was submitted: online by its owner, or at the desk / by post registered by the agency for the applicant.
 *
 * @param ownerId          the account that owns the dossier (may act as owner); null when the agency registered a
 *                         dossier for an applicant without a portal account
 * @param procedureVersion the catalogue version in force at submission (the dossier is pinned at receipt)
 * @param feesDueAtSubmission fees of that version due with the submission
 */
@Revision("2")
public record DossierSubmitted(String dossierId, String procedureCode, String procedureName, int procedureVersion,
                               String agencyCode, String ownerId, Applicant applicant, Channel channel,
                               List<DocumentRef> documents, List<FeeItem> feesDueAtSubmission, Instant occurredAt,
                               Actor actor, DossierStatus status,
                               Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public DossierSubmitted {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public DossierSubmitted(String dossierId, String procedureCode, String procedureName, int procedureVersion,
                               String agencyCode, String ownerId, Applicant applicant, Channel channel,
                               List<DocumentRef> documents, List<FeeItem> feesDueAtSubmission, Instant occurredAt,
                               Actor actor, DossierStatus status) {
        this(dossierId, procedureCode, procedureName, procedureVersion, agencyCode, ownerId, applicant, channel, documents, feesDueAtSubmission, occurredAt, actor, status, null, null);
    }

    @Override
    public DossierSubmitted measured(Long workingMinutesInStage, Long syncSequence) {
        return new DossierSubmitted(dossierId, procedureCode, procedureName, procedureVersion, agencyCode, ownerId, applicant, channel, documents, feesDueAtSubmission, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
