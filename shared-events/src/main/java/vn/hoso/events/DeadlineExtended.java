package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The agency issued an apology letter with a later due date. {@code statutoryDueAt} does not move: an extended
 * dossier still counts as late.
 */
@Revision("2")
public record DeadlineExtended(String dossierId, String reason, Instant previousDueAt, DossierClock clock,
                               Instant occurredAt, Actor actor, DossierStatus status,
                               Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public DeadlineExtended {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public DeadlineExtended(String dossierId, String reason, Instant previousDueAt, DossierClock clock,
                               Instant occurredAt, Actor actor, DossierStatus status) {
        this(dossierId, reason, previousDueAt, clock, occurredAt, actor, status, null, null);
    }

    @Override
    public DeadlineExtended measured(Long workingMinutesInStage, Long syncSequence) {
        return new DeadlineExtended(dossierId, reason, previousDueAt, clock, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
