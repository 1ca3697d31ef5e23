package vn.hoso.query.it;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Both sides' clock in the stack tests: today is always the same day, whatever the machine's date. */
final class TestTime {

    /** Monday 2026-03-02 09:00 in Hanoi (a decreed calendar year, well inside the calendar files). */
    static final Instant START = Instant.parse("2026-03-02T02:00:00Z");

    /** From the machine's clock to the tests' clock. */
    static final Duration SHIFT = Duration.between(Instant.now(), START);

    /** At {@link #START} when the tests begin, then ticking with the machine's clock. */
    static final Clock CLOCK = Clock.offset(Clock.systemUTC(), SHIFT);

    private TestTime() {
    }
}
