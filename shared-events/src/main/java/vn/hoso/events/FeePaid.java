package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A payment was made: online by the owner or at the desk, recorded by the agency. When it settles a payment
 * request the clock resumes and the dossier returns to the state before the request.
 *
 * @param amountOutstanding what is still owed after this payment
 * @param resumed           whether this payment settled an open payment request
 * @param pausedWorkingMinutes working minutes the payment pause lasted (0 unless resumed)
 * @param pausedWorkingDays    working days the due dates moved by for that pause (0 unless resumed)
 */
@Revision("2")
public record FeePaid(String dossierId, String paymentReference, PaymentMethod method, long amount,
                      long amountOutstanding, boolean resumed, long pausedWorkingMinutes, int pausedWorkingDays,
                      DossierClock clock, Instant occurredAt, Actor actor, DossierStatus status,
                      Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public FeePaid {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public FeePaid(String dossierId, String paymentReference, PaymentMethod method, long amount,
                      long amountOutstanding, boolean resumed, long pausedWorkingMinutes, int pausedWorkingDays,
                      DossierClock clock, Instant occurredAt, Actor actor, DossierStatus status) {
        this(dossierId, paymentReference, method, amount, amountOutstanding, resumed, pausedWorkingMinutes, pausedWorkingDays, clock, occurredAt, actor, status, null, null);
    }

    @Override
    public FeePaid measured(Long workingMinutesInStage, Long syncSequence) {
        return new FeePaid(dossierId, paymentReference, method, amount, amountOutstanding, resumed, pausedWorkingMinutes, pausedWorkingDays, clock, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
