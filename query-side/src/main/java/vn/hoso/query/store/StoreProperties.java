package vn.hoso.query.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Event stream settings ({@code hoso.store.*}).
 *
 * @param database     the MongoDB database holding the events (the command side's) and this side's read models
 * @param gapTimeout   how long a position handed out to an append but not visible yet is waited for, re-read on every
 *                     poll, before the stream moves past it (logged and counted in {@code hoso.events.gap.timeouts})
 * @param pollInterval how often an idle stream asks the store for new events
 */
@ConfigurationProperties("hoso.store")
public record StoreProperties(@DefaultValue("hoso") String database,
                              @DefaultValue("60s") Duration gapTimeout,
                              @DefaultValue("50ms") Duration pollInterval) {
}
