package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The owner withdrew the dossier (final). */
@Revision("2")
public record DossierWithdrawn(String dossierId, String reason, DossierStatus previousStatus, Instant occurredAt,
                               Actor actor, DossierStatus status,
                               Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public DossierWithdrawn {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public DossierWithdrawn(String dossierId, String reason, DossierStatus previousStatus, Instant occurredAt,
                               Actor actor, DossierStatus status) {
        this(dossierId, reason, previousStatus, occurredAt, actor, status, null, null);
    }

    @Override
    public DossierWithdrawn measured(Long workingMinutesInStage, Long syncSequence) {
        return new DossierWithdrawn(dossierId, reason, previousStatus, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
