package vn.hoso.command.it;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The command side's clock in every integration test: today is always the same day, whatever the machine's date. */
final class TestTime {

    /** Monday 2026-03-02 09:00 in Hanoi (a decreed calendar year, well inside the calendar files). */
    static final Instant START = Instant.parse("2026-03-02T02:00:00Z");

    /** At {@link #START} when the tests begin, then ticking with the machine's clock. */
    static final Clock CLOCK = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), START));

    private TestTime() {
    }
}
