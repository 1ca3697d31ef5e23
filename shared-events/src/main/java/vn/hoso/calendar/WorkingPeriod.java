package vn.hoso.calendar;

import java.time.LocalTime;
import java.util.Objects;

/** One working period of a working day, e.g. 07:30-11:30; start inclusive, end exclusive. */
public record WorkingPeriod(LocalTime start, LocalTime end) {

    public WorkingPeriod {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("Working period must start before it ends: " + start + "-" + end);
        }
    }
}
