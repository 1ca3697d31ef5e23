package vn.hoso.events;

/** The unit a procedure's statutory processing time is counted in. */
public enum ProcessingTimeUnit {
    WORKING_DAYS,
    WORKING_HOURS
}
