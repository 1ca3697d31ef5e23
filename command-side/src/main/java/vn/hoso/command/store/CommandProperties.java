package vn.hoso.command.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How commands are run ({@code hoso.commands.*}).
 *
 * @param timeout      every command is answered within this time: its result, or a 503 with {@code Retry-After}
 * @param workers      commands run at once on this instance (the threads that run them; a retry takes one too)
 * @param maxQueued    commands waiting for a worker; one more is answered 503 at once
 * @param maxRetries   retries of a command that met a transient failure (its append collided with another, the
 *                     store's connection was lost before anything was appended)
 * @param retryBackoff the wait before the first retry; doubled before each next one
 */
@ConfigurationProperties("hoso.commands")
public record CommandProperties(@DefaultValue("5s") Duration timeout,
                                @DefaultValue("64") int workers,
                                @DefaultValue("1000") int maxQueued,
                                @DefaultValue("4") int maxRetries,
                                @DefaultValue("20ms") Duration retryBackoff) {

    public CommandProperties {
        if (timeout.toMillis() < 100) {
            throw new IllegalArgumentException("hoso.commands.timeout must be at least 100ms, not " + timeout);
        }
        if (workers < 1 || maxQueued < 0 || maxRetries < 0 || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("hoso.commands: workers must be at least 1, max-queued, max-retries and"
                    + " retry-backoff not negative");
        }
    }
}
