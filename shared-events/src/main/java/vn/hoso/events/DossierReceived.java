package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The one-stop desk received the dossier: it has its dossier code and its due dates, and is pinned to the
 * procedure rule version in force at receipt.
 */
@Revision("2")
public record DossierReceived(String dossierId, String dossierCode, String agencyCode, String procedureCode,
                              int procedureVersion, StatutoryTime statutoryTime, DossierClock clock,
                              Instant occurredAt, Actor actor, DossierStatus status,
                              Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public DossierReceived {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public DossierReceived(String dossierId, String dossierCode, String agencyCode, String procedureCode,
                              int procedureVersion, StatutoryTime statutoryTime, DossierClock clock,
                              Instant occurredAt, Actor actor, DossierStatus status) {
        this(dossierId, dossierCode, agencyCode, procedureCode, procedureVersion, statutoryTime, clock, occurredAt, actor, status, null, null);
    }

    @Override
    public DossierReceived measured(Long workingMinutesInStage, Long syncSequence) {
        return new DossierReceived(dossierId, dossierCode, agencyCode, procedureCode, procedureVersion, statutoryTime, clock, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
