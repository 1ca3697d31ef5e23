package vn.hoso.query.timeline;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;
import vn.hoso.events.DossierEvent;
import vn.hoso.query.search.ApplicantIdHasher;
import vn.hoso.query.store.BatchedProjection;
import vn.hoso.query.store.Projections;
import vn.hoso.query.store.ReadModel;

import java.util.Collection;
import java.util.Map;

/**
 * Projects dossier events into timelines: one document per dossier, read for a whole batch by {@code _id} and written
 * back after the batch's last event ({@link BatchedProjection}); each document is replaced whole over the version it
 * was computed from, so replaying an event changes nothing and a stale writer cannot take a timeline back.
 */
@Component
@ProcessingGroup(TimelineProjection.GROUP)
public class TimelineProjection implements ReadModel<Timeline> {

    public static final String GROUP = "timelines";

    private final TimelineStore store;
    private final ApplicantIdHasher idHasher;
    private final BatchedProjection<Timeline> projection;

    public TimelineProjection(TimelineStore store, ApplicantIdHasher idHasher, Projections projections) {
        this.store = store;
        this.idHasher = idHasher;
        this.projection = projections.batched(this);
    }

    public BatchedProjection<Timeline> projection() {
        return projection;
    }

    @EventHandler
    void on(DossierEvent event, DomainEventMessage<?> message) {
        projection.handle(message);
    }

    @ResetHandler
    void reset() {
        store.dropAll();
    }

    @Override
    public String name() {
        return GROUP;
    }

    @Override
    public Map<String, Timeline> read(Collection<String> dossierIds) {
        return store.findAll(dossierIds);
    }

    @Override
    public Map<String, Timeline> readWhole(Collection<String> dossierIds) {
        return store.findWhole(dossierIds);
    }

    @Override
    public Timeline empty(String dossierId) {
        return Timeline.empty(dossierId);
    }

    @Override
    public long lastSequence(Timeline entry) {
        return entry.lastSequence();
    }

    @Override
    public Timeline apply(Timeline entry, DomainEventMessage<?> event) {
        return TimelineSteps.apply(entry, event, idHasher::hash);
    }

    @Override
    public Written write(Collection<Write<Timeline>> entries) {
        return store.saveAll(entries);
    }
}
