package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An agency system's numbered status report that changed nothing (a desk payment resent under a new message id, say),
 * recorded so that its number counts: the dossier then expects the next number, and no report after it is refused as
 * out of order for a number that will never come again.
 *
 * @param sequence       the report's number
 * @param reportedStatus the state the report named
 */
@Revision("1")
public record SyncReportRecorded(String dossierId, long sequence, DossierStatus reportedStatus, Instant occurredAt,
                                 Actor actor, DossierStatus status) implements DossierEvent {
}
