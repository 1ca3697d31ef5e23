package vn.hoso.query.it;

import org.springframework.boot.SpringApplication;
import vn.hoso.command.CommandSideApplication;

import java.time.Clock;
import java.time.Duration;

/**
 * A service on a clock of its own, started as a process: {@code -Dhoso.test.side} {@code command} or {@code query};
 * its clock is {@code -Dhoso.test.clock-offset} (an ISO-8601 duration) away from the machine's (the tests' fixed day,
 * plus any skew, as on a host whose clock is off): its "now" and the time it records events at.
 */
public final class ClockedService {

    private ClockedService() {
    }

    public static void main(String[] args) {
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.parse(System.getProperty("hoso.test.clock-offset", "PT0S")));
        SpringApplication application = "query".equals(System.getProperty("hoso.test.side"))
                ? vn.hoso.query.QuerySideApplication.application() : CommandSideApplication.application();
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("skewedClock", clock));
        application.run(args);
    }
}
