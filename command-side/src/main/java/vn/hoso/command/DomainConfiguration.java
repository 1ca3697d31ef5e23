package vn.hoso.command;

import com.mongodb.client.MongoClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import vn.hoso.calendar.CalendarConfig;
import vn.hoso.calendar.WorkingCalendar;
import vn.hoso.command.dossier.DossierCodeRegistry;
import vn.hoso.events.DossierReceived;
import vn.hoso.command.procedure.ProcedureCatalogue;
import vn.hoso.command.store.StoreProperties;

import java.time.Clock;

/** The domain's collaborators: time, the working calendar, the procedure catalogue, dossier codes, languages. */
@Configuration(proxyBeanMethods = false)
class DomainConfiguration {

    /** The system clock in UTC, unless a test brings its own. */
    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    /** {@code hoso.calendar.*}, the same settings and defaults as the query side's (one record, in shared-events). */
    @Bean
    CalendarConfig calendarConfig(Environment environment) {
        return Binder.get(environment).bindOrCreate(CalendarConfig.PREFIX, CalendarConfig.class);
    }

    @Bean
    WorkingCalendar workingCalendar(CalendarConfig config) {
        return config.load();
    }

    /** Readiness is DOWN while the calendar reaches less than {@code hoso.calendar.ready-ahead} ahead of today. */
    @Bean
    HealthIndicator calendarHealthIndicator(WorkingCalendar calendar, CalendarConfig config, Clock clock) {
        return () -> {
            CalendarConfig.Coverage coverage = config.coverage(calendar, clock.instant());
            return (coverage.enough() ? Health.up() : Health.down()).withDetail("lastYear", coverage.lastYear())
                    .withDetail("mustCover", coverage.needed().toString()).build();
        };
    }

    @Bean
    ProcedureCatalogue procedureCatalogue() {
        return ProcedureCatalogue.loadFromClasspath(ProcedureCatalogue.DEFAULT_RESOURCE);
    }

    @Bean
    DossierCodeRegistry dossierCodeRegistry(MongoClient client, StoreProperties store, EventStorageEngine events,
                                            MeterRegistry meters, Clock clock) {
        DossierCodeRegistry registry = new DossierCodeRegistry(client.getDatabase(store.database()),
                (dossierId, code) -> events.readEvents(dossierId).asStream().anyMatch(
                        event -> event.getPayload() instanceof DossierReceived received
                                && code.equals(received.dossierCode())), clock);
        FunctionCounter.builder("hoso.dossier.codes.alarms", registry, DossierCodeRegistry::alarms)
                .description("receipts whose code reservation was gone when they were confirmed").register(meters);
        return registry;
    }

}
