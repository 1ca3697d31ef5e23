package vn.hoso.calendar;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One year's days off and make-up working Saturdays, loaded from calendar/{year}.json on the classpath.
 * {@code provisional} marks a year whose days off are not decreed yet; {@code source} says where the
 * dates come from.
 */
public record CalendarYear(int year, boolean provisional, String source, List<Holiday> holidays, List<LocalDate> makeUpWorkingDays) {

    public CalendarYear {
        holidays = holidays == null ? List.of() : List.copyOf(holidays);
        makeUpWorkingDays = makeUpWorkingDays == null ? List.of() : List.copyOf(makeUpWorkingDays);
        for (Holiday holiday : holidays) {
            requireInYear(year, holiday.date());
        }
        for (LocalDate day : makeUpWorkingDays) {
            requireInYear(year, Objects.requireNonNull(day, "makeUpWorkingDays entry"));
            if (holidays.stream().anyMatch(h -> h.date().equals(day))) {
                throw new IllegalArgumentException(day + " is listed both as a holiday and as a make-up working day");
            }
        }
    }

    private static void requireInYear(int year, LocalDate date) {
        if (date.getYear() != year) {
            throw new IllegalArgumentException(date + " does not belong to calendar year " + year);
        }
    }
}
