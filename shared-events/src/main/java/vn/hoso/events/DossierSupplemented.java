package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * The applicant (or the desk for them) handed in the missing papers; the clock resumes.
 *
 * @param pausedWorkingMinutes working minutes this pause lasted
 * @param pausedWorkingDays    working days the due dates moved by for this pause (day-counted procedures)
 * @param clock                the clock after the pause was added (null before receipt)
 */
@Revision("2")
public record DossierSupplemented(String dossierId, List<DocumentRef> documents, long pausedWorkingMinutes,
                                  int pausedWorkingDays, DossierClock clock, Instant occurredAt, Actor actor,
                                  DossierStatus status,
                                  Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public DossierSupplemented {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public DossierSupplemented(String dossierId, List<DocumentRef> documents, long pausedWorkingMinutes,
                                  int pausedWorkingDays, DossierClock clock, Instant occurredAt, Actor actor,
                                  DossierStatus status) {
        this(dossierId, documents, pausedWorkingMinutes, pausedWorkingDays, clock, occurredAt, actor, status, null, null);
    }

    @Override
    public DossierSupplemented measured(Long workingMinutesInStage, Long syncSequence) {
        return new DossierSupplemented(dossierId, documents, pausedWorkingMinutes, pausedWorkingDays, clock, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
