package vn.hoso.query.it;

import org.axonframework.eventhandling.GenericEventMessage;
import org.springframework.boot.SpringApplication;
import vn.hoso.command.CommandSideApplication;

import java.time.Clock;
import java.time.Duration;

/**
 * The command side on a clock {@code -Dhoso.test.clock-offset} (an ISO-8601 duration) away from the machine's, as an
 * instance on another host whose clock is off would be: the domain's clock and the events' timestamps both.
 */
public final class SkewedCommandSide {

    private SkewedCommandSide() {
    }

    public static void main(String[] args) {
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.parse(System.getProperty("hoso.test.clock-offset", "PT0S")));
        GenericEventMessage.clock = clock;
        SpringApplication application = CommandSideApplication.application();
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("skewedClock", clock));
        application.run(args);
    }
}
