package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * The owner rated the handling of the dossier, once, following a rating scheme (criteria set and point scale).
 */
@Revision("2")
public record DossierRated(String dossierId, String schemeId, int schemeVersion, List<CriterionScore> criteria,
                           int totalPoints, int maxPoints, RatingLevel level, String comment, Instant occurredAt,
                           Actor actor, DossierStatus status,
                           Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public DossierRated {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public DossierRated(String dossierId, String schemeId, int schemeVersion, List<CriterionScore> criteria,
                           int totalPoints, int maxPoints, RatingLevel level, String comment, Instant occurredAt,
                           Actor actor, DossierStatus status) {
        this(dossierId, schemeId, schemeVersion, criteria, totalPoints, maxPoints, level, comment, occurredAt, actor, status, null, null);
    }

    @Override
    public DossierRated measured(Long workingMinutesInStage, Long syncSequence) {
        return new DossierRated(dossierId, schemeId, schemeVersion, criteria, totalPoints, maxPoints, level, comment, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
