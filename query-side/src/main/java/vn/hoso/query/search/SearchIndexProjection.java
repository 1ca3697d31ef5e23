package vn.hoso.query.search;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;
import vn.hoso.events.DossierEvent;
import vn.hoso.query.store.BatchedProjection;
import vn.hoso.query.store.Projections;
import vn.hoso.query.store.ReadModelRebuild;
import vn.hoso.query.store.VersionedReadModel;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * Projects dossier events into the search index: one document per dossier, read for a whole batch in one request and
 * written back in one bulk request after the batch's last event ({@link BatchedProjection}). A bulk item that
 * Elasticsearch refuses parks that dossier alone; Elasticsearch unavailable fails the batch, which is retried.
 * <p>
 * The index is kept in versions behind its two aliases (reads: {@code dossiers}; writes: {@code dossiers-write}) for
 * {@link ReadModelRebuild}: a version is filled with no replicas and no refresh, restored before reads move to it. A
 * rebuild records the search mapping it builds for: only instances of that mapping carry it out, an instance whose
 * mapping is older than the live index's cannot start one, and one whose mapping the live index refuses starts one by
 * itself.
 */
@Component
@ProcessingGroup(SearchIndexProjection.GROUP)
public class SearchIndexProjection implements VersionedReadModel<DossierDocument> {

    public static final String GROUP = "search-index";
    /** Documents a page of the rebuild's check reads. */
    private static final int PAGE = 1_000;

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

    /** The index writes go to, if this version's mapping fits it (read again: one alias lookup a batch). */
    @Override
    public String writeVersion() {
        return index.writeTarget();
    }

    @Override
    public Map<String, DossierDocument> read(String version, Collection<String> dossierIds) {
        return index.getAll(version, dossierIds);
    }

    /** Where reads go (the alias), as searches see the documents. */
    @Override
    public Map<String, DossierDocument> readWhole(Collection<String> dossierIds) {
        return index.getAll(index.alias(), dossierIds);
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
    public Written write(String version, Collection<Write<DossierDocument>> entries) {
        return index.write(version, entries);
    }

    @Override
    public String readVersion() {
        return index.liveIndexes().stream().findFirst().orElseThrow();
    }

    @Override
    public Set<String> liveVersions() {
        return index.liveIndexes();
    }

    @Override
    public String createVersion() {
        return index.createVersion();
    }

    @Override
    public void readyForReads(String version) {
        index.readyForReads(version);
    }

    @Override
    public void pointWritesAt(String version) {
        index.pointWritesAt(version);
    }

    @Override
    public void pointReadsAt(String version) {
        index.pointReadsAt(version);
    }

    @Override
    public void writesMoved() {
        index.refit(); // this instance writes the new version (its mapping) from now on
    }

    @Override
    public void deleteVersion(String version) {
        index.deleteIndex(version);
    }

    @Override
    public long count(String version) {
        return index.count(version);
    }

    /** Pages of 1,000 documents' id and last sequence number, in dossier id order (search_after). */
    @Override
    public Pages lastSequences(String version) {
        return new Pages() {
            private List<FieldValue> after;
            private boolean done;

            @Override
            public void close() {
                done = true; // search_after holds nothing open
            }

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public List<Map.Entry<String, Long>> next() {
                if (done) {
                    throw new NoSuchElementException();
                }
                List<FieldValue> from = after;
                List<Hit<JsonNode>> hits;
                try {
                    hits = index.client().search(s -> {
                        s.index(version).size(PAGE).source(src -> src.filter(f -> f.includes("dossierId",
                                "lastSequence"))).sort(o -> o.field(f -> f.field("dossierId").order(SortOrder.Asc)));
                        if (from != null) {
                            s.searchAfter(from);
                        }
                        return s;
                    }, JsonNode.class).hits().hits();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + version, e);
                }
                done = hits.size() < PAGE;
                if (!hits.isEmpty()) {
                    after = hits.get(hits.size() - 1).sort();
                }
                return hits.stream().<Map.Entry<String, Long>>map(hit -> new AbstractMap.SimpleImmutableEntry<>(
                        hit.id(), hit.source().path("lastSequence").asLong())).toList();
            }
        };
    }

    /**
     * A mapping the live index refuses (a newer one), or fields this mapping added in place to documents indexed
     * before (the index's {@code complete} lower than its mapping): read from the index, so every instance of this
     * mapping sees it, until a rebuild made an index complete for it.
     */
    @Override
    public Optional<String> rebuildWanted() {
        SearchIndex.MappingFit fit = index.refit();
        // a newer mapping only: two instances that number different mappings alike never take turns
        if (fit.fit() == SearchIndex.Fit.NEEDS_REBUILD && fit.indexMapping() < index.mappingVersion()) {
            return Optional.of(fit.reason());
        }
        if (fit.fit() == SearchIndex.Fit.FITS && fit.indexMapping() == index.mappingVersion()
                && fit.complete() < index.mappingVersion()) {
            return Optional.of("documents of " + fit.index() + " indexed before search mapping "
                    + index.mappingVersion() + " lack the fields it added");
        }
        return Optional.empty();
    }

    /**
     * The mapping the rebuild builds for, and whether the previous version is kept current after the switch (only if
     * this version can write it); refused on an instance whose mapping is older than the live index's.
     */
    @Override
    public Document startFields() {
        SearchIndex.MappingFit fit = index.refit();
        if (fit.fit() == SearchIndex.Fit.TOO_OLD || fit.indexMapping() > index.mappingVersion()) {
            throw new ReadModelRebuild.RefusedHere("this instance writes search mapping " + index.mappingVersion()
                    + ", older than the live index's " + fit.indexMapping());
        }
        return new Document("mapping", index.mappingVersion()).append("keepsPrevious",
                fit.fit() == SearchIndex.Fit.FITS && fit.index().equals(readVersion()));
    }

    @Override
    public boolean buildsHere(Document state) {
        return state.getInteger("mapping", 1) == index.mappingVersion();
    }
}
