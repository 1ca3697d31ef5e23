package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The result reached the applicant: online, by post or at the desk (final). */
@Revision("1")
public record ResultReturned(String dossierId, Channel channel, Instant occurredAt, Actor actor,
                             DossierStatus status) implements DossierEvent {
}
