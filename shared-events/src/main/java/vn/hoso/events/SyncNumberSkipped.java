package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An operator skipped the agency report number the dossier was waiting for (a report that will never come: lost by
 * the agency system, say), with the reason; the dossier then expects the number after it.
 *
 * @param sequence the number skipped
 */
@Revision("1")
public record SyncNumberSkipped(String dossierId, long sequence, String reason, Instant occurredAt, Actor actor,
                                DossierStatus status) implements DossierEvent {
}
