package vn.hoso.query.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.context.request.async.DeferredResult;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A read that waits for its write ({@code minVersion}) answers from one read of the entry, at once when it is there,
 * else when the projection on this instance says it wrote that entry, else at the next poll; only the waits for the
 * entries named are read again, and past the limit of waiting reads one more is refused at once.
 */
class ReadYourWritesTest {

    /** A poll that never comes within a test: whatever answers was a wake. */
    private static final Duration NEVER = Duration.ofMinutes(10);

    private ReadYourWrites readYourWrites;

    /** One dossier's timeline version, and how many times it was read. */
    private static final class Entry {
        final AtomicLong version = new AtomicLong();
        final AtomicInteger reads = new AtomicInteger();
        volatile Runnable duringRead = () -> { };

        Supplier<Long> read() {
            return () -> {
                reads.incrementAndGet();
                long now = version.get();
                duringRead.run();
                return now;
            };
        }
    }

    private Object answer(String key, Long minVersion, Entry entry) {
        return readYourWrites.answer(key, minVersion, entry.read(), Long::longValue, read -> "version " + read);
    }

    @AfterEach
    void stop() {
        readYourWrites.destroy();
    }

    @Test
    void aReadWithoutMinVersionOrAlreadyCurrentIsAnsweredFromOneRead() {
        readYourWrites = new ReadYourWrites(10, NEVER);
        Entry entry = new Entry();
        entry.version.set(4);
        assertThat(answer("d1", null, entry)).isEqualTo("version 4");
        assertThat(answer("d1", 4L, entry)).isEqualTo("version 4");
        assertThat(answer("d1", 3L, entry)).isEqualTo("version 4");
        assertThat(entry.reads).hasValue(3);
        assertThat(readYourWrites.waiting()).isZero();
    }

    @Test
    void aWaitingReadAnswersWhenTheProjectionWritesItsEntryAndOnlyThen() {
        readYourWrites = new ReadYourWrites(10, NEVER);
        Entry waited = new Entry();
        waited.version.set(2);
        DeferredResult<?> result = (DeferredResult<?>) answer("d1", 3L, waited);
        assertThat(result.hasResult()).isFalse();
        // another dossier written: this wait is not read again
        readYourWrites.applied(List.of("d2", "d3"));
        waited.version.set(3);
        readYourWrites.applied(List.of("d2", "d1"));
        await().atMost(Duration.ofSeconds(5)).until(result::hasResult);
        assertThat(result.getResult()).isEqualTo("version 3");
        assertThat(waited.reads).as("the first read and the one its wake made").hasValue(2);
    }

    @Test
    void aWriteDuringTheFirstReadStillWakesTheWait() {
        readYourWrites = new ReadYourWrites(10, NEVER);
        Entry entry = new Entry();
        entry.version.set(2);
        entry.duringRead = () -> {
            entry.duringRead = () -> { };
            entry.version.set(3);
            readYourWrites.applied(List.of("d1"));
        };
        DeferredResult<?> result = (DeferredResult<?>) answer("d1", 3L, entry);
        await().atMost(Duration.ofSeconds(5)).until(result::hasResult);
        assertThat(result.getResult()).isEqualTo("version 3");
    }

    @Test
    void aWriteProjectedElsewhereIsFoundByThePoll() {
        readYourWrites = new ReadYourWrites(10, Duration.ofMillis(20));
        Entry entry = new Entry();
        entry.version.set(2);
        DeferredResult<?> result = (DeferredResult<?>) answer("d1", 3L, entry);
        entry.version.set(3); // no wake: another instance projected it
        await().atMost(Duration.ofSeconds(5)).until(result::hasResult);
        assertThat(result.getResult()).isEqualTo("version 3");
    }

    @Test
    void pastTheLimitOneMoreWaitingReadIsRefusedAtOnce() {
        readYourWrites = new ReadYourWrites(1, NEVER);
        Entry entry = new Entry();
        assertThat(answer("d1", 1L, entry)).isInstanceOf(DeferredResult.class);
        assertThatThrownBy(() -> answer("d2", 1L, entry)).isInstanceOfSatisfying(QueryProblem.class,
                problem -> assertThat(problem.code()).isEqualTo(QueryProblem.Code.BUSY));
        assertThat(readYourWrites.waiting()).isEqualTo(1);
    }
}
