package vn.hoso.calendar;

/** Thrown when a date falls in a year for which no calendar data is loaded. */
public class CalendarNotAvailableException extends RuntimeException {

    private final int year;

    public CalendarNotAvailableException(int year) {
        this(year, "No working calendar available for year " + year);
    }

    public CalendarNotAvailableException(int year, String message) {
        super(message);
        this.year = year;
    }

    public CalendarNotAvailableException(int year, String message, Throwable cause) {
        super(message, cause);
        this.year = year;
    }

    public int year() {
        return year;
    }
}
