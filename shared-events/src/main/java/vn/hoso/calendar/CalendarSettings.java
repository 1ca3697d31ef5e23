package vn.hoso.calendar;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * Configurable time rules: the zone all local dates and times are taken in, the working periods of a
 * working day (in order, not overlapping), the cut-off after which a receipt counts as received on the next
 * working day, and the local time a due date in working days falls at.
 */
public record CalendarSettings(ZoneId zone, List<WorkingPeriod> workingPeriods, LocalTime cutOff, LocalTime endOfDay) {

    public CalendarSettings {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(workingPeriods, "workingPeriods");
        Objects.requireNonNull(cutOff, "cutOff");
        Objects.requireNonNull(endOfDay, "endOfDay");
        workingPeriods = List.copyOf(workingPeriods);
        if (workingPeriods.isEmpty()) {
            throw new IllegalArgumentException("At least one working period is required");
        }
        for (int i = 1; i < workingPeriods.size(); i++) {
            WorkingPeriod previous = workingPeriods.get(i - 1);
            WorkingPeriod current = workingPeriods.get(i);
            if (current.start().isBefore(previous.end())) {
                throw new IllegalArgumentException(
                        "Working periods must be in order and must not overlap: " + previous + ", " + current);
            }
        }
    }

    /** Asia/Ho_Chi_Minh, 07:30-11:30 and 13:00-17:00, cut-off 15:00, end of day 17:00. */
    public static CalendarSettings vietnamDefaults() {
        return new CalendarSettings(
                ZoneId.of("Asia/Ho_Chi_Minh"),
                List.of(new WorkingPeriod(LocalTime.of(7, 30), LocalTime.of(11, 30)),
                        new WorkingPeriod(LocalTime.of(13, 0), LocalTime.of(17, 0))),
                LocalTime.of(15, 0),
                LocalTime.of(17, 0));
    }
}
