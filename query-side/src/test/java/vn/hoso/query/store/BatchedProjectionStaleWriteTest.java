package vn.hoso.query.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch whose dossier entry another writer moved on while the batch ran (another query-side instance that took the
 * segment over): its write changes nothing, and the events only this batch carries are applied to the entry as it is
 * now, each once. The read model here is an in-memory one with the same compare-on-write contract as the stores.
 */
class BatchedProjectionStaleWriteTest {

    private static final String ID = "d-1";

    /** An entry: the sequence numbers applied to it, in order. */
    record Entry(String id, List<Long> applied) {
        long last() {
            return applied.isEmpty() ? -1 : applied.get(applied.size() - 1);
        }
    }

    /** Entries in a map, written only over the version they were computed from. */
    static final class InMemoryModel implements ReadModel<Entry> {
        final Map<String, Entry> stored = new HashMap<>();
        LongConsumer onApply = sequence -> { };
        int writes;

        @Override
        public String name() {
            return "test";
        }

        @Override
        public String writeVersion() {
            return "only";
        }

        @Override
        public Map<String, Entry> read(String version, Collection<String> dossierIds) {
            Map<String, Entry> found = new HashMap<>();
            dossierIds.forEach(id -> {
                if (stored.containsKey(id)) {
                    found.put(id, new Entry(id, List.copyOf(stored.get(id).applied())));
                }
            });
            return found;
        }

        @Override
        public Entry empty(String dossierId) {
            return new Entry(dossierId, List.of());
        }

        @Override
        public long lastSequence(Entry entry) {
            return entry.last();
        }

        @Override
        public Entry apply(Entry entry, DomainEventMessage<?> event) {
            onApply.accept(event.getSequenceNumber());
            List<Long> applied = new ArrayList<>(entry.applied());
            applied.add(event.getSequenceNumber());
            return new Entry(entry.id(), applied);
        }

        @Override
        public Written write(String version, Collection<Write<Entry>> entries) {
            writes++;
            Set<String> stale = new LinkedHashSet<>();
            for (Write<Entry> write : entries) {
                Entry current = stored.get(write.entry().id());
                if ((current == null ? -1 : current.last()) != write.replaces()) {
                    stale.add(write.entry().id());
                } else {
                    stored.put(write.entry().id(), write.entry());
                }
            }
            return new Written(Map.of(), stale);
        }

        void storeUpTo(long last) {
            stored.put(ID, new Entry(ID, LongStream.rangeClosed(0, last).boxed().toList()));
        }
    }

    private final InMemoryModel model = new InMemoryModel();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BatchedProjection<Entry> projection = new BatchedProjection<>(model,
            new OrderedApplier(null, meters), group -> {
                throw new AssertionError("nothing is parked here");
            }, meters, java.time.Clock.systemUTC());

    private void runBatch(long fromSequence, long toSequence) throws Exception {
        List<EventMessage<?>> messages = new ArrayList<>();
        for (long sequence = fromSequence; sequence <= toSequence; sequence++) {
            messages.add(new GenericDomainEventMessage<>("Dossier", ID, sequence, "event " + sequence));
        }
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(messages);
        unitOfWork.executeWithResult(() -> projection.interceptor().handle(unitOfWork,
                () -> {
                    projection.handle((DomainEventMessage<?>) unitOfWork.getMessage());
                    return null;
                }));
    }

    private double staleWrites() {
        return meters.get("hoso.projection.stale.writes").counter().count();
    }

    @Test
    void eventsOnlyTheStaleBatchCarriesAreAppliedOverTheNewerEntry() throws Exception {
        model.storeUpTo(3);
        // while this batch applies 4..6, another instance writes the entry up to 5
        model.onApply = sequence -> {
            if (sequence == 6) {
                model.storeUpTo(5);
            }
        };

        runBatch(4, 6);

        assertThat(model.stored.get(ID).applied()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(staleWrites()).isEqualTo(1);
        assertThat(model.writes).isEqualTo(2);
    }

    @Test
    void aStaleBatchBehindTheStoredEntryWritesNothing() throws Exception {
        model.storeUpTo(3);
        model.onApply = sequence -> {
            if (sequence == 5) {
                model.storeUpTo(8);
            }
        };

        runBatch(4, 5);

        assertThat(model.stored.get(ID).last()).isEqualTo(8);
        assertThat(model.stored.get(ID).applied()).hasSize(9);
        assertThat(staleWrites()).isEqualTo(1);
    }

    @Test
    void anUncontendedBatchIsOneWrite() throws Exception {
        model.storeUpTo(1);

        runBatch(2, 4);

        assertThat(model.stored.get(ID).applied()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(staleWrites()).isZero();
        assertThat(model.writes).isEqualTo(1);
    }
}
