package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * The owner rated the handling of the dossier, once, following a rating scheme (criteria set and point scale).
 */
@Revision("1")
public record DossierRated(String dossierId, String schemeId, int schemeVersion, List<CriterionScore> criteria,
                           int totalPoints, int maxPoints, RatingLevel level, String comment, Instant occurredAt,
                           Actor actor, DossierStatus status) implements DossierEvent {
}
