package vn.hoso.query.store;

import org.axonframework.eventhandling.DomainEventMessage;
import org.bson.Document;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A read model kept in versions, so that a {@link ReadModelRebuild} can fill a new one beside the live one and switch
 * to it: reads and writes each go to one version (the search index: two aliases; timelines: a document naming the
 * versions, read by every reader and writer), and writes move first.
 *
 * @param <S> the entry of one dossier
 */
public interface VersionedReadModel<S> {

    /** The read model's name, the same as its live processor's: in the operator API, the log and the metrics. */
    String name();

    /** The version reads go to now. */
    String readVersion();

    /** The version writes go to now. */
    String writeVersion();

    /** A new, empty version beside the live one, set up for filling fast. */
    String createVersion();

    /** Makes a version ready to serve reads (what filling it fast left out), before reads move to it. */
    void readyForReads(String version);

    /** Points writes at this version alone, at once on this instance and within a second on the others. */
    void pointWritesAt(String version);

    /** Points reads at this version alone. */
    void pointReadsAt(String version);

    /** Deletes a version no longer in use; never one reads or writes go to. */
    void deleteVersion(String version);

    /** How many dossiers a version holds an entry of. */
    long count(String version);

    /**
     * Every entry of a version, as its dossier id and last sequence number, page by page (in one pass over the
     * version): what a rebuild's check holds against the store.
     */
    Iterator<List<Map.Entry<String, Long>>> lastSequences(String version);

    /** The entries of these dossiers in a version, as the projection reads them to apply events. */
    Map<String, S> read(String version, Collection<String> dossierIds);

    /** The same, whole (what a read model keeps apart put back), as a fold of the store's events is compared with. */
    default Map<String, S> readWhole(String version, Collection<String> dossierIds) {
        return read(version, dossierIds);
    }

    /** Writes entries into a version, each over the one it was computed from (see {@link ReadModel#write}). */
    ReadModel.Written write(String version, Collection<ReadModel.Write<S>> writes);

    S empty(String dossierId);

    long lastSequence(S entry);

    S apply(S entry, DomainEventMessage<?> event);

    /**
     * Why a rebuild should start by itself now, if it should (asked every few seconds on every instance, and only
     * acted on when none is under way): a search mapping the live index refuses, say.
     */
    default Optional<String> rebuildWanted() {
        return Optional.empty();
    }

    /**
     * What a rebuild starting on this instance records of it (the search mapping it builds for), or a refusal (an
     * instance of an earlier version): {@code keepsPrevious}, false when this version cannot write the previous one.
     */
    default Document startFields() {
        return new Document();
    }

    /** Whether this instance carries out a rebuild so recorded (one of the mapping it builds for). */
    default boolean buildsHere(Document state) {
        return true;
    }

    /** Called once writes went to another version, so that this instance's own writers follow at once. */
    default void writesMoved() {
    }

    /** The versions the live read model is made of now, for the operator API. */
    default Set<String> liveVersions() {
        return Set.of(readVersion());
    }
}
