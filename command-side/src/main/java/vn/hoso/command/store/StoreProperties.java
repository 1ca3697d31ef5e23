package vn.hoso.command.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Event store settings ({@code hoso.store.*}).
 *
 * @param database            the MongoDB database holding events, snapshots and dossier codes
 * @param aggregateCacheSize  how many dossiers stay warm in memory (0 switches the cache off)
 * @param migrateLegacyEvents migrate a store written by the previous engine (no positions) at start; without it such
 *                            a store is refused
 * @param connectTimeout         how long opening a connection to MongoDB may take
 * @param serverSelectionTimeout how long an operation waits for a server to send it to (the driver's default is 30 s)
 * @param socketTimeout          how long an operation waits for an answer (the driver's default is forever); the
 *                               three apply unless {@code MONGODB_URI} names them itself
 */
@ConfigurationProperties("hoso.store")
public record StoreProperties(@DefaultValue("hoso") String database,
                              @DefaultValue("20000") long aggregateCacheSize,
                              @DefaultValue("false") boolean migrateLegacyEvents,
                              @DefaultValue("2s") java.time.Duration connectTimeout,
                              @DefaultValue("3s") java.time.Duration serverSelectionTimeout,
                              @DefaultValue("10s") java.time.Duration socketTimeout) {
}
