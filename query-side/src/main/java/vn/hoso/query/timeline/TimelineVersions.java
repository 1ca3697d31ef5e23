package vn.hoso.query.timeline;

import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Projections;
import org.axonframework.eventhandling.DomainEventMessage;
import org.bson.Document;
import vn.hoso.query.search.ApplicantIdHasher;
import vn.hoso.query.store.ReadModel.Write;
import vn.hoso.query.store.ReadModel.Written;
import vn.hoso.query.store.ReadModelRebuild;
import vn.hoso.query.store.VersionedReadModel;

import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Timelines as versions for {@link ReadModelRebuild}. MongoDB has no alias: a version is a pair of collections
 * ({@code timelines-v<n>} and its pages, {@code timelines-v<n>_steps}; the first version keeps the names it had,
 * {@code timelines} and {@code timeline_steps}), and one document in {@code read_model_versions} says which version
 * reads go to and which writes go to; every reader, the projection, its repairs and its dead-letter retries read it
 * through {@link TimelineStore} (at most a second old). Dossier codes are one collection for every version (a code
 * always leads to the same dossier).
 */
public class TimelineVersions implements VersionedReadModel<Timeline> {

    private static final int PAGE = 1_000;

    private final TimelineStore store;
    private final ApplicantIdHasher idHasher;
    private final Clock wallClock;

    public TimelineVersions(TimelineStore store, ApplicantIdHasher idHasher, Clock wallClock) {
        this.store = store;
        this.idHasher = idHasher;
        this.wallClock = wallClock;
    }

    @Override
    public String name() {
        return TimelineProjection.GROUP;
    }

    @Override
    public String readVersion() {
        return store.readVersions().reads();
    }

    @Override
    public String writeVersion() {
        return store.readVersions().writes();
    }

    @Override
    public String createVersion() {
        String version = TimelineStore.FIRST_VERSION + "-v" + wallClock.millis();
        store.ensureIndex(version);
        return version;
    }

    @Override
    public void readyForReads(String version) {
        // nothing was left out while filling it
    }

    @Override
    public void pointWritesAt(String version) {
        store.point("writes", version);
    }

    @Override
    public void pointReadsAt(String version) {
        store.point("reads", version);
    }

    @Override
    public void deleteVersion(String version) {
        TimelineStore.Versions inUse = store.readVersions();
        if (inUse.reads().equals(version) || inUse.writes().equals(version)) {
            throw new IllegalStateException("refused to delete the timelines' version " + version + ": it is in use");
        }
        store.timelines(version).drop();
        store.pages(version).drop();
    }

    @Override
    public long count(String version) {
        return store.timelines(version).countDocuments();
    }

    /** One pass over the version's timelines (only their id and last sequence number), 1,000 at a time. */
    @Override
    public Iterator<List<Map.Entry<String, Long>>> lastSequences(String version) {
        MongoCursor<Document> cursor = store.timelines(version).find()
                .projection(Projections.include("lastSequence")).batchSize(PAGE).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = cursor.hasNext();
                if (!more) {
                    cursor.close();
                }
                return more;
            }

            @Override
            public List<Map.Entry<String, Long>> next() {
                if (!cursor.hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Map.Entry<String, Long>> page = new ArrayList<>(PAGE);
                while (page.size() < PAGE && cursor.hasNext()) {
                    Document timeline = cursor.next();
                    page.add(new AbstractMap.SimpleImmutableEntry<>(timeline.getString("_id"),
                            timeline.get("lastSequence", Number.class).longValue()));
                }
                return page;
            }
        };
    }

    @Override
    public Map<String, Timeline> read(String version, Collection<String> dossierIds) {
        return store.findAll(version, dossierIds);
    }

    @Override
    public Map<String, Timeline> readWhole(String version, Collection<String> dossierIds) {
        return store.findWhole(version, dossierIds);
    }

    @Override
    public Written write(String version, Collection<Write<Timeline>> writes) {
        return store.saveAll(version, writes);
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
}
