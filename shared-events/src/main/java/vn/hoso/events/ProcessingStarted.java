package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A unit of the agency started processing the dossier. */
@Revision("1")
public record ProcessingStarted(String dossierId, String unit, Instant occurredAt, Actor actor,
                                DossierStatus status) implements DossierEvent {
}
