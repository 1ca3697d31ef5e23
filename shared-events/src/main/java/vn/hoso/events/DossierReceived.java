package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The one-stop desk received the dossier: it has its dossier code and its due dates, and is pinned to the
 * procedure rule version in force at receipt.
 */
@Revision("1")
public record DossierReceived(String dossierId, String dossierCode, String agencyCode, String procedureCode,
                              int procedureVersion, StatutoryTime statutoryTime, DossierClock clock,
                              Instant occurredAt, Actor actor, DossierStatus status) implements DossierEvent {
}
