package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The owner withdrew the dossier (final). */
@Revision("1")
public record DossierWithdrawn(String dossierId, String reason, DossierStatus previousStatus, Instant occurredAt,
                               Actor actor, DossierStatus status) implements DossierEvent {
}
