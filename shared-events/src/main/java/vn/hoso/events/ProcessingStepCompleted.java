package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A unit completed one processing step (e.g. appraisal, approval). */
@Revision("2")
public record ProcessingStepCompleted(String dossierId, String unit, String step, String note, Instant occurredAt,
                                      Actor actor, DossierStatus status,
                                      Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public ProcessingStepCompleted {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public ProcessingStepCompleted(String dossierId, String unit, String step, String note, Instant occurredAt,
                                      Actor actor, DossierStatus status) {
        this(dossierId, unit, step, note, occurredAt, actor, status, null, null);
    }

    @Override
    public ProcessingStepCompleted measured(Long workingMinutesInStage, Long syncSequence) {
        return new ProcessingStepCompleted(dossierId, unit, step, note, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
