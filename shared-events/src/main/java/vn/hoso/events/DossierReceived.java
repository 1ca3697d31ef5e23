package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The one-stop desk received the dossier: it has its dossier code and its due dates, and is pinned to the
 * procedure rule version in force at receipt.
 *
 * @param lookupDigest the keyed, salted hash of the lookup secret given with the receipt
 *                     ({@link vn.hoso.lookup.LookupSecrets}; since revision 3, null before: no secret was given)
 */
@Revision("3")
public record DossierReceived(String dossierId, String dossierCode, String agencyCode, String procedureCode,
                              int procedureVersion, StatutoryTime statutoryTime, DossierClock clock,
                              Instant occurredAt, Actor actor, DossierStatus status,
                              Long workingMinutesInStage, Long syncSequence, String lookupDigest)
        implements DossierEvent {
    @JsonCreator
    public DossierReceived {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public DossierReceived(String dossierId, String dossierCode, String agencyCode, String procedureCode,
                              int procedureVersion, StatutoryTime statutoryTime, DossierClock clock,
                              Instant occurredAt, Actor actor, DossierStatus status) {
        this(dossierId, dossierCode, agencyCode, procedureCode, procedureVersion, statutoryTime, clock, occurredAt, actor, status, null, null, null);
    }

    /** As revision 2 had it: no lookup secret was given. */
    public DossierReceived(String dossierId, String dossierCode, String agencyCode, String procedureCode,
                           int procedureVersion, StatutoryTime statutoryTime, DossierClock clock, Instant occurredAt,
                           Actor actor, DossierStatus status, Long workingMinutesInStage, Long syncSequence) {
        this(dossierId, dossierCode, agencyCode, procedureCode, procedureVersion, statutoryTime, clock, occurredAt, actor, status, workingMinutesInStage, syncSequence, null);
    }

    /** The same receipt with this lookup digest. */
    public DossierReceived withLookupDigest(String digest) {
        return new DossierReceived(dossierId, dossierCode, agencyCode, procedureCode, procedureVersion, statutoryTime, clock, occurredAt, actor, status, workingMinutesInStage, syncSequence, digest);
    }

    @Override
    public DossierReceived measured(Long workingMinutesInStage, Long syncSequence) {
        return new DossierReceived(dossierId, dossierCode, agencyCode, procedureCode, procedureVersion, statutoryTime, clock, occurredAt, actor, status, workingMinutesInStage, syncSequence, lookupDigest);
    }
}
