package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The desk asked the applicant for missing papers; the clock pauses from {@code occurredAt} (if the dossier was
 * received; a pause before receipt moves nothing).
 *
 * @param clock          the clock as it stands when paused (null before receipt)
 * @param previousStatus the state the dossier returns to once supplemented
 */
@Revision("2")
public record SupplementRequested(String dossierId, List<String> missingItems, LocalDate replyBy, String reason,
                                  DossierStatus previousStatus, DossierClock clock, Instant occurredAt, Actor actor,
                                  DossierStatus status,
                                  Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public SupplementRequested {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public SupplementRequested(String dossierId, List<String> missingItems, LocalDate replyBy, String reason,
                                  DossierStatus previousStatus, DossierClock clock, Instant occurredAt, Actor actor,
                                  DossierStatus status) {
        this(dossierId, missingItems, replyBy, reason, previousStatus, clock, occurredAt, actor, status, null, null);
    }

    @Override
    public SupplementRequested measured(Long workingMinutesInStage, Long syncSequence) {
        return new SupplementRequested(dossierId, missingItems, replyBy, reason, previousStatus, clock, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
