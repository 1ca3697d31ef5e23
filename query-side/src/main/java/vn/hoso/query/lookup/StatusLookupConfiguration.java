package vn.hoso.query.lookup;

import com.mongodb.client.MongoDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.hoso.query.store.DaemonScheduler;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The public status lookup's rate limit, counted in {@code lookup_rate_windows}, its ended windows deleted. */
@Configuration(proxyBeanMethods = false)
public class StatusLookupConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StatusLookupConfiguration.class);

    /** The rate limit; the windows that ended are deleted every minute (a real server's TTL index does it too). */
    @Bean(destroyMethod = "shutdownNow")
    LookupRateLimit lookupRateLimit(MongoDatabase readModelDatabase, LookupProperties properties, Clock clock) {
        LookupRateLimit limit = new LookupRateLimit(readModelDatabase.getCollection("lookup_rate_windows"), properties,
                clock);
        ScheduledExecutorService cleaner = DaemonScheduler.named("hoso-lookup-windows");
        cleaner.scheduleWithFixedDelay(() -> {
            try {
                limit.deleteEnded();
            } catch (RuntimeException e) {
                log.warn("the lookup rate limit's ended windows could not be deleted now, tried again in a minute: {}",
                        e.toString());
            }
        }, 1, 1, TimeUnit.MINUTES);
        limit.cleanedBy(cleaner);
        return limit;
    }
}
