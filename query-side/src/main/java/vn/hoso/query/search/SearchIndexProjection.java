package vn.hoso.query.search;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;
import vn.hoso.events.DossierEvent;
import vn.hoso.query.store.OrderedApplier;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Projects dossier events into the search index. Within a batch the documents it touches are kept in memory and
 * written in one bulk request when the batch's last event is handled; a failed write fails the batch before the
 * tracking token is stored, so the processor retries it (with back-off) instead of skipping its events.
 */
@Component
@ProcessingGroup(SearchIndexProjection.GROUP)
public class SearchIndexProjection {

    public static final String GROUP = "search-index";
    private static final String BATCH = SearchIndexProjection.class.getName() + ".batch";

    private final SearchIndex index;
    private final DossierDocuments documents;
    private final OrderedApplier applier;

    public SearchIndexProjection(SearchIndex index, ApplicantIdHasher idHasher, OrderedApplier applier) {
        this.index = index;
        this.documents = new DossierDocuments(idHasher);
        this.applier = applier;
    }

    @EventHandler
    void on(DossierEvent event, DomainEventMessage<?> message) {
        Map<String, DossierDocument> batch = batch();
        String id = message.getAggregateIdentifier();
        DossierDocument current = batch.get(id);
        if (current == null) {
            current = index.get(id).orElseGet(DossierDocument::new);
        }
        DossierDocument updated = applier.apply(GROUP, current, current.lastSequence(), message, documents::apply);
        batch.put(id, updated);
        if (CurrentUnitOfWork.get() instanceof BatchingUnitOfWork<?> unitOfWork && unitOfWork.isLastMessage()) {
            // written by the handler of the batch's last event, not when the unit of work commits: the pooled
            // processor stores its token in a prepare-commit step registered before ours, so a bulk failure there
            // would come after the token had moved on, and the batch's events would be lost
            index.write(batch.values());
            batch.clear();
        }
    }

    @ResetHandler
    void reset() {
        index.recreate();
    }

    private Map<String, DossierDocument> batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
        return unitOfWork.getOrComputeResource(BATCH, key -> {
            Map<String, DossierDocument> touched = new LinkedHashMap<>();
            // only when the last event of a batch was not ours to handle; normally the batch is written already
            unitOfWork.onPrepareCommit(u -> index.write(touched.values()));
            return touched;
        });
    }
}
