package vn.hoso.query.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.function.BiFunction;

/**
 * Applies a dossier's events to a read model strictly in sequence. Each read model keeps, per dossier, the last
 * sequence number it applied: an event at or below it was applied already (a redelivery) and changes nothing; an event
 * after a gap (its predecessor's position was given up after the gap timeout, or a read model entry was lost) makes
 * the missing events be read from the event store and applied first, in order. Each repair is counted in
 * {@code hoso.projection.repairs}.
 */
@Component
public class OrderedApplier {

    private static final Logger log = LoggerFactory.getLogger(OrderedApplier.class);

    private final EventStorageEngine eventStore;
    private final MeterRegistry meters;

    public OrderedApplier(EventStorageEngine eventStore, MeterRegistry meters) {
        this.eventStore = eventStore;
        this.meters = meters;
    }

    /**
     * @param lastApplied the read model's last applied sequence number for this dossier, -1 for none
     * @param apply       applies one event to the state and returns the new state
     * @return the state after {@code event}, or {@code state} unchanged when it was applied before
     */
    public <S> S apply(String readModel, S state, long lastApplied, DomainEventMessage<?> event,
                       BiFunction<S, DomainEventMessage<?>, S> apply) {
        long sequence = event.getSequenceNumber();
        if (sequence <= lastApplied) {
            return state;
        }
        S current = state;
        if (sequence > lastApplied + 1) {
            String dossierId = event.getAggregateIdentifier();
            log.warn("read model {} missed events {}..{} of dossier {}: reading them from the event store", readModel,
                    lastApplied + 1, sequence - 1, dossierId);
            Counter.builder("hoso.projection.repairs").tag("readModel", readModel)
                    .description("gaps in a dossier's events repaired from the event store").register(meters)
                    .increment();
            var missing = eventStore.readEvents(dossierId, lastApplied + 1).asStream()
                    .filter(m -> m.getSequenceNumber() < sequence).toList();
            for (DomainEventMessage<?> message : missing) {
                current = apply.apply(current, message);
            }
        }
        return apply.apply(current, event);
    }
}
