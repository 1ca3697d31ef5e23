package vn.hoso.query.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.bson.Document;
import vn.hoso.query.store.ReadModel.Write;
import vn.hoso.query.store.ReadModel.Written;
import vn.hoso.query.store.ReadModelRebuild;
import vn.hoso.query.store.VersionedReadModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * The search index as versions behind its two aliases (reads: {@code dossiers}; writes: {@code dossiers-write}), for
 * {@link ReadModelRebuild}. A version is filled with no replicas and no refresh, restored before reads move to it. A
 * rebuild records the search mapping it builds for: only instances of that mapping carry it out, an instance whose
 * mapping is older than the live index's cannot start one, and one whose mapping the live index refuses starts one by
 * itself.
 */
public class SearchIndexVersions implements VersionedReadModel<DossierDocument> {

    private static final int PAGE = 1_000;

    private final SearchIndex index;
    private final DossierDocuments documents;

    public SearchIndexVersions(SearchIndex index, ApplicantIdHasher idHasher) {
        this.index = index;
        this.documents = new DossierDocuments(idHasher);
    }

    @Override
    public String name() {
        return SearchIndexProjection.GROUP;
    }

    @Override
    public String readVersion() {
        return index.liveIndexes().stream().findFirst().orElseThrow();
    }

    @Override
    public String writeVersion() {
        return index.writingIndexes().stream().findFirst().orElseThrow();
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
    public Iterator<List<Map.Entry<String, Long>>> lastSequences(String version) {
        return new Iterator<>() {
            private List<FieldValue> after;
            private boolean done;

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

    @Override
    public Map<String, DossierDocument> read(String version, Collection<String> dossierIds) {
        return index.getAll(version, dossierIds);
    }

    @Override
    public Written write(String version, Collection<Write<DossierDocument>> writes) {
        return index.write(version, writes);
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

    /** A mapping the live index refuses (a newer one), or fields added to an index that already held documents. */
    @Override
    public Optional<String> rebuildWanted() {
        SearchIndex.MappingFit fit = index.refit();
        // a newer mapping only: two instances that number different mappings alike never take turns
        if (fit.fit() == SearchIndex.Fit.NEEDS_REBUILD && fit.indexMapping() < index.mappingVersion()) {
            return Optional.of(fit.reason());
        }
        return index.takeRebuildWanted() ? Optional.of("this version added fields to the live index's mapping")
                : Optional.empty();
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
