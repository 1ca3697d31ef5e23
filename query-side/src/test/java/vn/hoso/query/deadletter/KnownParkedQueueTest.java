package vn.hoso.query.deadletter;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.InMemorySequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two query-side instances' views of one dead-letter queue (in MongoDB in production; one shared queue here): a
 * dossier freed by one instance is not parked again by the other's view before that view is refreshed.
 */
class KnownParkedQueueTest {

    private final SequencedDeadLetterQueue<EventMessage<?>> shared = InMemorySequencedDeadLetterQueue.defaultQueue();
    private final KnownParkedQueue one = new KnownParkedQueue(shared, Duration.ofHours(1));
    private final KnownParkedQueue two = new KnownParkedQueue(shared, Duration.ofHours(1));

    private static GenericDeadLetter<EventMessage<?>> letter(String dossier, long sequence) {
        return new GenericDeadLetter<>(dossier, new GenericDomainEventMessage<>("Dossier", dossier, sequence, "event"));
    }

    @Test
    void aDossierFreedByOneInstanceIsNotParkedAgainByTheOthersView() {
        two.enqueue("d-1", letter("d-1", 0));
        assertThat(two.contains("d-1")).isTrue();
        // the other instance saw it parked too (its view is refreshed only every hour here)
        one.enqueue("d-1", letter("d-1", 1));
        assertThat(one.contains("d-1")).isTrue();

        // freed on the first instance: both letters applied
        one.process(letter -> true, letter -> Decisions.evict());
        one.process(letter -> true, letter -> Decisions.evict());
        assertThat(shared.contains("d-1")).isFalse();

        // the second instance's next event of the dossier flows instead of being parked behind nothing
        assertThat(two.contains("d-1")).isFalse();
        assertThat(two.enqueueIfPresent("d-1", () -> letter("d-1", 2))).isFalse();
        assertThat(shared.size()).isZero();
    }

    @Test
    void aDossierParkedByThisInstanceStaysParkedAndCollectsItsLaterEvents() {
        one.enqueue("d-2", letter("d-2", 0));
        assertThat(one.contains("d-2")).isTrue();
        assertThat(one.contains("d-3")).isFalse();
        assertThat(one.enqueueIfPresent("d-2", () -> letter("d-2", 1))).isTrue();
        assertThat(shared.sequenceSize("d-2")).isEqualTo(2);
    }
}
