package vn.hoso.query.store;

import org.bson.Document;

import java.time.Duration;
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
public interface VersionedReadModel<S> extends ReadModel<S> {

    /** The version reads go to now. */
    String readVersion();

    /** A new, empty version beside the live one, set up for filling fast. */
    String createVersion();

    /** Makes a version ready to serve reads (what filling it fast left out), before reads move to it. */
    void readyForReads(String version);

    /** Points writes at this version alone. */
    void pointWritesAt(String version);

    /** Points reads at this version alone. */
    void pointReadsAt(String version);

    /**
     * How long after a move every instance's readers and writers follow it (they may hold what they read before that
     * long): a switch measures what the live processor applied only after it passed.
     */
    default Duration moveTakesEffect() {
        return Duration.ZERO;
    }

    /** Deletes a version no longer in use; never one reads or writes go to. */
    void deleteVersion(String version);

    /** How many dossiers a version holds an entry of. */
    long count(String version);

    /**
     * Every entry of a version, as its dossier id and last sequence number, page by page (in one pass over the
     * version): what a rebuild's check holds against the store. Closed by the caller, read to the end or not.
     */
    Pages lastSequences(String version);

    /** Pages of (dossier id, last sequence number), holding a cursor until closed. */
    interface Pages extends Iterator<List<Map.Entry<String, Long>>>, AutoCloseable {
        @Override
        void close();
    }

    /** The entries whole in a version (what a read model keeps apart put back), as a fold of the store's is compared. */
    default Map<String, S> readWhole(String version, Collection<String> dossierIds) {
        return read(version, dossierIds);
    }

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
