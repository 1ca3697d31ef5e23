package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** The desk refused to take the dossier in, with reasons (final). */
@Revision("1")
public record IntakeRefused(String dossierId, List<String> reasons, Instant occurredAt, Actor actor,
                            DossierStatus status) implements DossierEvent {
}
