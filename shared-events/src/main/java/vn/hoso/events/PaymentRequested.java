package vn.hoso.events;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * The agency asked for fees to be paid; the clock pauses until they are.
 *
 * @param amountOutstanding everything requested and not yet paid, this request included
 * @param clock             the clock as it stands when paused
 */
@Revision("1")
public record PaymentRequested(String dossierId, List<FeeItem> feeItems, long amountRequested, long amountOutstanding,
                               DossierStatus previousStatus, DossierClock clock, Instant occurredAt, Actor actor,
                               DossierStatus status) implements DossierEvent {
}
