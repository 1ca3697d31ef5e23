package vn.hoso.query.store;

import org.axonframework.eventhandling.DomainEventMessage;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * One read model as the {@link BatchedProjection} drives it: one entry per dossier, read and written in batches by
 * dossier id, each entry knowing the last event sequence number applied to it.
 *
 * @param <S> the entry of one dossier
 */
public interface ReadModel<S> {

    /** The processing group, which is also the read model's name in logs, metrics and dead letters. */
    String name();

    /**
     * The version of the read model writes go to now (a rebuild moves it): a batch reads and writes this one version,
     * asked once at its start, so that it never writes into one version entries it read from another.
     *
     * @throws RuntimeException when this instance cannot write the read model now: the batch fails and is retried
     */
    String writeVersion();

    /**
     * The entries of these dossiers in a version, read by key; dossiers without one are absent from the answer.
     *
     * @throws RuntimeException when the store cannot be read: the batch fails and is retried as a whole
     */
    Map<String, S> read(String version, Collection<String> dossierIds);

    /** The same in the version writes go to now. */
    default Map<String, S> read(Collection<String> dossierIds) {
        return read(writeVersion(), dossierIds);
    }

    /**
     * The entries whole where reads go, as a verification compares them with a fold of the store's events (by default
     * {@link #read}, where writes go, the same version outside a rebuild's switch); a read model that keeps part of an
     * entry apart (timelines keep their earliest steps in pages) puts it back.
     */
    default Map<String, S> readWhole(Collection<String> dossierIds) {
        return read(dossierIds);
    }

    S empty(String dossierId);

    long lastSequence(S entry);

    /** The entry after one more event: pure, no I/O. A failure here parks the event's dossier. */
    S apply(S entry, DomainEventMessage<?> event);

    /**
     * Writes the entries, each only over the entry it was computed from: an entry that another writer has moved on
     * since (another query-side instance that took the dossier's segment over, say) is left as it is and reported
     * stale. Reports the dossiers whose entry the store refused for good, with a description of why that holds no
     * personal data; throws when the store could not take the write now (unreachable, overloaded, timed out), so that
     * the batch is retried as a whole instead.
     */
    Written write(String version, Collection<Write<S>> writes);

    /** The same into the version writes go to now. */
    default Written write(Collection<Write<S>> writes) {
        return write(writeVersion(), writes);
    }

    /**
     * One entry to write.
     *
     * @param replaces the last sequence number of the stored entry it was computed from, -1 when there was none
     */
    record Write<S>(S entry, long replaces) {
    }

    /**
     * What a write did not change.
     *
     * @param refused dossiers whose entry the store refused for good, with why
     * @param stale   dossiers whose stored entry was not the one the write replaces: it changed nothing
     */
    record Written(Map<String, String> refused, Set<String> stale) {
        public static final Written ALL = new Written(Map.of(), Set.of());
    }
}
