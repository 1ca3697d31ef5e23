package vn.hoso.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.hoso.events.ProcessingTimeUnit.WORKING_DAYS;
import static vn.hoso.events.ProcessingTimeUnit.WORKING_HOURS;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Expected values are hand-written literals in +07:00 (Asia/Ho_Chi_Minh has no daylight saving time). */
class WorkingCalendarTest {

    private final WorkingCalendar calendar =
            WorkingCalendar.loadFromClasspath(CalendarSettings.vietnamDefaults(), 2025, 2026, 2027);

    /** A local Vietnam date-time such as "2026-02-12T10:00". */
    private static Instant vn(String localDateTime) {
        return OffsetDateTime.parse(localDateTime + "+07:00").toInstant();
    }

    @Nested
    class DueInWorkingDays {

        @Test
        void domainExampleCountsAroundTet2026() {
            // Fri 13, Mon 23, Tue 24, Wed 25, Thu 26 (Tết off 16..20)
            assertThat(calendar.dueAt(vn("2026-02-12T10:00"), 5, WORKING_DAYS)).isEqualTo(vn("2026-02-26T17:00"));
        }

        @Test
        void receiptAfterCutOffCountsAsReceivedNextWorkingDay() {
            // effective receipt Fri 13 → Mon 23, Tue 24, Wed 25, Thu 26, Fri 27
            assertThat(calendar.dueAt(vn("2026-02-12T15:30"), 5, WORKING_DAYS)).isEqualTo(vn("2026-02-27T17:00"));
        }

        @Test
        void receiptExactlyAtCutOffIsAfterCutOff() {
            assertThat(calendar.dueAt(vn("2026-02-12T15:00"), 5, WORKING_DAYS)).isEqualTo(vn("2026-02-27T17:00"));
        }

        @Test
        void receiptJustBeforeCutOffCountsThatDay() {
            assertThat(calendar.dueAt(vn("2026-02-12T14:59"), 5, WORKING_DAYS)).isEqualTo(vn("2026-02-26T17:00"));
        }

        @Test
        void receiptOnSaturdayCountsAsReceivedMonday() {
            // Sat 7 → effective Mon 9 → Tue 10, Wed 11, Thu 12
            assertThat(calendar.dueAt(vn("2026-03-07T09:00"), 3, WORKING_DAYS)).isEqualTo(vn("2026-03-12T17:00"));
        }

        @Test
        void receiptOnHolidayCountsAsReceivedNextWorkingDay() {
            // Tue 17 (Tết) → effective Mon 23 → Tue 24
            assertThat(calendar.dueAt(vn("2026-02-17T09:00"), 1, WORKING_DAYS)).isEqualTo(vn("2026-02-24T17:00"));
        }

        @Test
        void weekendInTheMiddleIsSkipped() {
            // Wed 4 → Thu 5, Fri 6, Mon 9
            assertThat(calendar.dueAt(vn("2026-03-04T10:00"), 3, WORKING_DAYS)).isEqualTo(vn("2026-03-09T17:00"));
        }

        @Test
        void oneWorkingDayFromFridayIsMonday() {
            assertThat(calendar.dueAt(vn("2026-03-06T10:00"), 1, WORKING_DAYS)).isEqualTo(vn("2026-03-09T17:00"));
        }

        @Test
        void makeUpSaturday2025IsAWorkingDay() {
            // Thu 24 → Fri 25, Sat 26 (make-up working day)
            assertThat(calendar.dueAt(vn("2025-04-24T10:00"), 2, WORKING_DAYS)).isEqualTo(vn("2025-04-26T17:00"));
        }

        @Test
        void reunificationAndLabourDay2025AreSkipped() {
            // Mon 28 → Tue 29, then 30/4, 1/5, 2/5 off and the weekend → Mon 5/5
            assertThat(calendar.dueAt(vn("2025-04-28T10:00"), 2, WORKING_DAYS)).isEqualTo(vn("2025-05-05T17:00"));
        }

        @Test
        void countingCrossesTheYearBoundary() {
            // Wed 30/12/2026 → Thu 31/12, (Fri 1/1/2027 off, weekend) Mon 4/1/2027
            assertThat(calendar.dueAt(vn("2026-12-30T10:00"), 2, WORKING_DAYS)).isEqualTo(vn("2027-01-04T17:00"));
        }

        @Test
        void localDateIsTakenInVietnamNotUtc() {
            // 00:30 Tue 3/3 local is still Mon 2/3 in UTC: the local Tuesday counts → Wed 4
            assertThat(calendar.dueAt(vn("2026-03-03T00:30"), 1, WORKING_DAYS)).isEqualTo(vn("2026-03-04T17:00"));
        }

        @Test
        void nonPositiveAmountIsRejected() {
            assertThatThrownBy(() -> calendar.dueAt(vn("2026-03-02T10:00"), 0, WORKING_DAYS))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> calendar.dueAt(vn("2026-03-02T10:00"), -1, WORKING_HOURS))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class DueInWorkingHours {

        @Test
        void sixHoursAcrossLunchAndIntoNextMorning() {
            // 10:00-11:30 (1.5h) + 13:00-17:00 (4h) + Tue 07:30-08:00 (0.5h)
            assertThat(calendar.dueAt(vn("2026-03-02T10:00"), 6, WORKING_HOURS)).isEqualTo(vn("2026-03-03T08:00"));
        }

        @Test
        void dueExactlyAtPeriodEndStaysThere() {
            assertThat(calendar.dueAt(vn("2026-03-02T13:00"), 4, WORKING_HOURS)).isEqualTo(vn("2026-03-02T17:00"));
            assertThat(calendar.dueAt(vn("2026-03-02T07:30"), 4, WORKING_HOURS)).isEqualTo(vn("2026-03-02T11:30"));
        }

        @Test
        void receiptDuringLunchStartsAtAfternoonPeriod() {
            assertThat(calendar.dueAt(vn("2026-03-02T12:00"), 2, WORKING_HOURS)).isEqualTo(vn("2026-03-02T15:00"));
        }

        @Test
        void receiptBeforeOpeningStartsAtFirstPeriod() {
            assertThat(calendar.dueAt(vn("2026-03-02T06:00"), 1, WORKING_HOURS)).isEqualTo(vn("2026-03-02T08:30"));
        }

        @Test
        void receiptAfterCutOffStartsNextWorkingMorning() {
            assertThat(calendar.dueAt(vn("2026-03-02T15:30"), 2, WORKING_HOURS)).isEqualTo(vn("2026-03-03T09:30"));
            assertThat(calendar.dueAt(vn("2026-03-02T15:00"), 2, WORKING_HOURS)).isEqualTo(vn("2026-03-03T09:30"));
        }

        @Test
        void acrossAWeekend() {
            // Fri 14:00-17:00 (3h) + Mon 07:30-11:30 (4h) + 13:00-14:00 (1h)
            assertThat(calendar.dueAt(vn("2026-03-06T14:00"), 8, WORKING_HOURS)).isEqualTo(vn("2026-03-09T14:00"));
        }

        @Test
        void receiptOnSaturdayStartsMondayMorning() {
            assertThat(calendar.dueAt(vn("2026-03-07T10:00"), 1, WORKING_HOURS)).isEqualTo(vn("2026-03-09T08:30"));
        }

        @Test
        void acrossTet() {
            // Fri 13 14:00-17:00 (3h) + Mon 23 07:30-08:30 (1h)
            assertThat(calendar.dueAt(vn("2026-02-13T14:00"), 4, WORKING_HOURS)).isEqualTo(vn("2026-02-23T08:30"));
        }

        @Test
        void makeUpSaturdayHasWorkingHours() {
            // Fri 25/4 14:00-17:00 (3h) + Sat 26/4 07:30-08:30 (1h)
            assertThat(calendar.dueAt(vn("2025-04-25T14:00"), 4, WORKING_HOURS)).isEqualTo(vn("2025-04-26T08:30"));
            // Fri 25/4 16:00 is after cut-off: counting starts Sat 26/4 07:30
            assertThat(calendar.dueAt(vn("2025-04-25T16:00"), 2, WORKING_HOURS)).isEqualTo(vn("2025-04-26T09:30"));
        }
    }

    @Nested
    class WorkingTimeBetween {

        @Test
        void minutesAcrossLunchBreak() {
            // 11:00-11:30 + 13:00-13:30
            assertThat(calendar.workingMinutesBetween(vn("2026-03-02T11:00"), vn("2026-03-02T13:30"))).isEqualTo(60);
        }

        @Test
        void minutesAcrossTetHoliday() {
            // Fri 13 16:00-17:00 (60) + Mon 23 07:30-08:00 (30)
            assertThat(calendar.workingMinutesBetween(vn("2026-02-13T16:00"), vn("2026-02-23T08:00"))).isEqualTo(90);
        }

        @Test
        void minutesOfAFullWorkingDay() {
            assertThat(calendar.workingMinutesBetween(vn("2026-03-02T00:00"), vn("2026-03-03T00:00"))).isEqualTo(480);
        }

        @Test
        void minutesOverAWeekendAreZero() {
            assertThat(calendar.workingMinutesBetween(vn("2026-03-07T08:00"), vn("2026-03-08T16:00"))).isZero();
        }

        @Test
        void minutesAreZeroWhenToIsNotAfterFrom() {
            assertThat(calendar.workingMinutesBetween(vn("2026-03-02T10:00"), vn("2026-03-02T10:00"))).isZero();
            assertThat(calendar.workingMinutesBetween(vn("2026-03-02T10:00"), vn("2026-03-02T09:00"))).isZero();
        }

        @Test
        void workingDaysCountsDaysAfterFromUpToTo() {
            // Tue 3, Wed 4
            assertThat(calendar.workingDaysBetween(vn("2026-03-02T09:00"), vn("2026-03-04T10:00"))).isEqualTo(2);
        }

        @Test
        void workingDaysAcrossTet() {
            // Fri 13, Mon 23
            assertThat(calendar.workingDaysBetween(vn("2026-02-12T10:00"), vn("2026-02-23T09:00"))).isEqualTo(2);
        }

        @Test
        void workingDaysWithinOneDayOrBackwardsAreZero() {
            assertThat(calendar.workingDaysBetween(vn("2026-03-02T08:00"), vn("2026-03-02T16:00"))).isZero();
            assertThat(calendar.workingDaysBetween(vn("2026-03-04T10:00"), vn("2026-03-02T09:00"))).isZero();
        }
    }

    @Nested
    class Pauses {

        // DOMAIN.md, time rules, remaining-time rule: its examples and the edge cases issue 10 reported, literally

        @Test
        void domainExampleWednesdayToMondayMakesMondayDueThursday() {
            // 29.5 working hours left (Wed 10:00 .. Mon 17:00); from Mon 10:00 they run out Thu 17:00
            assertThat(calendar.resumeDue(vn("2026-03-09T17:00"), vn("2026-03-04T10:00"), vn("2026-03-09T10:00"),
                    WORKING_DAYS)).isEqualTo(vn("2026-03-12T17:00"));
        }

        @Test
        void fridayEveningToMondayBeforeOpeningMovesNothing() {
            assertThat(calendar.resumeDue(vn("2026-03-11T17:00"), vn("2026-03-06T17:30"), vn("2026-03-09T07:00"),
                    WORKING_DAYS)).isEqualTo(vn("2026-03-11T17:00"));
            assertThat(calendar.resumeDue(vn("2026-03-10T10:00"), vn("2026-03-06T17:30"), vn("2026-03-09T07:00"),
                    WORKING_HOURS)).isEqualTo(vn("2026-03-10T10:00"));
        }

        @Test
        void aWholeWorkingDayPausedWithinOneCalendarDayMovesTheDueDateADay() {
            // Mon 07:30 .. 16:59 is 7 h 59 min of working time: the old rule (calendar days crossed) moved nothing
            assertThat(calendar.resumeDue(vn("2026-03-11T17:00"), vn("2026-03-09T07:30"), vn("2026-03-09T16:59"),
                    WORKING_DAYS)).isEqualTo(vn("2026-03-12T17:00"));
        }

        @Test
        void workingTimePausedOverSeveralDaysMovesItByThatWorkingTime() {
            // 17 working hours paused (Mon 09:00 .. Wed 10:00): 54.5 h left from Wed 10:00 run out Fri 08:30
            assertThat(calendar.resumeDue(vn("2026-03-10T17:00"), vn("2026-03-02T09:00"), vn("2026-03-04T10:00"),
                    WORKING_DAYS)).isEqualTo(vn("2026-03-13T17:00"));
        }

        @Test
        void aPauseOverTetCountsOnlyWorkingTime() {
            // 45.5 h left from Thu 12 Feb 10:00 (Tết 16-20 off); from Mon 23 09:00 they run out Mon 2 Mar 16:00
            assertThat(calendar.resumeDue(vn("2026-02-26T17:00"), vn("2026-02-12T10:00"), vn("2026-02-23T09:00"),
                    WORKING_DAYS)).isEqualTo(vn("2026-03-02T17:00"));
        }

        @Test
        void aWeekendOnlyPauseMovesNothing() {
            assertThat(calendar.resumeDue(vn("2026-03-10T17:00"), vn("2026-03-07T09:00"), vn("2026-03-08T10:00"),
                    WORKING_DAYS)).isEqualTo(vn("2026-03-10T17:00"));
        }

        @Test
        void inWorkingHoursTheDueIsTheResumptionPlusTheTimeLeft() {
            // 5.5 h left (Mon 10:30 .. Tue 08:00); from Mon 14:00: 3 h on Monday, 2.5 h on Tuesday from 07:30
            assertThat(calendar.resumeDue(vn("2026-03-03T08:00"), vn("2026-03-02T10:30"), vn("2026-03-02T14:00"),
                    WORKING_HOURS)).isEqualTo(vn("2026-03-03T10:00"));
            // 7.5 h left (Mon 08:00 .. 17:00); from Mon 09:00: 6.5 h on Monday, 1 h on Tuesday
            assertThat(calendar.resumeDue(vn("2026-03-02T17:00"), vn("2026-03-02T08:00"), vn("2026-03-02T09:00"),
                    WORKING_HOURS)).isEqualTo(vn("2026-03-03T08:30"));
        }

        @Test
        void aDueDatePassedBeforeThePauseStaysWhereItWas() {
            assertThat(calendar.resumeDue(vn("2026-03-02T17:00"), vn("2026-03-04T10:00"), vn("2026-03-09T10:00"),
                    WORKING_DAYS)).isEqualTo(vn("2026-03-02T17:00"));
        }

        @Test
        void addWorkingDaysLandsAtEndOfDay() {
            assertThat(calendar.addWorkingDays(vn("2026-02-13T10:00"), 1)).isEqualTo(vn("2026-02-23T17:00"));
            assertThat(calendar.addWorkingDays(vn("2026-02-13T10:00"), 0)).isEqualTo(vn("2026-02-13T10:00"));
        }

        @Test
        void addWorkingMinutesFromLunchStartsAfterLunch() {
            assertThat(calendar.addWorkingMinutes(vn("2026-03-02T11:30"), 30)).isEqualTo(vn("2026-03-02T13:30"));
            assertThat(calendar.addWorkingMinutes(vn("2026-03-02T11:00"), 30)).isEqualTo(vn("2026-03-02T11:30"));
        }

        @Test
        void negativeAdditionsAreRejected() {
            assertThatThrownBy(() -> calendar.addWorkingDays(vn("2026-03-02T10:00"), -1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> calendar.addWorkingMinutes(vn("2026-03-02T10:00"), -1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class CalendarData {

        @Test
        void loadFromClasspathLoadsAllThreeYears() {
            assertThat(calendar.isWorkingDay(LocalDate.of(2025, 1, 28))).isFalse();
            assertThat(calendar.isWorkingDay(LocalDate.of(2026, 2, 18))).isFalse();
            assertThat(calendar.isWorkingDay(LocalDate.of(2027, 2, 9))).isFalse();
            assertThat(calendar.isWorkingDay(LocalDate.of(2025, 3, 3))).isTrue();
            assertThat(calendar.isWorkingDay(LocalDate.of(2026, 3, 3))).isTrue();
            assertThat(calendar.isWorkingDay(LocalDate.of(2027, 3, 3))).isTrue();
            assertThat(calendar.settings()).isEqualTo(CalendarSettings.vietnamDefaults());
        }

        @Test
        void weekendsHolidaysAndMakeUpDays() {
            assertThat(calendar.isWorkingDay(LocalDate.of(2025, 4, 26))).as("make-up Saturday").isTrue();
            assertThat(calendar.isWorkingDay(LocalDate.of(2025, 5, 2))).as("swapped Friday").isFalse();
            assertThat(calendar.isWorkingDay(LocalDate.of(2026, 3, 7))).as("Saturday").isFalse();
            assertThat(calendar.isWorkingDay(LocalDate.of(2026, 3, 8))).as("Sunday").isFalse();
            assertThat(calendar.isWorkingDay(LocalDate.of(2026, 4, 27))).as("Hùng Kings compensatory").isFalse();
            assertThat(calendar.isWorkingDay(LocalDate.of(2026, 2, 13))).as("Friday before Tết").isTrue();
            assertThat(calendar.isWorkingDay(LocalDate.of(2026, 2, 23))).as("Monday after Tết").isTrue();
        }

        @Test
        void yearWithoutDataThrows() {
            assertThatThrownBy(() -> calendar.isWorkingDay(LocalDate.of(2024, 6, 3)))
                    .isInstanceOf(CalendarNotAvailableException.class)
                    .satisfies(e -> assertThat(((CalendarNotAvailableException) e).year()).isEqualTo(2024));
            assertThatThrownBy(() -> calendar.isProvisional(LocalDate.of(2028, 1, 3)))
                    .isInstanceOf(CalendarNotAvailableException.class);
            assertThatThrownBy(() -> calendar.dueAt(vn("2028-03-01T10:00"), 1, WORKING_DAYS))
                    .isInstanceOf(CalendarNotAvailableException.class);
        }

        @Test
        void countingIntoAYearWithoutDataThrows() {
            assertThatThrownBy(() -> calendar.dueAt(vn("2027-12-29T10:00"), 5, WORKING_DAYS))
                    .isInstanceOf(CalendarNotAvailableException.class);
        }

        @Test
        void missingDataFileThrows() {
            assertThatThrownBy(() -> WorkingCalendar.loadFromClasspath(CalendarSettings.vietnamDefaults(), 2030))
                    .isInstanceOf(CalendarNotAvailableException.class);
        }

        @Test
        void year2027IsProvisional() {
            assertThat(calendar.isProvisional(LocalDate.of(2027, 2, 4))).isTrue();
            assertThat(calendar.isProvisional(LocalDate.of(2027, 12, 31))).isTrue();
            assertThat(calendar.isProvisional(LocalDate.of(2026, 2, 16))).isFalse();
            assertThat(calendar.isProvisional(LocalDate.of(2025, 1, 27))).isFalse();
        }
    }

    @Nested
    class Configuration {

        private static final ZoneId HCM = ZoneId.of("Asia/Ho_Chi_Minh");

        @Test
        void vietnamDefaults() {
            CalendarSettings settings = CalendarSettings.vietnamDefaults();
            assertThat(settings.zone()).isEqualTo(HCM);
            assertThat(settings.workingPeriods()).containsExactly(
                    new WorkingPeriod(LocalTime.of(7, 30), LocalTime.of(11, 30)),
                    new WorkingPeriod(LocalTime.of(13, 0), LocalTime.of(17, 0)));
            assertThat(settings.cutOff()).isEqualTo(LocalTime.of(15, 0));
            assertThat(settings.endOfDay()).isEqualTo(LocalTime.of(17, 0));
        }

        @Test
        void customSettingsAndInMemoryYear() {
            CalendarSettings settings = new CalendarSettings(HCM,
                    List.of(new WorkingPeriod(LocalTime.of(8, 0), LocalTime.of(12, 0)),
                            new WorkingPeriod(LocalTime.of(13, 30), LocalTime.of(17, 30))),
                    LocalTime.of(16, 0), LocalTime.of(17, 30));
            CalendarYear year = new CalendarYear(2026, false, "test",
                    List.of(new Holiday(LocalDate.of(2026, 3, 3), "test day off")),
                    List.of(LocalDate.of(2026, 3, 7)));
            WorkingCalendar custom = new WorkingCalendar(settings, List.of(year));

            // 15:30 is before the 16:00 cut-off: counts Mon 2; Tue 3 off → Wed 4
            assertThat(custom.dueAt(vn("2026-03-02T15:30"), 1, WORKING_DAYS)).isEqualTo(vn("2026-03-04T17:30"));
            // Fri 6 15:30-17:30 (2h) + Sat 7 (make-up) 08:00-09:00 (1h)
            assertThat(custom.dueAt(vn("2026-03-06T15:30"), 3, WORKING_HOURS)).isEqualTo(vn("2026-03-07T09:00"));
        }

        @Test
        void invalidConfigurationIsRejected() {
            assertThatThrownBy(() -> new WorkingPeriod(LocalTime.of(12, 0), LocalTime.of(8, 0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new CalendarSettings(HCM,
                    List.of(new WorkingPeriod(LocalTime.of(8, 0), LocalTime.of(12, 0)),
                            new WorkingPeriod(LocalTime.of(11, 0), LocalTime.of(17, 0))),
                    LocalTime.of(15, 0), LocalTime.of(17, 0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new CalendarSettings(HCM, List.of(), LocalTime.of(15, 0), LocalTime.of(17, 0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new CalendarYear(2026, false, "test",
                    List.of(new Holiday(LocalDate.of(2025, 12, 31), "wrong year")), List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
            CalendarYear year = new CalendarYear(2026, false, "test", List.of(), List.of());
            assertThatThrownBy(() -> new WorkingCalendar(CalendarSettings.vietnamDefaults(), List.of(year, year)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
