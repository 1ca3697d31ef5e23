package vn.hoso.eventstore;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongPredicate;

/**
 * Decides when a gap (a position allocated to an append but not visible yet) is given up. A gap is kept, and
 * re-read on every poll, until it has been missing for the gap timeout, counted on this process's clock from the
 * moment it first saw the gap missing. Never from an event's timestamp: that is the writer's clock when the event was
 * created, which says nothing about when a neighbouring append lands (a writer whose clock is behind, a long pause
 * between creating and appending, a batch appended with its events' original times would all make a gap look old
 * and skip an event that lands a moment later). Catching up through an old hole, one left by a writer that died, so
 * waits one gap timeout (the stream goes on meanwhile; only the hole is re-read). A gap is given up only after its
 * position was claimed with a void marker, so nothing can land there afterwards. A gap given up is logged and counted
 * once per position in this process, whichever processor gave it up.
 */
final class GapTimeouts {

    private static final Logger log = LoggerFactory.getLogger(GapTimeouts.class);
    private static final int REMEMBERED_EXPIRIES = 100_000;

    private final Duration timeout;
    private final Clock clock;
    private final Map<Long, Instant> missingSince = new ConcurrentHashMap<>();
    private final Set<Long> givenUp = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED_EXPIRIES;
        }
    }));
    private final LongAdder timedOut = new LongAdder();

    GapTimeouts(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * The token without the gaps whose time is up. A gap is dropped only once {@code voided} says its position holds
     * a void marker: the reader claims the position before moving past it, so that a writer still holding it can
     * never fill it late (its insert is refused and it appends again at new positions). A gap whose event landed just
     * now stays in the token and is read with this batch.
     */
    GapAwareTrackingToken withoutExpired(GapAwareTrackingToken token, Instant now, LongPredicate voided) {
        if (!token.hasGaps()) {
            return token;
        }
        TreeSet<Long> kept = new TreeSet<>();
        for (long gap : token.getGaps()) {
            if (givenUp.contains(gap)) {
                continue;
            }
            Instant since = missingSince.computeIfAbsent(gap, g -> now);
            if (Duration.between(since, now).compareTo(timeout) >= 0 && voided.test(gap)) {
                giveUp(gap, since);
            } else {
                kept.add(gap);
            }
        }
        return kept.size() == token.getGaps().size() ? token : GapAwareTrackingToken.newInstance(token.getIndex(), kept);
    }

    /** Notes the gaps of a token handed out: each is missing since now, unless it was seen missing before. */
    void noteMissing(Set<Long> gaps, Instant now) {
        for (long gap : gaps) {
            missingSince.putIfAbsent(gap, now);
        }
    }

    void found(long position) {
        missingSince.remove(position);
    }

    long timedOut() {
        return timedOut.sum();
    }

    Duration timeout() {
        return timeout;
    }

    private void giveUp(long position, Instant since) {
        missingSince.remove(position);
        if (givenUp.add(position)) {
            timedOut.increment();
            log.warn("event position {} was allocated to an append but has not been visible since {} (gap timeout {}):"
                            + " it is voided and the event stream moves past it; a writer still holding it is refused"
                            + " there and stores its events at new positions", position, since, timeout);
        }
    }
}
