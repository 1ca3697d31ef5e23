package vn.hoso.events;

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
@Revision("1")
public record DossierSupplemented(String dossierId, List<DocumentRef> documents, long pausedWorkingMinutes,
                                  int pausedWorkingDays, DossierClock clock, Instant occurredAt, Actor actor,
                                  DossierStatus status) implements DossierEvent {
}
