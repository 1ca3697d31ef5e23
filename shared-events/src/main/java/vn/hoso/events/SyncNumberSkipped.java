package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An operator skipped the agency report number the dossier was waiting for (a report that will never come: lost by
 * the agency system, say), with the reason; the dossier then expects the number after it.
 *
 * @param sequence the number skipped
 */
@Revision("2")
public record SyncNumberSkipped(String dossierId, long sequence, String reason, Instant occurredAt, Actor actor,
                                DossierStatus status,
                                Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public SyncNumberSkipped {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public SyncNumberSkipped(String dossierId, long sequence, String reason, Instant occurredAt, Actor actor,
                                DossierStatus status) {
        this(dossierId, sequence, reason, occurredAt, actor, status, null, null);
    }

    @Override
    public SyncNumberSkipped measured(Long workingMinutesInStage, Long syncSequence) {
        return new SyncNumberSkipped(dossierId, sequence, reason, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
