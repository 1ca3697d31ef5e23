package vn.hoso.query.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Event stream settings ({@code hoso.store.*}).
 *
 * @param database     the MongoDB database holding the events (the command side's) and this side's read models
 * @param lookBackTime how far back a tracking query looks for events committed late; an event committed later
 *                     than this behind newer ones is found by gap repair instead
 */
@ConfigurationProperties("hoso.store")
public record StoreProperties(@DefaultValue("hoso") String database,
                              @DefaultValue("10s") Duration lookBackTime) {
}
