package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * Processing finished: the request was approved or refused, with the result documents.
 *
 * @param onTime whether the result was issued by the statutory due date
 * @param clock  the clock at that moment
 */
@Revision("2")
public record ResultIssued(String dossierId, ResultDecision decision, List<DocumentRef> documents, String note,
                           boolean onTime, DossierClock clock, Instant occurredAt, Actor actor, DossierStatus status,
                           Long workingMinutesToResult, Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public ResultIssued {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public ResultIssued(String dossierId, ResultDecision decision, List<DocumentRef> documents, String note,
                           boolean onTime, DossierClock clock, Instant occurredAt, Actor actor, DossierStatus status) {
        this(dossierId, decision, documents, note, onTime, clock, occurredAt, actor, status, null, null, null);
    }

    @Override
    public ResultIssued measured(Long workingMinutesInStage, Long syncSequence) {
        return new ResultIssued(dossierId, decision, documents, note, onTime, clock, occurredAt, actor, status, workingMinutesToResult, workingMinutesInStage, syncSequence);
    }

    /** This result with the working minutes from receipt to it, pauses excluded. */
    public ResultIssued withWorkingMinutesToResult(Long minutes) {
        return new ResultIssued(dossierId, decision, documents, note, onTime, clock, occurredAt, actor, status, minutes, workingMinutesInStage, syncSequence);
    }
}
