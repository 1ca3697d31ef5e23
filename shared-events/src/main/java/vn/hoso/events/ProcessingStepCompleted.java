package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A unit completed one processing step (e.g. appraisal, approval). */
@Revision("1")
public record ProcessingStepCompleted(String dossierId, String unit, String step, String note, Instant occurredAt,
                                      Actor actor, DossierStatus status) implements DossierEvent {
}
