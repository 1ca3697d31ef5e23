package vn.hoso.events;

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
@Revision("1")
public record SupplementRequested(String dossierId, List<String> missingItems, LocalDate replyBy, String reason,
                                  DossierStatus previousStatus, DossierClock clock, Instant occurredAt, Actor actor,
                                  DossierStatus status) implements DossierEvent {
}
