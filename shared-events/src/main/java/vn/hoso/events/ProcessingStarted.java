package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A unit of the agency started processing the dossier. */
@Revision("2")
public record ProcessingStarted(String dossierId, String unit, Instant occurredAt, Actor actor,
                                DossierStatus status,
                                Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public ProcessingStarted {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public ProcessingStarted(String dossierId, String unit, Instant occurredAt, Actor actor,
                                DossierStatus status) {
        this(dossierId, unit, occurredAt, actor, status, null, null);
    }

    @Override
    public ProcessingStarted measured(Long workingMinutesInStage, Long syncSequence) {
        return new ProcessingStarted(dossierId, unit, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
