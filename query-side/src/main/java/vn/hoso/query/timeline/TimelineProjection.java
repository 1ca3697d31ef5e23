package vn.hoso.query.timeline;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;
import vn.hoso.events.DossierEvent;
import vn.hoso.query.store.OrderedApplier;

/**
 * Projects dossier events into timelines. Each event reads the dossier's timeline by id, appends its step (after any
 * missing ones, see {@link OrderedApplier}) and replaces the document whole: replaying an event changes nothing.
 */
@Component
@ProcessingGroup(TimelineProjection.GROUP)
public class TimelineProjection {

    public static final String GROUP = "timelines";

    private final TimelineStore store;
    private final OrderedApplier applier;

    public TimelineProjection(TimelineStore store, OrderedApplier applier) {
        this.store = store;
        this.applier = applier;
    }

    @EventHandler
    void on(DossierEvent event, DomainEventMessage<?> message) {
        String id = message.getAggregateIdentifier();
        Timeline current = store.find(id).orElseGet(() -> Timeline.empty(id));
        Timeline updated = applier.apply(GROUP, current, current.lastSequence(), message, TimelineSteps::apply);
        if (updated != current) {
            store.save(updated);
        }
    }

    @ResetHandler
    void reset() {
        store.dropAll();
    }
}
