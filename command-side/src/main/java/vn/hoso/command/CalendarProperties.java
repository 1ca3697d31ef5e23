package vn.hoso.command;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/** Which yearly calendar files to load ({@code hoso.calendar.years}); a year without one cannot be counted in. */
@ConfigurationProperties("hoso.calendar")
record CalendarProperties(@DefaultValue({"2025", "2026", "2027"}) List<Integer> years) {
}
