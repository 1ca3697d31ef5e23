package vn.hoso.calendar;

import java.time.LocalDate;
import java.util.Objects;

/** A day off for civil servants (public holiday, Tết day, compensatory or swapped day off). */
public record Holiday(LocalDate date, String name) {

    public Holiday {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(name, "name");
    }
}
