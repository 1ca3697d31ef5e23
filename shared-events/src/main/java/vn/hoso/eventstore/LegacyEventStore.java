package vn.hoso.eventstore;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import org.axonframework.common.DateTimeUtils;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores written by the previous engine (axon-mongo's {@code MongoEventStorageEngine}: collection {@code domainevents},
 * no positions, timestamp-based {@code MongoTrackingToken}s in {@code trackingtokens}). Such a store is refused at start
 * until it is migrated once: every event is copied to the positioned collection, positions given in
 * {@code (timestamp, aggregateIdentifier, sequenceNumber)} order, and every processor that stored a Mongo tracking
 * token loses its tokens, so that it reads the whole stream again into its read models (whose writes are idempotent).
 * The old collection is left as it was, for the operator to drop.
 */
public final class LegacyEventStore {

    public static final String LEGACY_EVENTS = "domainevents";
    public static final String TOKENS = "trackingtokens";
    private static final String MARKER = "migrated-from-" + LEGACY_EVENTS;
    private static final String LEGACY_TOKEN_TYPE = "MongoTrackingToken";
    private static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(LegacyEventStore.class);

    private final MongoDatabase database;
    private final MongoCollection<Document> legacy;
    private final MongoCollection<Document> events;
    private final MongoCollection<Document> positions;

    public LegacyEventStore(MongoDatabase database, String eventsCollection, String positionsCollection) {
        this.database = database;
        this.legacy = database.getCollection(LEGACY_EVENTS);
        this.events = database.getCollection(eventsCollection);
        this.positions = database.getCollection(positionsCollection);
    }

    /** With the engine's default collection names. */
    public LegacyEventStore(MongoDatabase database) {
        this(database, "events", "event_positions");
    }

    /** True when the database holds events of the previous engine that were never migrated. */
    public boolean needsMigration() {
        return legacy.find().limit(1).first() != null
                && positions.find(EventDocuments.byKey(MARKER)).first() == null;
    }

    /** Refuses a database that holds unmigrated events, saying how to migrate it. */
    public void refuseIfUnmigrated(String howToMigrate) {
        if (needsMigration()) {
            throw new IllegalStateException("database '" + database.getName() + "' holds events written by the previous"
                    + " event store (collection " + LEGACY_EVENTS + ", without global positions). Migrate it once: "
                    + howToMigrate + ". Or start on a new, empty database.");
        }
    }

    /**
     * Migrates the store if it needs it, before the engine is built on it.
     *
     * @param clock stamps the migration's marker
     * @return how many events were migrated (0 when there was nothing to do)
     */
    public long migrateIfNeeded(java.time.Clock clock) {
        if (!needsMigration()) {
            return 0;
        }
        if (events.find().limit(1).first() != null) {
            throw new IllegalStateException("database '" + database.getName() + "' holds events of both engines:"
                    + " the positioned collection must be empty before a migration");
        }
        List<Key> keys = legacy.find().projection(Projections.include("timestamp", EventDocuments.AGGREGATE,
                EventDocuments.SEQUENCE)).map(Key::of).into(new ArrayList<>());
        keys.sort(Key.ORDER);
        log.info("migrating {} events of database '{}' from {} to positions", keys.size(), database.getName(),
                LEGACY_EVENTS);
        long position = 0;
        for (int from = 0; from < keys.size(); from += BATCH) {
            List<Key> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
            Map<Object, Document> byId = new HashMap<>();
            legacy.find(new Document("_id", new Document("$in", batch.stream().map(Key::id).toList())))
                    .forEach(document -> byId.put(document.get("_id"), document));
            List<Document> positioned = new ArrayList<>(batch.size());
            for (Key key : batch) {
                Document document = new Document(byId.get(key.id()));
                document.put(EventDocuments.POSITION, ++position);
                positioned.add(document);
            }
            events.insertMany(positioned, new InsertManyOptions().ordered(true));
        }
        positions.replaceOne(EventDocuments.byKey("events"), new Document(EventDocuments.POSITION, "events")
                .append("last", position), new ReplaceOptions().upsert(true));
        Set<String> reset = removeLegacyTokens();
        positions.insertOne(new Document(EventDocuments.POSITION, MARKER).append("events", position)
                .append("at", clock.instant().toString()).append("processorsReset", new ArrayList<>(reset)));
        log.info("migrated {} events; processors that will read the whole stream again: {}", position, reset);
        return position;
    }

    private Set<String> removeLegacyTokens() {
        MongoCollection<Document> tokens = database.getCollection(TOKENS);
        Set<String> processors = new HashSet<>();
        for (Document token : tokens.find()) {
            if (isLegacy(token)) {
                processors.add(token.getString("processorName"));
            }
        }
        for (String processor : processors) {
            for (Document token : tokens.find(new Document("processorName", processor))) {
                tokens.deleteOne(EventDocuments.byKey(token.get("_id")));
            }
        }
        return processors;
    }

    private static boolean isLegacy(Document token) {
        String type = token.getString("tokenType");
        Object data = token.get("token");
        String serialized = data instanceof Binary binary ? new String(binary.getData(), StandardCharsets.UTF_8)
                : data instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(data);
        return (type != null && type.contains(LEGACY_TOKEN_TYPE)) || serialized.contains(LEGACY_TOKEN_TYPE);
    }

    private record Key(Object id, Instant timestamp, String aggregate, long sequence) {

        static final Comparator<Key> ORDER = Comparator.comparing(Key::timestamp).thenComparing(Key::aggregate)
                .thenComparingLong(Key::sequence);

        static Key of(Document document) {
            return new Key(document.get("_id"), DateTimeUtils.parseInstant(document.getString("timestamp")),
                    document.getString(EventDocuments.AGGREGATE), document.get(EventDocuments.SEQUENCE, Number.class)
                    .longValue());
        }
    }
}
