package vn.hoso.command.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.Api.Answer;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.*;

/**
 * The working calendar's edge, on a fixed clock: Monday 2026-12-28 with only the 2025 and 2026 calendar files
 * configured. Readiness is DOWN (the calendar does not reach 6 months ahead), and a receipt whose due date would fall
 * in 2027 is a 422 problem naming the calendar's end, never a 5xx, and appends nothing.
 */
class CalendarLimitsIT {

    private static TestMongo mongo;
    private static CommandSide app;

    @BeforeAll
    static void start() {
        mongo = TestMongo.start();
        app = CommandSide.start(mongo, Clock.fixed(Instant.parse("2026-12-28T02:00:00Z"), ZoneOffset.UTC),
                "--hoso.calendar.years=2025,2026");
    }

    @AfterAll
    static void stop() {
        app.close();
        mongo.close();
    }

    @Test
    void readinessIsDownWhileTheCalendarEndsWithinSixMonths() {
        Answer readiness = app.api().get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.body().path("status").asText()).isEqualTo("DOWN");
        assertThat(app.api().get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void aDueDatePastTheCalendarIsAProblemForTheCallerAndAppendsNothing() {
        Api api = app.api();
        String id = api.post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"), CITIZEN)
                .body().path("dossierId").asText();
        long stored = mongo.eventCount();
        Answer receipt = api.post("/api/v1/dossiers/" + id + "/receipt", "{}", with(OFFICER, "Accept-Language", "en"));
        assertThat(receipt.status()).as(receipt.body().toString()).isEqualTo(422);
        assertThat(receipt.code()).isEqualTo("CALENDAR_NOT_AVAILABLE");
        assertThat(receipt.body().path("detail").asText()).contains("2026");
        assertThat(mongo.eventCount()).isEqualTo(stored);
    }
}
