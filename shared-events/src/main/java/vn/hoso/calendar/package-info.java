/**
 * Working-time calendar for statutory processing times (DOMAIN.md, "Time rules").
 *
 * <p>{@link vn.hoso.calendar.WorkingCalendar} answers which days are working days (Monday to
 * Friday, minus public holidays, plus make-up working Saturdays, from one data file per year under
 * {@code calendar/{year}.json} on the classpath), computes due instants for procedures counted in working
 * days or working hours, measures working time between two instants and shifts a due instant for a paused
 * clock. All local dates and times are in the zone of {@link vn.hoso.calendar.CalendarSettings}
 * (Asia/Ho_Chi_Minh by default). Plain Java; Jackson is used only to read the data files.
 */
package vn.hoso.calendar;
