package vn.hoso.query.timeline;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.hoso.query.store.ReadModelRebuild;
import vn.hoso.query.store.Rebuilds;

import java.time.Clock;

/** The timelines' rebuild beside the live ones (see {@link Rebuilds} for its settings). */
@Configuration(proxyBeanMethods = false)
class TimelineConfiguration {

    @Bean(destroyMethod = "stop")
    ReadModelRebuild<Timeline> timelinesRebuild(Rebuilds rebuilds, TimelineProjection timelines) {
        return rebuilds.of(timelines, Clock.systemUTC());
    }
}
