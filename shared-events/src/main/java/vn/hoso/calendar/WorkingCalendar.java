package vn.hoso.calendar;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import vn.hoso.events.ProcessingTimeUnit;

/**
 * Working days and working time according to DOMAIN.md "Time rules".
 *
 * <p>A working day is Monday to Friday, minus the holidays of its year, plus the make-up working days of its
 * year. Every question about a date whose year has no data throws {@link CalendarNotAvailableException}.
 * All local dates and times are taken in {@link CalendarSettings#zone()}. Immutable and thread-safe.
 */
public final class WorkingCalendar {

    private static final String RESOURCE_PATTERN = "calendar/%d.json";

    private final CalendarSettings settings;
    private final Map<Integer, CalendarYear> years = new HashMap<>();
    private final Set<LocalDate> holidays = new HashSet<>();
    private final Set<LocalDate> makeUpWorkingDays = new HashSet<>();

    public WorkingCalendar(CalendarSettings settings, List<CalendarYear> years) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(years, "years");
        for (CalendarYear year : years) {
            if (this.years.putIfAbsent(year.year(), year) != null) {
                throw new IllegalArgumentException("Calendar year " + year.year() + " given twice");
            }
            year.holidays().forEach(holiday -> holidays.add(holiday.date()));
            makeUpWorkingDays.addAll(year.makeUpWorkingDays());
        }
    }

    /** Reads calendar/{year}.json from the classpath for each given year. */
    public static WorkingCalendar loadFromClasspath(CalendarSettings settings, int... years) {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        ClassLoader classLoader = WorkingCalendar.class.getClassLoader();
        List<CalendarYear> loaded = new ArrayList<>();
        for (int year : years) {
            String resource = RESOURCE_PATTERN.formatted(year);
            try (InputStream in = classLoader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new CalendarNotAvailableException(year, "No calendar data file " + resource + " on the classpath");
                }
                CalendarYear calendarYear = mapper.readValue(in, CalendarYear.class);
                if (calendarYear.year() != year) {
                    throw new IllegalStateException(resource + " declares year " + calendarYear.year());
                }
                loaded.add(calendarYear);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }
        return new WorkingCalendar(settings, loaded);
    }

    public CalendarSettings settings() {
        return settings;
    }

    /** Whether this calendar has data for the year of {@code date}. */
    /** Whether any year from the local date of {@code from} to that of {@code to} is provisional (not decreed yet). */
    public boolean isProvisionalBetween(Instant from, Instant to) {
        Instant last = to.isBefore(from) ? from : to;
        for (int year = localDate(from).getYear(); year <= localDate(last).getYear(); year++) {
            if (requireYear(LocalDate.of(year, 1, 1)).provisional()) {
                return true;
            }
        }
        return false;
    }

    /** Whether every day from {@code from} to {@code to} (inclusive) has calendar data. */
    public boolean coversThrough(LocalDate from, LocalDate to) {
        for (int year = from.getYear(); year <= to.getYear(); year++) {
            if (!years.containsKey(year)) {
                return false;
            }
        }
        return true;
    }

    /** The last year with calendar data (0 without any). */
    public int lastYear() {
        return years.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    public boolean covers(LocalDate date) {
        return years.containsKey(date.getYear());
    }

    /** Monday to Friday minus holidays, plus make-up working days. */
    public boolean isWorkingDay(LocalDate date) {
        requireYear(date);
        if (makeUpWorkingDays.contains(date)) {
            return true;
        }
        DayOfWeek dayOfWeek = date.getDayOfWeek();
        if (dayOfWeek == DayOfWeek.SATURDAY || dayOfWeek == DayOfWeek.SUNDAY) {
            return false;
        }
        return !holidays.contains(date);
    }

    /** Whether the days off of the date's year are not decreed yet. */
    public boolean isProvisional(LocalDate date) {
        return requireYear(date).provisional();
    }

    /** Due instant for a dossier received at receivedAt with statutory time amount+unit. */
    public Instant dueAt(Instant receivedAt, int amount, ProcessingTimeUnit unit) {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(unit, "unit");
        if (amount <= 0) {
            throw new IllegalArgumentException("Processing time must be positive: " + amount);
        }
        return switch (unit) {
            case WORKING_DAYS -> {
                LocalDate day = effectiveReceiptDay(receivedAt);
                for (int i = 0; i < amount; i++) {
                    day = nextWorkingDay(day);
                }
                yield endOfDay(day);
            }
            case WORKING_HOURS -> addWorkingMinutes(countingStartForHours(receivedAt), amount * 60L);
        };
    }

    /** Working time (minutes inside working periods of working days) between two instants; 0 if to <= from. */
    public long workingMinutesBetween(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            return 0;
        }
        LocalDateTime start = local(from);
        LocalDateTime end = local(to);
        long seconds = 0;
        for (LocalDate day = start.toLocalDate(); !day.isAfter(end.toLocalDate()); day = day.plusDays(1)) {
            if (!isWorkingDay(day)) {
                continue;
            }
            for (WorkingPeriod period : settings.workingPeriods()) {
                LocalDateTime overlapStart = max(start, day.atTime(period.start()));
                LocalDateTime overlapEnd = min(end, day.atTime(period.end()));
                if (overlapEnd.isAfter(overlapStart)) {
                    seconds += Duration.between(overlapStart, overlapEnd).getSeconds();
                }
            }
        }
        return seconds / 60;
    }

    /** Number of working days d with date(from) < d <= date(to) (local dates); 0 if to <= from. */
    public int workingDaysBetween(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            return 0;
        }
        LocalDate last = localDate(to);
        int count = 0;
        for (LocalDate day = localDate(from).plusDays(1); !day.isAfter(last); day = day.plusDays(1)) {
            if (isWorkingDay(day)) {
                count++;
            }
        }
        return count;
    }

    /**
     * A due date after a pause, by the remaining-time rule (DOMAIN.md, time rules): the dossier keeps the working time
     * left from {@code pausedAt} until {@code due}; the new due date is {@code resumedAt} plus that working time, and
     * for procedures counted in working days the end of the working day on which it runs out. Only working time
     * paused moves a date (a pause from Friday evening to Monday before opening moves nothing). A due date already
     * passed when the pause began has no time left to keep and stays as it was.
     */
    public Instant resumeDue(Instant due, Instant pausedAt, Instant resumedAt, ProcessingTimeUnit unit) {
        Objects.requireNonNull(due, "due");
        Objects.requireNonNull(pausedAt, "pausedAt");
        Objects.requireNonNull(resumedAt, "resumedAt");
        Objects.requireNonNull(unit, "unit");
        if (!due.isAfter(pausedAt) || !resumedAt.isAfter(pausedAt)) {
            return due;
        }
        long remaining = workingMinutesBetween(pausedAt, due);
        Instant runsOut = addWorkingMinutes(firstWorkingMomentFrom(resumedAt), remaining);
        Instant resumed = switch (unit) {
            case WORKING_DAYS -> endOfDay(localDate(runsOut));
            case WORKING_HOURS -> runsOut;
        };
        return resumed.isBefore(due) ? due : resumed;
    }

    /** The instant itself inside a working period, else the start of the next working period. */
    private Instant firstWorkingMomentFrom(Instant at) {
        LocalDateTime cursor = local(at);
        while (true) {
            LocalDate day = cursor.toLocalDate();
            if (isWorkingDay(day)) {
                for (WorkingPeriod period : settings.workingPeriods()) {
                    if (cursor.isBefore(day.atTime(period.end()))) {
                        return toInstant(max(cursor, day.atTime(period.start())));
                    }
                }
            }
            cursor = day.plusDays(1).atStartOfDay();
        }
    }

    /**
     * End of day (settings.endOfDay) of the Nth working day after the local date of due. Adding 0 days returns
     * due unchanged.
     */
    public Instant addWorkingDays(Instant due, int days) {
        Objects.requireNonNull(due, "due");
        if (days < 0) {
            throw new IllegalArgumentException("Cannot add a negative number of working days: " + days);
        }
        if (days == 0) {
            return due;
        }
        LocalDate day = localDate(due);
        for (int i = 0; i < days; i++) {
            day = nextWorkingDay(day);
        }
        return endOfDay(day);
    }

    /**
     * Walks forward from {@code from} through the working periods of working days until {@code minutes} working
     * minutes have passed. A result that lands exactly at the end of a period stays there. Adding 0 minutes
     * returns from unchanged.
     */
    public Instant addWorkingMinutes(Instant from, long minutes) {
        Objects.requireNonNull(from, "from");
        if (minutes < 0) {
            throw new IllegalArgumentException("Cannot add a negative number of working minutes: " + minutes);
        }
        if (minutes == 0) {
            return from;
        }
        long remainingSeconds = minutes * 60;
        LocalDateTime cursor = local(from);
        while (true) {
            LocalDate day = cursor.toLocalDate();
            if (isWorkingDay(day)) {
                for (WorkingPeriod period : settings.workingPeriods()) {
                    LocalDateTime periodEnd = day.atTime(period.end());
                    if (!cursor.isBefore(periodEnd)) {
                        continue;
                    }
                    LocalDateTime begin = max(cursor, day.atTime(period.start()));
                    long available = Duration.between(begin, periodEnd).getSeconds();
                    if (remainingSeconds <= available) {
                        return toInstant(begin.plusSeconds(remainingSeconds));
                    }
                    remainingSeconds -= available;
                    cursor = periodEnd;
                }
            }
            cursor = day.plusDays(1).atStartOfDay();
        }
    }

    // --- counting starts ---------------------------------------------------------------------------------

    /** The local receipt date if it is a working day and the receipt is before cut-off, else the next working day. */
    private LocalDate effectiveReceiptDay(Instant receivedAt) {
        LocalDateTime received = local(receivedAt);
        LocalDate day = received.toLocalDate();
        if (isWorkingDay(day) && received.toLocalTime().isBefore(settings.cutOff())) {
            return day;
        }
        return nextWorkingDay(day);
    }

    /**
     * Receipt inside a working period before cut-off: counting starts at once; before cut-off but outside a
     * period: at the next period start that day; otherwise at the first period start of the next working day.
     */
    private Instant countingStartForHours(Instant receivedAt) {
        LocalDateTime received = local(receivedAt);
        LocalDate day = received.toLocalDate();
        LocalTime time = received.toLocalTime();
        if (isWorkingDay(day) && time.isBefore(settings.cutOff())) {
            for (WorkingPeriod period : settings.workingPeriods()) {
                if (time.isBefore(period.start())) {
                    return toInstant(day.atTime(period.start()));
                }
                if (time.isBefore(period.end())) {
                    return receivedAt;
                }
            }
        }
        return toInstant(nextWorkingDay(day).atTime(settings.workingPeriods().get(0).start()));
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private CalendarYear requireYear(LocalDate date) {
        Objects.requireNonNull(date, "date");
        CalendarYear year = years.get(date.getYear());
        if (year == null) {
            throw new CalendarNotAvailableException(date.getYear());
        }
        return year;
    }

    private LocalDate nextWorkingDay(LocalDate date) {
        LocalDate day = date.plusDays(1);
        while (!isWorkingDay(day)) {
            day = day.plusDays(1);
        }
        return day;
    }

    private Instant endOfDay(LocalDate day) {
        return toInstant(day.atTime(settings.endOfDay()));
    }

    private LocalDateTime local(Instant instant) {
        return LocalDateTime.ofInstant(instant, settings.zone());
    }

    private LocalDate localDate(Instant instant) {
        return LocalDate.ofInstant(instant, settings.zone());
    }

    private Instant toInstant(LocalDateTime dateTime) {
        return dateTime.atZone(settings.zone()).toInstant();
    }

    private static LocalDateTime max(LocalDateTime a, LocalDateTime b) {
        return a.isAfter(b) ? a : b;
    }

    private static LocalDateTime min(LocalDateTime a, LocalDateTime b) {
        return a.isBefore(b) ? a : b;
    }
}
