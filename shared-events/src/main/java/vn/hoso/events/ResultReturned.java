package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The result reached the applicant: online, by post or at the desk (final). */
@Revision("2")
public record ResultReturned(String dossierId, Channel channel, Instant occurredAt, Actor actor,
                             DossierStatus status,
                             Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public ResultReturned {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public ResultReturned(String dossierId, Channel channel, Instant occurredAt, Actor actor,
                             DossierStatus status) {
        this(dossierId, channel, occurredAt, actor, status, null, null);
    }

    @Override
    public ResultReturned measured(Long workingMinutesInStage, Long syncSequence) {
        return new ResultReturned(dossierId, channel, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
