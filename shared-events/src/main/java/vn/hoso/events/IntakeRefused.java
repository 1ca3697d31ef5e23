package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** The desk refused to take the dossier in, with reasons (final). */
@Revision("2")
public record IntakeRefused(String dossierId, List<String> reasons, Instant occurredAt, Actor actor,
                            DossierStatus status,
                            Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public IntakeRefused {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public IntakeRefused(String dossierId, List<String> reasons, Instant occurredAt, Actor actor,
                            DossierStatus status) {
        this(dossierId, reasons, occurredAt, actor, status, null, null);
    }

    @Override
    public IntakeRefused measured(Long workingMinutesInStage, Long syncSequence) {
        return new IntakeRefused(dossierId, reasons, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
