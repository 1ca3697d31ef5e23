package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * The agency asked for fees to be paid; the clock pauses until they are.
 *
 * @param amountOutstanding everything requested and not yet paid, this request included
 * @param clock             the clock as it stands when paused
 */
@Revision("2")
public record PaymentRequested(String dossierId, List<FeeItem> feeItems, long amountRequested, long amountOutstanding,
                               DossierStatus previousStatus, DossierClock clock, Instant occurredAt, Actor actor,
                               DossierStatus status,
                               Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public PaymentRequested {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public PaymentRequested(String dossierId, List<FeeItem> feeItems, long amountRequested, long amountOutstanding,
                               DossierStatus previousStatus, DossierClock clock, Instant occurredAt, Actor actor,
                               DossierStatus status) {
        this(dossierId, feeItems, amountRequested, amountOutstanding, previousStatus, clock, occurredAt, actor, status, null, null);
    }

    @Override
    public PaymentRequested measured(Long workingMinutesInStage, Long syncSequence) {
        return new PaymentRequested(dossierId, feeItems, amountRequested, amountOutstanding, previousStatus, clock, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
