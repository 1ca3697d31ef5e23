package vn.hoso.eventstore;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;

/**
 * The guarantees both sides ask of MongoDB, unless the URI names its own: every write acknowledged by a majority of the
 * replica set and journalled ({@code w=majority&journal=true}), so that nothing a service was told is stored (an
 * event, a dossier code's reservation, a read model's entry, a tracking token) is lost to a failover. The stream's
 * reads take {@code readConcern=majority} in the engine ({@link PositionedMongoEventStorageEngine#committed}). The
 * driver's retryable writes stay on (its default): a retried append is settled by the engine and lands once. No
 * session is needed for any of it (the emulator has none). A standalone server, and the emulator, take
 * {@code w=majority} as an acknowledged write.
 */
public final class StoreGuarantees {

    /** What the services write with when the URI names no write concern. */
    public static final WriteConcern WRITES = WriteConcern.MAJORITY.withJournal(true);

    private StoreGuarantees() {
    }

    /** Sets {@link #WRITES} on the client, unless {@code uri} names a write concern ({@code w=}, {@code journal=}). */
    public static void apply(MongoClientSettings.Builder settings, ConnectionString uri) {
        if (uri == null || uri.getWriteConcern() == null) {
            settings.writeConcern(WRITES);
        }
    }
}
