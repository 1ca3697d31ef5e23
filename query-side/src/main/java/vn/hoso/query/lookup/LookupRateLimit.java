package vn.hoso.query.lookup;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import org.bson.Document;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * How many lookups one client may make in a window, and how many misses one dossier code may have, counted in MongoDB so
 * that every query-side instance shares the counts (fixed windows: one document per client or code and window, {@code $inc}ed). A window's
 * documents are deleted once it is over (a TTL index on a real server; the emulator ignores it, so the service also
 * deletes them itself every minute).
 */
public class LookupRateLimit {

    private final MongoCollection<Document> windows;
    private final LookupProperties limits;
    private final Clock clock;
    private volatile java.util.concurrent.ExecutorService cleaner;

    public LookupRateLimit(MongoCollection<Document> windows, LookupProperties limits, Clock clock) {
        this.windows = windows;
        this.limits = limits;
        this.clock = clock;
        windows.createIndex(Indexes.ascending("expiresAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
    }

    /**
     * Counts one lookup by this client; the seconds until it may look up again when this one is over its limit, 0 when
     * it is allowed. Checked first: a client over its limit counts against no dossier code.
     */
    public long admitClient(String client) {
        Window window = window();
        return increment("client:" + client + ":" + window.start(), window.end()) > limits.perClient()
                ? window.secondsLeft() : 0;
    }

    /**
     * The seconds until this code may be looked up again when it has had its window's share of misses (a secret guessed
     * at, from anywhere), 0 when it may be: then no secret is checked against it, the right one neither.
     */
    public long codeBlocked(String dossierCode) {
        Window window = window();
        Document misses = windows.find(Filters.eq("_id", "code:" + dossierCode + ":" + window.start())).first();
        return misses != null && misses.get("n", Number.class).longValue() >= limits.perCode() ? window.secondsLeft() : 0;
    }

    /** Counts a miss of this code (a secret that does not match it, or a code that matches nothing). */
    public void missed(String dossierCode) {
        Window window = window();
        increment("code:" + dossierCode + ":" + window.start(), window.end());
    }

    private record Window(long start, long end, long now) {
        long secondsLeft() {
            return Math.max(1, (end - now + 999) / 1000);
        }
    }

    private Window window() {
        long length = limits.window().toMillis();
        long now = clock.millis();
        long start = now - Math.floorMod(now, length);
        return new Window(start, start + length, now);
    }

    /** The executor that deletes the ended windows, stopped with this limit. */
    void cleanedBy(java.util.concurrent.ExecutorService cleaner) {
        this.cleaner = cleaner;
    }

    /** Stops deleting ended windows. */
    public void shutdownNow() {
        if (cleaner != null) {
            cleaner.shutdownNow();
        }
    }

    /** Deletes the windows that are over (a real server's TTL index does the same). */
    public void deleteEnded() {
        windows.deleteMany(Filters.lt("expiresAt", new Date(clock.millis() - Duration.ofMinutes(1).toMillis())));
    }

    private long increment(String id, long expires) {
        Document update = new Document("$inc", new Document("n", 1L))
                .append("$setOnInsert", new Document("expiresAt", new Date(expires)));
        FindOneAndUpdateOptions upsert = new FindOneAndUpdateOptions().upsert(true)
                .returnDocument(ReturnDocument.AFTER);
        for (int attempt = 1; ; attempt++) {
            try {
                Document counted = windows.findOneAndUpdate(Filters.eq("_id", id), update, upsert);
                return counted == null ? 1 : counted.get("n", Number.class).longValue();
            } catch (MongoCommandException | MongoWriteException e) {
                // two instances inserting the same window at once: one insert loses, and increments the other's
                int code = e instanceof MongoCommandException c ? c.getErrorCode()
                        : ((MongoWriteException) e).getError().getCode();
                if (ErrorCategory.fromErrorCode(code) != ErrorCategory.DUPLICATE_KEY || attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
