package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * Processing finished: the request was approved or refused, with the result documents.
 *
 * @param onTime whether the result was issued by the statutory due date
 * @param clock  the clock at that moment
 */
@Revision("1")
public record ResultIssued(String dossierId, ResultDecision decision, List<DocumentRef> documents, String note,
                           boolean onTime, DossierClock clock, Instant occurredAt, Actor actor, DossierStatus status)
        implements DossierEvent {
}
