package vn.hoso.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Events stored before due dates carried {@code provisional} read as counted on decreed years; new ones keep it. */
class DossierClockJsonTest {

    @Test
    void aClockStoredBeforeTheFlagReadsAsNotProvisional() throws Exception {
        DossierClock clock = EventJson.mapper().readValue("""
                {"dueAt":"2026-03-09T10:00:00Z","statutoryDueAt":"2026-03-09T10:00:00Z",
                 "pausedWorkingMinutes":0,"pausedWorkingDays":0}""", DossierClock.class);
        assertThat(clock.provisional()).isFalse();
        assertThat(clock.dueAt()).isEqualTo(Instant.parse("2026-03-09T10:00:00Z"));
    }

    @Test
    void theFlagSurvivesARoundTrip() throws Exception {
        DossierClock clock = new DossierClock(Instant.parse("2027-03-08T10:00:00Z"),
                Instant.parse("2027-03-08T10:00:00Z"), 0, 0, true);
        String json = EventJson.mapper().writeValueAsString(clock);
        assertThat(EventJson.mapper().readValue(json, DossierClock.class)).isEqualTo(clock);
    }
}
