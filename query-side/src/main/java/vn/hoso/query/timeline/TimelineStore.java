package vn.hoso.query.timeline;

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
 */
@Component
public class TimelineStore {

    private final MongoCollection<Document> timelines;
    private final MongoCollection<Document> codes;
    private final ObjectMapper json = EventJson.mapper();

    public TimelineStore(MongoDatabase readModelDatabase) {
        this.timelines = readModelDatabase.getCollection("timelines");
        this.codes = readModelDatabase.getCollection("timeline_codes");
        ensureIndex();
    }

    private void ensureIndex() {
        timelines.createIndex(Indexes.ascending("_id", "lastSequence"),
                new IndexOptions().unique(true).name("timeline_version"));
    }

    public Optional<Timeline> find(String dossierId) {
        Document document = timelines.find(eq("_id", dossierId)).first();
        return document == null ? Optional.empty() : Optional.of(parse(dossierId, document));
    }

    public Optional<String> dossierIdForCode(String dossierCode) {
        Document document = codes.find(eq("_id", dossierCode)).first();
        return Optional.ofNullable(document).map(d -> d.getString("dossierId"));
    }

    /** The timelines of these dossiers, read by {@code _id}; dossiers without one are absent. */
    Map<String, Timeline> findAll(Collection<String> dossierIds) {
        Map<String, Timeline> found = new HashMap<>();
        if (dossierIds.isEmpty()) {
            return found;
        }
        for (Document document : timelines.find(new Document("_id", new Document("$in", List.copyOf(dossierIds))))) {
            String id = document.getString("_id");
            found.put(id, parse(id, document));
        }
        return found;
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
    Written saveAll(Collection<Write<Timeline>> updated) {
        List<Write<Timeline>> batch = List.copyOf(updated);
        List<WriteModel<Document>> writes = new ArrayList<>();
        List<ReplaceOneModel<Document>> codeWrites = new ArrayList<>();
        for (Write<Timeline> write : batch) {
            Timeline timeline = write.entry();
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

    void dropAll() {
        timelines.drop();
        codes.drop();
        ensureIndex();
    }
}
