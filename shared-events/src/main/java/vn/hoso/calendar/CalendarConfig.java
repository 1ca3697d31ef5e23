package vn.hoso.calendar;

import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The working calendar's configuration, the same on both sides ({@code hoso.calendar.*}, bound by each side from its
 * environment with {@link #PREFIX}; unset values take the defaults here, DOMAIN.md's): the time zone, the working
 * hours ({@code 07:30-11:30} ...), the receipt cut-off, the time a working day ends for due dates, the yearly data
 * files to load, and how far ahead the calendar must reach for a service to report itself ready.
 *
 * @param zone            e.g. {@code Asia/Ho_Chi_Minh}
 * @param workingHours    the working periods of a day, in order, as {@code HH:mm-HH:mm}
 * @param cutOff          a receipt after it counts as received on the next working day
 * @param endOfDay        the time of day a due date counted in working days falls at
 * @param years           the years whose data files ({@code calendar/YYYY.json}) are loaded
 * @param readyAhead      how far ahead of today the calendar must reach: less, and readiness is DOWN
 */
public record CalendarConfig(String zone, List<String> workingHours, LocalTime cutOff, LocalTime endOfDay,
                             List<Integer> years, Period readyAhead) {

    public static final String PREFIX = "hoso.calendar";

    public CalendarConfig {
        zone = zone == null ? "Asia/Ho_Chi_Minh" : zone;
        workingHours = workingHours == null || workingHours.isEmpty() ? List.of("07:30-11:30", "13:00-17:00")
                : List.copyOf(workingHours);
        cutOff = cutOff == null ? LocalTime.of(15, 0) : cutOff;
        endOfDay = endOfDay == null ? LocalTime.of(17, 0) : endOfDay;
        years = years == null || years.isEmpty() ? List.of(2025, 2026, 2027) : List.copyOf(years);
        readyAhead = readyAhead == null ? Period.ofMonths(6) : readyAhead;
    }

    /** DOMAIN.md's defaults. */
    public static CalendarConfig defaults() {
        return new CalendarConfig(null, null, null, null, null, null);
    }

    public CalendarSettings settings() {
        List<WorkingPeriod> periods = new ArrayList<>();
        for (String hours : workingHours) {
            String[] bounds = hours.trim().split("-");
            if (bounds.length != 2) {
                throw new IllegalArgumentException(PREFIX + ".working-hours: '" + hours + "' is not HH:mm-HH:mm");
            }
            periods.add(new WorkingPeriod(LocalTime.parse(bounds[0].trim()), LocalTime.parse(bounds[1].trim())));
        }
        return new CalendarSettings(ZoneId.of(zone), periods, cutOff, endOfDay);
    }

    /**
     * Whether the calendar reaches {@link #readyAhead} ahead of {@code now}: a service whose calendar ends sooner
     * reports itself not ready (receipts would soon fail to get a due date).
     *
     * @param needed   the last day that must be covered
     * @param lastYear the last year the calendar has data for
     */
    public record Coverage(boolean enough, java.time.LocalDate needed, int lastYear) {
    }

    public Coverage coverage(WorkingCalendar calendar, java.time.Instant now) {
        java.time.LocalDate today = now.atZone(ZoneId.of(zone)).toLocalDate();
        java.time.LocalDate needed = today.plus(readyAhead);
        return new Coverage(calendar.coversThrough(today, needed), needed, calendar.lastYear());
    }

    /** The calendar: these settings over the configured years' data files. */
    public WorkingCalendar load() {
        return WorkingCalendar.loadFromClasspath(settings(), years.stream().mapToInt(Integer::intValue).toArray());
    }
}
