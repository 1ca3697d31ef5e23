package vn.hoso.events;

/** A procedure's statutory processing time, e.g. 5 working days or 6 working hours. */
public record StatutoryTime(int amount, ProcessingTimeUnit unit) {
}
