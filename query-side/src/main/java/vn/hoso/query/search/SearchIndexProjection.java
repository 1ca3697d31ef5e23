package vn.hoso.query.search;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;
import vn.hoso.events.DossierEvent;
import vn.hoso.query.store.BatchedProjection;
import vn.hoso.query.store.Projections;
import vn.hoso.query.store.ReadModel;

import java.util.Collection;
import java.util.Map;

/**
 * Projects dossier events into the search index: one document per dossier, read for a whole batch in one request and
 * written back in one bulk request after the batch's last event ({@link BatchedProjection}). A bulk item that
 * Elasticsearch refuses parks that dossier alone; Elasticsearch unavailable fails the batch, which is retried.
 */
@Component
@ProcessingGroup(SearchIndexProjection.GROUP)
public class SearchIndexProjection implements ReadModel<DossierDocument> {

    public static final String GROUP = "search-index";

    private final SearchIndex index;
    private final DossierDocuments documents;
    private final BatchedProjection<DossierDocument> projection;

    public SearchIndexProjection(SearchIndex index, ApplicantIdHasher idHasher, Projections projections) {
        this.index = index;
        this.documents = new DossierDocuments(idHasher);
        this.projection = projections.batched(this);
    }

    public BatchedProjection<DossierDocument> projection() {
        return projection;
    }

    @EventHandler
    void on(DossierEvent event, DomainEventMessage<?> message) {
        projection.handle(message);
    }

    @ResetHandler
    void reset() {
        index.recreate();
    }

    @Override
    public String name() {
        return GROUP;
    }

    @Override
    public Map<String, DossierDocument> read(Collection<String> dossierIds) {
        return index.getAll(dossierIds);
    }

    @Override
    public DossierDocument empty(String dossierId) {
        return new DossierDocument();
    }

    @Override
    public long lastSequence(DossierDocument entry) {
        return entry.lastSequence();
    }

    @Override
    public DossierDocument apply(DossierDocument entry, DomainEventMessage<?> event) {
        return documents.apply(entry, event);
    }

    @Override
    public Written write(Collection<Write<DossierDocument>> entries) {
        return index.write(entries);
    }
}
