package vn.hoso.calendar;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks the data files against hand-written lists: every day off with the weekday it must fall on (checked
 * with java.time), and the make-up working days.
 */
class CalendarDataFilesTest {

    private static CalendarYear read(int year) throws IOException {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        try (InputStream in = CalendarDataFilesTest.class.getClassLoader().getResourceAsStream("calendar/" + year + ".json")) {
            assertThat(in).as("calendar/" + year + ".json").isNotNull();
            return mapper.readValue(in, CalendarYear.class);
        }
    }

    private static Map<LocalDate, DayOfWeek> daysOff(CalendarYear year) {
        Map<LocalDate, DayOfWeek> days = new LinkedHashMap<>();
        year.holidays().forEach(h -> days.put(h.date(), h.date().getDayOfWeek()));
        return days;
    }

    private static Map<LocalDate, DayOfWeek> expected(Object... dateThenWeekday) {
        Map<LocalDate, DayOfWeek> days = new LinkedHashMap<>();
        for (int i = 0; i < dateThenWeekday.length; i += 2) {
            days.put(LocalDate.parse((String) dateThenWeekday[i]), (DayOfWeek) dateThenWeekday[i + 1]);
        }
        return days;
    }

    @Test
    void year2025() throws IOException {
        CalendarYear year = read(2025);
        assertThat(year.year()).isEqualTo(2025);
        assertThat(year.provisional()).isFalse();
        assertThat(year.source()).isNotBlank();
        assertThat(daysOff(year)).containsExactlyInAnyOrderEntriesOf(expected(
                "2025-01-01", WEDNESDAY,
                "2025-01-27", MONDAY, "2025-01-28", TUESDAY, "2025-01-29", WEDNESDAY,
                "2025-01-30", THURSDAY, "2025-01-31", FRIDAY,
                "2025-04-07", MONDAY,
                "2025-04-30", WEDNESDAY, "2025-05-01", THURSDAY, "2025-05-02", FRIDAY,
                "2025-09-01", MONDAY, "2025-09-02", TUESDAY));
        assertThat(year.makeUpWorkingDays()).containsExactly(LocalDate.of(2025, 4, 26));
        assertThat(LocalDate.of(2025, 4, 26).getDayOfWeek()).isEqualTo(SATURDAY);
    }

    @Test
    void year2026() throws IOException {
        CalendarYear year = read(2026);
        assertThat(year.year()).isEqualTo(2026);
        assertThat(year.provisional()).isFalse();
        assertThat(year.source()).isNotBlank();
        assertThat(daysOff(year)).containsExactlyInAnyOrderEntriesOf(expected(
                "2026-01-01", THURSDAY,
                "2026-02-16", MONDAY, "2026-02-17", TUESDAY, "2026-02-18", WEDNESDAY,
                "2026-02-19", THURSDAY, "2026-02-20", FRIDAY,
                "2026-04-27", MONDAY,
                "2026-04-30", THURSDAY, "2026-05-01", FRIDAY,
                "2026-09-01", TUESDAY, "2026-09-02", WEDNESDAY));
        assertThat(year.makeUpWorkingDays()).isEmpty();
        // Hùng Kings' day (10/3 lunar) falls on a Sunday, hence the compensatory Monday
        assertThat(LocalDate.of(2026, 4, 26).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
    }

    @Test
    void year2027IsProvisional() throws IOException {
        CalendarYear year = read(2027);
        assertThat(year.year()).isEqualTo(2027);
        assertThat(year.provisional()).isTrue();
        assertThat(year.source()).isNotBlank();
        assertThat(daysOff(year)).containsExactlyInAnyOrderEntriesOf(expected(
                "2027-01-01", FRIDAY,
                "2027-02-04", THURSDAY, "2027-02-05", FRIDAY,
                "2027-02-08", MONDAY, "2027-02-09", TUESDAY, "2027-02-10", WEDNESDAY,
                "2027-04-16", FRIDAY,
                "2027-04-30", FRIDAY, "2027-05-03", MONDAY,
                "2027-09-02", THURSDAY, "2027-09-03", FRIDAY));
        assertThat(year.makeUpWorkingDays()).isEmpty();
        // Lunar New Year's Day and 1 May fall on Saturdays
        assertThat(LocalDate.of(2027, 2, 6).getDayOfWeek()).isEqualTo(SATURDAY);
        assertThat(LocalDate.of(2027, 5, 1).getDayOfWeek()).isEqualTo(SATURDAY);
    }
}
