package vn.hoso.query.timeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.ErrorCategory;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import org.bson.Document;
import org.springframework.stereotype.Component;
import vn.hoso.events.EventJson;
import vn.hoso.query.store.ReadModel.Write;
import vn.hoso.query.store.ReadModel.Written;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.mongodb.client.model.Filters.eq;

/**
 * Timelines in MongoDB, one document per dossier keyed by its id (reads and writes hit {@code _id}, the one key the
 * emulator indexes; a batch's with {@code $in}), replaced whole but only over the version it was computed from: the
 * replacement's filter is {@code {_id, lastSequence}}, the keys of a unique index, so that it is a key lookup on the
 * emulator too, and a timeline moved on meanwhile makes the upsert collide on {@code _id} (a duplicate-key error: the
 * write changed nothing). Dossier code → dossier id in a second collection keyed by the code.
 * <p>
 * A timeline's size and its cost per event do not grow with its history: once it holds {@link #SPILL_AT} steps, its
 * earliest ones go, {@link #PAGE} at a time, to pages of their own (the version's pages collection, keyed
 * {@code <dossierId>#<page>}), written before the timeline that no longer holds them. An archived step is final
 * (only the latest step of a timeline changes, when the next event says how long its stage took), and a page's content
 * is a function of the dossier's history, so a page written twice, by a retry or another instance, is the same page:
 * pages are written once (an insert; one already there is left as it is).
 * <p>
 * Timelines are kept in versions (see {@link TimelineProjection}): every read and write names the version it works
 * on, which callers take from {@link #versions()} once per request or batch.
 */
@Component
public class TimelineStore {

    /** Steps per archived page. */
    static final int PAGE = 50;
    /** A timeline written with this many steps archives its earliest ones first, keeping between 50 and 99. */
    static final int SPILL_AT = 2 * PAGE;

    /** The first version's collections, as they were named before timelines had versions. */
    static final String FIRST_VERSION = "timelines";
    private static final String VERSIONS_ID = "timelines";
    /** How long an instance goes on with the versions it read before reading them again. */
    static final java.time.Duration VERSIONS_TTL = java.time.Duration.ofSeconds(1);

    private final MongoDatabase database;
    /** Which version reads and which writes go to: one document, {@code timelines}, absent until a first rebuild. */
    private final MongoCollection<Document> versions;
    private final MongoCollection<Document> codes;
    private final ObjectMapper json = EventJson.mapper();
    private volatile Versions current;
    private volatile long currentReadAt;

    /** The version reads go to and the one writes go to (the same one outside a rebuild's switch). */
    record Versions(String reads, String writes) {
    }

    public TimelineStore(MongoDatabase readModelDatabase) {
        this.database = readModelDatabase;
        this.versions = readModelDatabase.getCollection("read_model_versions");
        this.codes = readModelDatabase.getCollection("timeline_codes");
        // the versions document is made once, naming the first version (a store from before versions had none); from
        // then on it always names the versions in use, and only their collections are set up
        versions.updateOne(eq("_id", VERSIONS_ID), new Document("$setOnInsert", new Document("reads", FIRST_VERSION)
                .append("writes", FIRST_VERSION)), new com.mongodb.client.model.UpdateOptions().upsert(true));
        Versions inUse = readVersions();
        ensureIndex(inUse.reads());
        ensureIndex(inUse.writes());
    }

    void ensureIndex(String version) {
        timelines(version).createIndex(Indexes.ascending("_id", "lastSequence"),
                new IndexOptions().unique(true).name("timeline_version"));
    }

    /** A version's timelines. */
    MongoCollection<Document> timelines(String version) {
        return database.getCollection(version);
    }

    /** A version's archived pages of steps. */
    MongoCollection<Document> pages(String version) {
        return database.getCollection(FIRST_VERSION.equals(version) ? "timeline_steps" : version + "_steps");
    }

    /**
     * The versions in use, as this instance read them at most a second ago (every reader and writer asks: one read of
     * one document a second). A writer that still wrote the version writes left is covered by the rebuild, which goes
     * on applying every event to both versions after the switch.
     */
    Versions versions() {
        Versions known = current;
        if (known == null || System.nanoTime() - currentReadAt > VERSIONS_TTL.toNanos()) {
            known = readVersions();
        }
        return known;
    }

    /** The versions in use, read now. */
    Versions readVersions() {
        Document document = versions.find(eq("_id", VERSIONS_ID)).first();
        if (document == null) {
            throw new IllegalStateException("the timelines' versions document (read_model_versions, _id timelines) is"
                    + " missing: it names the collections timelines are read from and written to");
        }
        Versions read = new Versions(document.getString("reads"), document.getString("writes"));
        current = read;
        currentReadAt = System.nanoTime();
        return read;
    }

    /** Points reads or writes ({@code "reads"}, {@code "writes"}) at a version. */
    void point(String which, String version) {
        versions.updateOne(eq("_id", VERSIONS_ID), new Document("$set", new Document(which, version)));
        readVersions();
    }

    /** The version reads go to now: a request reads all it needs (a timeline, then its pages) from this one. */
    public String readVersion() {
        return versions().reads();
    }

    public Optional<Timeline> find(String version, String dossierId) {
        Document document = timelines(version).find(eq("_id", dossierId)).first();
        return document == null ? Optional.empty() : Optional.of(parse(dossierId, document));
    }

    public Optional<String> dossierIdForCode(String dossierCode) {
        Document document = codes.find(eq("_id", dossierCode)).first();
        return Optional.ofNullable(document).map(d -> d.getString("dossierId"));
    }

    /** The timelines of these dossiers in one version, read by {@code _id}; dossiers without one are absent. */
    Map<String, Timeline> findAll(String version, Collection<String> dossierIds) {
        Map<String, Timeline> found = new HashMap<>();
        if (dossierIds.isEmpty()) {
            return found;
        }
        for (Document document : timelines(version).find(new Document("_id", new Document("$in", List.copyOf(dossierIds))))) {
            String id = document.getString("_id");
            found.put(id, parse(id, document));
        }
        return found;
    }

    /** Every step of these dossiers' timelines, the archived ones put back in front (for a comparison with the store). */
    Map<String, Timeline> findWhole(String version, Collection<String> dossierIds) {
        MongoCollection<Document> archived = pages(version);
        Map<String, Timeline> whole = new HashMap<>();
        findAll(version, dossierIds).forEach((id, timeline) -> {
            int pages = timeline.archivedSteps() / PAGE;
            Map<String, Document> found = new HashMap<>();
            if (pages > 0) {
                List<String> ids = new ArrayList<>();
                for (int page = 0; page < pages; page++) {
                    ids.add(pageId(id, page));
                }
                archived.find(new Document("_id", new Document("$in", ids)))
                        .forEach(document -> found.put(document.getString("_id"), document));
            }
            List<Timeline.Step> steps = new ArrayList<>();
            for (int page = 0; page < pages; page++) {
                steps.addAll(pageSteps(id, page, found.get(pageId(id, page))));
            }
            whole.put(id, timeline.whole(steps));
        });
        return whole;
    }

    /**
     * One page of a timeline's archived steps (page 0: the earliest). Only pages the timeline says it archived may be
     * asked for: a missing one is damage, never an empty page.
     */
    List<Timeline.Step> archivedPage(String version, String dossierId, int page) {
        return pageSteps(dossierId, page, pages(version).find(eq("_id", pageId(dossierId, page))).first());
    }

    private List<Timeline.Step> pageSteps(String dossierId, int page, Document document) {
        if (document == null) {
            throw new IllegalStateException("timeline page " + pageId(dossierId, page) + " is missing, though its"
                    + " timeline archived it: the read model is damaged (a rebuild of the timelines restores it)");
        }
        try {
            return List.of(json.readValue(document.toJson(), ArchivedPage.class).steps());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable timeline page " + pageId(dossierId, page), e);
        }
    }

    /** A page as stored; {@code _id} and {@code dossierId} are ignored when read. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ArchivedPage(int page, Timeline.Step[] steps) {
    }

    private static String pageId(String dossierId, int page) {
        return dossierId + "#" + page;
    }

    private Timeline parse(String dossierId, Document document) {
        document.remove("_id");
        try {
            return json.readValue(document.toJson(), Timeline.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable timeline " + dossierId, e);
        }
    }

    /**
     * Replaces each timeline whole where the stored one is still the one it was computed from (or inserts it where
     * there was none), and records dossier codes. Reports the timelines found moved on (stale: nothing written) and
     * the dossiers whose timeline MongoDB refused (a write error: too large, say), with the error's code; a failure of
     * the whole request (unreachable, timed out) is thrown, so that the batch is retried.
     */
    Written saveAll(String version, Collection<Write<Timeline>> updated) {
        MongoCollection<Document> timelines = timelines(version);
        MongoCollection<Document> archived = pages(version);
        List<Write<Timeline>> batch = List.copyOf(updated);
        List<WriteModel<Document>> writes = new ArrayList<>();
        List<ReplaceOneModel<Document>> codeWrites = new ArrayList<>();
        List<InsertOneModel<Document>> pageWrites = new ArrayList<>();
        List<String> pageOwners = new ArrayList<>();
        for (Write<Timeline> write : batch) {
            Timeline timeline = write.entry();
            if (timeline.steps().size() >= SPILL_AT) {
                int moved = (timeline.steps().size() - PAGE) / PAGE * PAGE;
                for (int first = 0; first < moved; first += PAGE) {
                    int page = (timeline.archivedSteps() + first) / PAGE;
                    Document content;
                    try {
                        content = Document.parse(json.writeValueAsString(new ArchivedPage(page,
                                timeline.steps().subList(first, first + PAGE).toArray(Timeline.Step[]::new))));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("cannot write timeline " + timeline.dossierId(), e);
                    }
                    content.put("_id", pageId(timeline.dossierId(), page));
                    content.put("dossierId", timeline.dossierId());
                    pageWrites.add(new InsertOneModel<>(content));
                    pageOwners.add(timeline.dossierId());
                }
                timeline = timeline.archiving(moved);
            }
            Document document;
            try {
                document = Document.parse(json.writeValueAsString(timeline));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write timeline " + timeline.dossierId(), e);
            }
            document.put("_id", timeline.dossierId());
            writes.add(write.replaces() < 0 ? new InsertOneModel<>(document)
                    : new ReplaceOneModel<>(new Document("_id", timeline.dossierId())
                    .append("lastSequence", write.replaces()), document, new ReplaceOptions().upsert(true)));
            if (timeline.dossierCode() != null) {
                codeWrites.add(new ReplaceOneModel<>(new Document("_id", timeline.dossierCode()),
                        new Document("_id", timeline.dossierCode()).append("dossierId", timeline.dossierId()),
                        new ReplaceOptions().upsert(true)));
            }
        }
        Map<String, String> refused = new LinkedHashMap<>();
        Set<String> stale = new LinkedHashSet<>();
        if (!pageWrites.isEmpty()) {
            // the pages first: a timeline never says it archived steps that are not stored
            try {
                archived.bulkWrite(pageWrites, new BulkWriteOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                for (BulkWriteError error : e.getWriteErrors()) {
                    if (ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                        continue; // written already, by a retry or another instance: the same page
                    }
                    refused.put(pageOwners.get(error.getIndex()), "MongoDB write error " + error.getCode() + " ("
                            + error.getCategory() + ") on an archived page");
                }
                if (e.getWriteConcernError() != null) {
                    throw e;
                }
            }
        }
        if (!refused.isEmpty()) {
            // a timeline whose page was refused is not written over: its dossier is parked with its events
            List<WriteModel<Document>> kept = new ArrayList<>();
            List<Write<Timeline>> keptBatch = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (!refused.containsKey(batch.get(i).entry().dossierId())) {
                    kept.add(writes.get(i));
                    keptBatch.add(batch.get(i));
                }
            }
            writes = kept;
            batch = keptBatch;
        }
        if (!writes.isEmpty()) {
            try {
                timelines.bulkWrite(writes, new BulkWriteOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                for (BulkWriteError error : e.getWriteErrors()) {
                    String dossierId = batch.get(error.getIndex()).entry().dossierId();
                    if (ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                        stale.add(dossierId);
                    } else {
                        refused.put(dossierId, "MongoDB write error " + error.getCode() + " (" + error.getCategory()
                                + ")");
                    }
                }
                if (e.getWriteConcernError() != null) {
                    throw e;
                }
            }
        }
        if (!codeWrites.isEmpty()) {
            codes.bulkWrite(codeWrites, new BulkWriteOptions().ordered(false));
        }
        return new Written(refused, stale);
    }

    /** A processor reset: the version writes go to is emptied (and the codes). */
    void dropAll() {
        String version = readVersions().writes();
        timelines(version).drop();
        pages(version).drop();
        codes.drop();
        ensureIndex(version);
    }
}
