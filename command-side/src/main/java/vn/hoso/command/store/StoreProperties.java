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
 */
@ConfigurationProperties("hoso.store")
public record StoreProperties(@DefaultValue("hoso") String database,
                              @DefaultValue("20000") long aggregateCacheSize,
                              @DefaultValue("false") boolean migrateLegacyEvents) {
}
