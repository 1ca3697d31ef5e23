package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The dossier moved from one processing unit to another. */
@Revision("1")
public record DossierTransferred(String dossierId, String fromUnit, String toUnit, String note, Instant occurredAt,
                                 Actor actor, DossierStatus status) implements DossierEvent {
}
