package vn.hoso.command.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Event store settings ({@code hoso.store.*}).
 *
 * @param database     the MongoDB database holding events, snapshots and dossier codes
 * @param lookBackTime how far back a tracking query looks for events committed late (axon-mongo's window)
 * @param aggregateCacheSize how many dossiers stay warm in memory (0 switches the cache off)
 */
@ConfigurationProperties("hoso.store")
public record StoreProperties(@DefaultValue("hoso") String database,
                              @DefaultValue("10s") Duration lookBackTime,
                              @DefaultValue("20000") long aggregateCacheSize) {
}
