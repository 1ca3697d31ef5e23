package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** Processing was stopped, with reasons (final). */
@Revision("1")
public record ProcessingStopped(String dossierId, List<String> reasons, Instant occurredAt, Actor actor,
                                DossierStatus status) implements DossierEvent {
}
