package vn.hoso.events;

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
@Revision("1")
public record FeePaid(String dossierId, String paymentReference, PaymentMethod method, long amount,
                      long amountOutstanding, boolean resumed, long pausedWorkingMinutes, int pausedWorkingDays,
                      DossierClock clock, Instant occurredAt, Actor actor, DossierStatus status)
        implements DossierEvent {
}
