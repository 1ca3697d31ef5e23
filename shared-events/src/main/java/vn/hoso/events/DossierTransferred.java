package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The dossier moved from one processing unit to another. */
@Revision("2")
public record DossierTransferred(String dossierId, String fromUnit, String toUnit, String note, Instant occurredAt,
                                 Actor actor, DossierStatus status,
                                 Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public DossierTransferred {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public DossierTransferred(String dossierId, String fromUnit, String toUnit, String note, Instant occurredAt,
                                 Actor actor, DossierStatus status) {
        this(dossierId, fromUnit, toUnit, note, occurredAt, actor, status, null, null);
    }

    @Override
    public DossierTransferred measured(Long workingMinutesInStage, Long syncSequence) {
        return new DossierTransferred(dossierId, fromUnit, toUnit, note, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
