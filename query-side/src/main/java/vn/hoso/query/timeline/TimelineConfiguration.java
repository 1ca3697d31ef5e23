package vn.hoso.query.timeline;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.hoso.query.search.ApplicantIdHasher;
import vn.hoso.query.store.ReadModelRebuild;
import vn.hoso.query.store.Rebuilds;

import java.time.Clock;

/** The timelines' rebuild beside the live ones (see {@link Rebuilds} for its settings). */
@Configuration(proxyBeanMethods = false)
class TimelineConfiguration {

    @Bean(destroyMethod = "stop")
    ReadModelRebuild<Timeline> timelinesRebuild(Rebuilds rebuilds, TimelineStore store, ApplicantIdHasher idHasher) {
        // versions are named by the wall clock's milliseconds, as the search index's are
        return rebuilds.of(new TimelineVersions(store, idHasher, Clock.systemUTC()), Clock.systemUTC());
    }
}
