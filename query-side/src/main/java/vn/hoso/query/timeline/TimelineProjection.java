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
import com.mongodb.client.MongoCursor;
import org.bson.Document;
import vn.hoso.query.store.ReadModelRebuild;
import vn.hoso.query.store.VersionedReadModel;
import vn.hoso.query.web.ReadYourWrites;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import java.util.Collection;
import java.util.Map;

/**
 * Projects dossier events into timelines: one document per dossier, read for a whole batch by {@code _id} and written
 * back after the batch's last event ({@link BatchedProjection}); each document is replaced whole over the version it
 * was computed from, so replaying an event changes nothing and a stale writer cannot take a timeline back.
 * <p>
 * Timelines are kept in versions for {@link ReadModelRebuild}. MongoDB has no alias: a version is a pair of collections
 * ({@code timelines-v<id>} and its pages, {@code timelines-v<id>_steps}; the first version keeps the names it had,
 * {@code timelines} and {@code timeline_steps}), and one document in {@code read_model_versions} says which version
 * reads go to and which writes go to; every reader, this projection, its repairs and its dead-letter retries read it
 * through {@link TimelineStore}, at most a second old. Dossier codes are one collection for every version (a code
 * always leads to the same dossier).
 */
@Component
@ProcessingGroup(TimelineProjection.GROUP)
public class TimelineProjection implements VersionedReadModel<Timeline> {

    public static final String GROUP = "timelines";
    /** Timelines a page of the rebuild's check reads. */
    private static final int PAGE = 1_000;

    private final TimelineStore store;
    private final ApplicantIdHasher idHasher;
    private final BatchedProjection<Timeline> projection;
    /** Told of each write, so that a read waiting for one of these timelines answers now. */
    private final ReadYourWrites readYourWrites;

    public TimelineProjection(TimelineStore store, ApplicantIdHasher idHasher, Projections projections,
                              ReadYourWrites readYourWrites) {
        this.store = store;
        this.readYourWrites = readYourWrites;
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

    /** The version writes go to (the versions document as this instance read it, at most a second ago). */
    @Override
    public String writeVersion() {
        return store.versions().writes();
    }

    @Override
    public Map<String, Timeline> read(String version, Collection<String> dossierIds) {
        return store.findAll(version, dossierIds);
    }

    @Override
    public Map<String, Timeline> readWhole(Collection<String> dossierIds) {
        return store.findWhole(store.versions().reads(), dossierIds);
    }

    @Override
    public Map<String, Timeline> readWhole(String version, Collection<String> dossierIds) {
        return store.findWhole(version, dossierIds);
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
    public Written write(String version, Collection<Write<Timeline>> entries) {
        Written written = store.saveAll(version, entries);
        List<String> dossierIds = new ArrayList<>(entries.size());
        for (Write<Timeline> entry : entries) {
            dossierIds.add(entry.entry().dossierId());
        }
        readYourWrites.applied(dossierIds);
        return written;
    }

    @Override
    public String readVersion() {
        return store.readVersions().reads();
    }

    @Override
    public String createVersion() {
        // a random part: two rebuilds started at once never name the same collections
        String version = TimelineStore.FIRST_VERSION + "-v" + java.util.UUID.randomUUID().toString().substring(0, 8);
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

    /** Every instance reads the versions document again within a second. */
    @Override
    public Duration moveTakesEffect() {
        return TimelineStore.VERSIONS_TTL.plusMillis(500);
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
    public Pages lastSequences(String version) {
        MongoCursor<Document> cursor = store.timelines(version).find()
                .projection(com.mongodb.client.model.Projections.include("lastSequence")).batchSize(PAGE).iterator();
        return new Pages() {
            @Override
            public boolean hasNext() {
                return cursor.hasNext();
            }

            @Override
            public void close() {
                cursor.close();
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
}
