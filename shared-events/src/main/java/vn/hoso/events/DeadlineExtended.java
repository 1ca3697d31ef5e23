package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The agency issued an apology letter with a later due date. {@code statutoryDueAt} does not move: an extended
 * dossier still counts as late.
 */
@Revision("1")
public record DeadlineExtended(String dossierId, String reason, Instant previousDueAt, DossierClock clock,
                               Instant occurredAt, Actor actor, DossierStatus status) implements DossierEvent {
}
