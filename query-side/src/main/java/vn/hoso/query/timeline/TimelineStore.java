package vn.hoso.query.timeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.springframework.stereotype.Component;
import vn.hoso.events.EventJson;

import java.util.Optional;

import static com.mongodb.client.model.Filters.eq;

/**
 * Timelines in MongoDB, one document per dossier keyed by its id (reads and writes hit {@code _id}, the one key the
 * emulator indexes), replaced whole; and dossier code → dossier id in a second collection keyed by the code.
 */
@Component
public class TimelineStore {

    private final MongoCollection<Document> timelines;
    private final MongoCollection<Document> codes;
    private final ObjectMapper json = EventJson.mapper();

    public TimelineStore(MongoDatabase readModelDatabase) {
        this.timelines = readModelDatabase.getCollection("timelines");
        this.codes = readModelDatabase.getCollection("timeline_codes");
    }

    public Optional<Timeline> find(String dossierId) {
        Document document = timelines.find(eq("_id", dossierId)).first();
        if (document == null) {
            return Optional.empty();
        }
        document.remove("_id");
        try {
            return Optional.of(json.readValue(document.toJson(), Timeline.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable timeline " + dossierId, e);
        }
    }

    public Optional<String> dossierIdForCode(String dossierCode) {
        Document document = codes.find(eq("_id", dossierCode)).first();
        return Optional.ofNullable(document).map(d -> d.getString("dossierId"));
    }

    void save(Timeline timeline) {
        try {
            Document document = Document.parse(json.writeValueAsString(timeline));
            document.put("_id", timeline.dossierId());
            timelines.replaceOne(eq("_id", timeline.dossierId()), document, new ReplaceOptions().upsert(true));
            if (timeline.dossierCode() != null) {
                codes.replaceOne(eq("_id", timeline.dossierCode()),
                        new Document("_id", timeline.dossierCode()).append("dossierId", timeline.dossierId()),
                        new ReplaceOptions().upsert(true));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write timeline " + timeline.dossierId(), e);
        }
    }

    void dropAll() {
        timelines.drop();
        codes.drop();
    }
}
