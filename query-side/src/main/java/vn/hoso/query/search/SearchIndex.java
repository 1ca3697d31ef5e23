package vn.hoso.query.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.hoso.query.store.ReadModel.Write;
import vn.hoso.query.store.ReadModel.Written;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dossier index behind an alias ({@code dossiers} by default): created from an explicit mapping, written in bulk with each
 * document's last event sequence number as external version, so that a redelivered or older event never moves a
 * document backwards. Every bulk item is checked: a version conflict means "already applied"; an item Elasticsearch
 * cannot take now fails the whole batch (the processor retries it); an item it refuses for good is reported, so that
 * its dossier alone is parked.
 */
public class SearchIndex {

    /** The mapping this version writes by default; {@code hoso.search.mapping} names another (a test's next version). */
    public static final String MAPPING = "search/dossiers-index.json";
    private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPING_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final ElasticsearchClient client;
    private final Layout layout;
    private final String alias;
    /**
     * The alias writes go through ({@code <alias>-write}), apart from the one reads go through: a rebuild moves writes
     * to a new version first, brings it level, and only then moves reads, so that no search sees less than before.
     */
    private final String writeAlias;
    /** This version's mapping (the resource's JSON) and its number, {@code mappings._meta.mapping}. */
    private final String mappingResource;
    private final int mappingVersion;
    /** How this version's mapping fits the index writes go to: re-read when that index changes. */
    private volatile MappingFit fit;

    /**
     * How an index is laid out on the cluster: primary shards (fixed when an index is created: a change takes a
     * rebuild), replicas of each and how often new documents become searchable (both changed in place at start).
     */
    public record Layout(int shards, int replicas, String refreshInterval) {
        public Layout {
            if (shards < 1 || replicas < 0 || refreshInterval == null || refreshInterval.isBlank()) {
                throw new IllegalArgumentException("an index needs 1 or more shards, 0 or more replicas and a refresh"
                        + " interval, not " + shards + " / " + replicas + " / " + refreshInterval);
            }
        }
    }

    public SearchIndex(ElasticsearchClient client, int replicas, String alias) {
        this(client, new Layout(1, replicas, "1s"), alias, MAPPING);
    }

    public SearchIndex(ElasticsearchClient client, Layout layout, String alias, String mappingResource) {
        this.client = client;
        this.layout = layout;
        this.alias = alias;
        this.writeAlias = alias + "-write";
        this.mappingResource = mappingResource;
        this.mappingVersion = mappingJson().path("mappings").path("_meta").path("mapping").asInt(1);
    }

    /**
     * How a version's mapping fits the index writes go to. Every index carries, in its mapping's {@code _meta}, the
     * newest mapping number put on it ({@code mapping}) and the oldest whose documents it takes ({@code accepts}: the
     * number it was created with, since a field added in place leaves older documents valid). Indexes made before
     * these numbers count as 1 and 1.
     */
    public enum Fit {
        /** This version writes the index (the same mapping, an older one it still takes, or fields added in place). */
        FITS,
        /** The index refuses this version's mapping (a changed field type, say): a rebuild makes an index for it. */
        NEEDS_REBUILD,
        /** The index was rebuilt for a newer mapping that refuses this version's documents: newer instances write it. */
        TOO_OLD
    }

    /**
     * How this version's mapping fits one index, and why; {@code complete}: the mapping whose every field each of its
     * documents has (lower than its mapping after fields were added in place to documents indexed before).
     */
    public record MappingFit(Fit fit, String index, int indexMapping, int accepts, int complete, String reason) {
    }

    public String alias() {
        return alias;
    }

    public ElasticsearchClient client() {
        return client;
    }

    /** Creates the first versioned index behind the alias if there is none. */
    public void ensureExists() {
        try {
            if (!client.indices().existsAlias(e -> e.name(alias)).value()) {
                try {
                    createIndex(alias + "-v1", true);
                } catch (ElasticsearchException e) {
                    // another query-side instance starting at the same time created it (with the alias) first
                    if (!"resource_already_exists_exception".equals(e.error().type())) {
                        throw e;
                    }
                    log.info("search index {}-v1 was created by another instance meanwhile: using it", alias);
                }
            }
            if (!client.indices().existsAlias(e -> e.name(writeAlias)).value()) {
                // an index made before writes had an alias of their own: writes go where reads do
                Set<String> reading = liveIndexes();
                client.indices().updateAliases(u -> {
                    reading.forEach(index -> u.actions(a -> a.add(add -> add.index(index).alias(writeAlias)
                            .isWriteIndex(true))));
                    return u;
                });
            }
            refit();
            if (fit.fit() != Fit.FITS) {
                log.warn("{}", fit.reason());
            }
            fitLayout();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Elasticsearch to create the index", e);
        }
    }

    /**
     * Brings the live indexes to the configured replicas and refresh interval, which Elasticsearch changes in place
     * (a replica added is copied in the background; reads and writes go on). A different number of primary shards
     * is only told: it takes a rebuild into a new version, which is created with the configured number.
     */
    private void fitLayout() throws IOException {
        for (String index : liveIndexes()) {
            var all = client.indices().getSettings(g -> g.index(index)).get(index).settings();
            // Elasticsearch answers them under "index"
            var settings = all.index() != null ? all.index() : all;
            String replicas = settings.numberOfReplicas();
            String refresh = settings.refreshInterval() == null ? "1s" : settings.refreshInterval().time();
            if (!String.valueOf(layout.replicas()).equals(replicas) || !layout.refreshInterval().equals(refresh)) {
                client.indices().putSettings(p -> p.index(index).settings(st -> st
                        .numberOfReplicas(String.valueOf(layout.replicas()))
                        .refreshInterval(t -> t.time(layout.refreshInterval()))));
                log.info("search index {}: replicas {} -> {}, refresh interval {} -> {}", index, replicas,
                        layout.replicas(), refresh, layout.refreshInterval());
            }
            if (!String.valueOf(layout.shards()).equals(settings.numberOfShards())) {
                log.warn("search index {} has {} primary shards, the configuration {} (hoso.search.shards): a rebuild"
                        + " (POST /api/v1/operator/rebuilds/search-index) creates a version with {}", index,
                        settings.numberOfShards(), layout.shards(), layout.shards());
            }
        }
    }

    public int mappingVersion() {
        return mappingVersion;
    }

    /** Whether this version may write the index writes go to, as last read. */
    public boolean writesFit() {
        return fit != null && fit.fit() == Fit.FITS;
    }

    /**
     * The index writes go to now, by its name, read again (one alias lookup): a batch reads and writes that one index,
     * so that an instance never writes an index whose mapping it has not read (a rebuild may move the alias at any
     * time), nor writes into one index documents it read from another. Throws {@link SearchIndexUnavailable} when
     * this version's mapping does not fit it (the batch waits and is retried; nothing is parked).
     */
    public String writeTarget() {
        MappingFit now = refit();
        if (now.fit() != Fit.FITS) {
            throw new SearchIndexUnavailable(now.reason(), null);
        }
        return now.index();
    }

    /**
     * Reads again how this version's mapping fits the index writes go to, if that index changed since the last
     * reading (a rebuild switched): cheap when it did not (one alias lookup).
     */
    public MappingFit refit() {
        Set<String> writing = writingIndexes();
        if (writing.size() != 1) {
            throw new SearchIndexUnavailable("writes go to " + writing + " behind " + writeAlias + ", not to one index",
                    null);
        }
        String target = writing.iterator().next();
        MappingFit last = fit;
        if (last != null && last.index().equals(target)) {
            return last;
        }
        MappingFit now = fitTo(target, true);
        if (last != null && last.fit() != now.fit()) {
            log.info("search index: writes now go to {}; this instance {} it ({})", target,
                    now.fit() == Fit.FITS ? "writes" : "does not write", now.reason());
        }
        fit = now;
        return now;
    }

    /**
     * How this version's mapping fits an index. With {@code putIfNewer}, a mapping newer than the index's is put on it
     * (fields added in place are what Elasticsearch allows; a changed type it refuses, and then the index needs a
     * rebuild). A mapping equal in number that the index refuses is a mistake (a changed mapping with its number not
     * raised): the start fails saying so.
     */
    private MappingFit fitTo(String target, boolean putIfNewer) {
        try {
            var mappings = client.indices().getMapping(g -> g.index(target)).result().get(target).mappings();
            Map<String, co.elastic.clients.json.JsonData> meta = mappings.meta();
            int indexMapping = number(meta, "mapping", 1);
            int accepts = number(meta, "accepts", 1);
            int complete = number(meta, "complete", indexMapping);
            if (mappingVersion < accepts) {
                return new MappingFit(Fit.TOO_OLD, target, indexMapping, accepts, complete, "this instance's search"
                        + " mapping " + mappingVersion + " is older than the oldest " + target + " takes (" + accepts
                        + "): it leaves writing the search index to instances of a newer version");
            }
            if (mappingVersion < indexMapping || !putIfNewer) {
                return new MappingFit(Fit.FITS, target, indexMapping, accepts, complete, "mapping " + mappingVersion
                        + " is one " + target + " takes (" + accepts + " to " + indexMapping + ")");
            }
            Set<String> known = new java.util.TreeSet<>(mappings.properties().keySet());
            ObjectNode mine = (ObjectNode) mappingJson().get("mappings");
            Set<String> added = new java.util.TreeSet<>();
            mine.path("properties").fieldNames().forEachRemaining(added::add);
            added.removeAll(known);
            // documents indexed before lack the added fields: the index is complete for this mapping only if empty
            int nowComplete = added.isEmpty() || client.count(c -> c.index(target)).count() == 0 ? mappingVersion
                    : complete;
            mine.putObject("_meta").put("mapping", mappingVersion).put("accepts", accepts)
                    .put("complete", nowComplete);
            try {
                client.indices().putMapping(p -> p.index(target).withJson(new java.io.StringReader(mine.toString())));
            } catch (ElasticsearchException e) {
                String refusal = describe(e.error().type(), e.error().reason());
                if (indexMapping == mappingVersion) {
                    throw new IllegalStateException("the search index " + target + " refuses this version's mapping ("
                            + refusal + ") though both are numbered " + mappingVersion + ": a changed mapping needs a"
                            + " higher number (mappings._meta.mapping in " + mappingResource + "), which rebuilds the"
                            + " index beside the live one");
                }
                return new MappingFit(Fit.NEEDS_REBUILD, target, indexMapping, accepts, complete, "the search index "
                        + target + " (mapping " + indexMapping + ") refuses this version's mapping " + mappingVersion
                        + " (" + refusal + "): this instance does not write it; a rebuild beside it makes an index"
                        + " for mapping " + mappingVersion + ", and this instance writes once it takes over. Until"
                        + " then instances of the earlier version keep " + target + " current; with none running,"
                        + " searches show it as it was when they stopped");
            }
            if (nowComplete < mappingVersion) {
                log.warn("the search index {} was made by an earlier version: this version added the fields {}; its"
                        + " documents indexed before lack them until a rebuild beside it, which starts by itself",
                        target, added);
            }
            return new MappingFit(Fit.FITS, target, mappingVersion, accepts, nowComplete, "mapping " + mappingVersion
                    + " put on " + target + (added.isEmpty() ? "" : ", adding " + added));
        } catch (IOException e) {
            throw new SearchIndexUnavailable("cannot read the mapping of " + target, e);
        }
    }

    /** A number in an index mapping's {@code _meta}; absent in an index made before mappings were numbered. */
    private static int number(Map<String, co.elastic.clients.json.JsonData> meta, String key, int absent) {
        return meta == null || !meta.containsKey(key) ? absent : meta.get(key).to(Integer.class);
    }

    /** This version's index body (settings and mappings), as in its resource. */
    private ObjectNode mappingJson() {
        try (InputStream mapping = SearchIndex.class.getClassLoader().getResourceAsStream(mappingResource)) {
            if (mapping == null) {
                throw new IllegalStateException("no search mapping " + mappingResource + " (hoso.search.mapping)");
            }
            return (ObjectNode) MAPPING_JSON.readTree(mapping);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This version's index body, its mapping numbered as new: it takes this version's documents and newer ones. */
    private java.io.StringReader newIndexBody() {
        return newIndexBody(layout.replicas(), layout.refreshInterval());
    }

    /**
     * The same with these replicas and refresh interval. The whole layout goes in the body: the request builder's
     * {@code settings(...)} would replace the body's settings, shards included.
     */
    private java.io.StringReader newIndexBody(int replicas, String refreshInterval) {
        ObjectNode body = mappingJson();
        // the layout is configuration (hoso.search.*), not the mapping resource's
        body.with("settings").put("number_of_shards", layout.shards()).put("number_of_replicas", replicas)
                .put("refresh_interval", refreshInterval);
        ((ObjectNode) body.get("mappings")).putObject("_meta").put("mapping", mappingVersion)
                .put("accepts", mappingVersion).put("complete", mappingVersion);
        return new java.io.StringReader(body.toString());
    }

    /** A rebuild: a fresh, empty index takes the alias over, the old one is dropped. */
    public void recreate() {
        try {
            Set<String> previous = liveIndexes();
            String next = alias + "-v" + System.currentTimeMillis();
            createIndex(next, false);
            Set<String> writing = writingIndexes();
            client.indices().updateAliases(u -> {
                u.actions(a -> a.add(add -> add.index(next).alias(alias).isWriteIndex(true)));
                u.actions(a -> a.add(add -> add.index(next).alias(writeAlias).isWriteIndex(true)));
                previous.forEach(old -> u.actions(a -> a.remove(r -> r.index(old).alias(alias))));
                writing.forEach(old -> u.actions(a -> a.remove(r -> r.index(old).alias(writeAlias))));
                return u;
            });
            for (String old : previous) {
                client.indices().delete(d -> d.index(old));
            }
            log.info("search index rebuilt: alias {} now on {} (dropped {})", alias, next, previous);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild the search index", e);
        }
    }

    /**
     * A new, empty version of the index beside the live one, with this version's mapping, built for writing: no
     * replicas and no refresh until {@link #readyForReads}.
     */
    public String createVersion() {
        String name = alias + "-v" + System.currentTimeMillis();
        try {
            client.indices().create(c -> c.index(name).withJson(newIndexBody(0, "-1")));
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a new version of the search index", e);
        }
    }

    /** Restores a version's replicas and refresh, and refreshes it, before reads switch to it. */
    public void readyForReads(String index) {
        try {
            client.indices().putSettings(p -> p.index(index).settings(st -> st
                    .numberOfReplicas(String.valueOf(layout.replicas()))
                    .refreshInterval(t -> t.time(layout.refreshInterval()))));
            client.indices().refresh(r -> r.index(index));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot ready " + index + " for reads", e);
        }
    }

    /** The indexes reads go to now. */
    public Set<String> liveIndexes() {
        return indexesBehind(alias);
    }

    /** Points reads at this version alone, in one action. */
    public void pointReadsAt(String index) {
        move(alias, index);
    }

    /** Points writes at this version alone, in one action. */
    public void pointWritesAt(String index) {
        move(writeAlias, index);
    }

    /** The indexes writes go to now. */
    public Set<String> writingIndexes() {
        return indexesBehind(writeAlias);
    }

    private Set<String> indexesBehind(String name) {
        try {
            return client.indices().getAlias(g -> g.name(name)).result().keySet();
        } catch (IOException | ElasticsearchException e) {
            // unreachable, or the alias is missing (its index deleted): what reads or writes through it waits
            throw new SearchIndexUnavailable("cannot read the alias " + name, e);
        }
    }

    private void move(String name, String index) {
        try {
            // onto this one and off every other, in one action; checked after, so that a concurrent move cannot leave
            // it on two
            for (int attempt = 0; attempt < 3; attempt++) {
                Set<String> previous = indexesBehind(name);
                if (previous.equals(Set.of(index))) {
                    return;
                }
                client.indices().updateAliases(u -> {
                    u.actions(a -> a.add(add -> add.index(index).alias(name).isWriteIndex(true)));
                    previous.stream().filter(old -> !old.equals(index))
                            .forEach(old -> u.actions(a -> a.remove(r -> r.index(old).alias(name))));
                    return u;
                });
            }
            throw new IllegalStateException("the alias " + name + " could not be moved onto " + index + " alone");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot point " + name + " at " + index, e);
        }
    }

    /** Deletes a version no longer in use; never one the alias points at. */
    public void deleteIndex(String index) {
        if (liveIndexes().contains(index) || writingIndexes().contains(index)) {
            throw new IllegalStateException("refused to delete " + index + ": the alias " + alias + " points at it");
        }
        try {
            client.indices().delete(d -> d.index(index).ignoreUnavailable(true));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + index, e);
        }
    }

    /** How many documents an index (or the alias) holds, refreshed first. */
    public long count(String index) {
        try {
            client.indices().refresh(r -> r.index(index));
            return client.count(c -> c.index(index)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot count " + index, e);
        }
    }

    private void createIndex(String name, boolean withAlias) throws IOException {
        client.indices().create(c -> {
            c.index(name).withJson(newIndexBody());
            if (withAlias) {
                c.aliases(alias, a -> a.isWriteIndex(true));
                c.aliases(writeAlias, a -> a.isWriteIndex(true));
            }
            return c;
        });
    }

    public Optional<DossierDocument> get(String dossierId) {
        try {
            GetResponse<DossierDocument> response = client.get(g -> g.index(alias).id(dossierId), DossierDocument.class);
            return response.found() ? Optional.ofNullable(response.source()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dossier " + dossierId + " from the search index", e);
        }
    }

    /** The documents of these dossiers in one index, by its name, in one request; dossiers without one are absent. */
    public Map<String, DossierDocument> getAll(String index, Collection<String> dossierIds) {
        if (dossierIds.isEmpty()) {
            return Map.of();
        }
        try {
            MgetResponse<DossierDocument> response = client.mget(m -> m.index(index).ids(List.copyOf(dossierIds)),
                    DossierDocument.class);
            Map<String, DossierDocument> found = new HashMap<>();
            for (MultiGetResponseItem<DossierDocument> item : response.docs()) {
                if (item.isFailure()) {
                    throw new SearchIndexUnavailable("reading dossier " + item.failure().id() + ": "
                            + item.failure().error().type(), null);
                }
                if (item.result().found() && item.result().source() != null) {
                    found.put(item.result().id(), item.result().source());
                }
            }
            return found;
        } catch (IOException | ElasticsearchException e) {
            throw new SearchIndexUnavailable("cannot read " + dossierIds.size() + " dossiers from the search index", e);
        }
    }

    /**
     * Writes the documents into one index, by its name (the one {@link #writeTarget} named, or a version being rebuilt),
     * in one bulk request. A version conflict means the document is already at that version or newer: reported stale
     * (nothing written). Returns the dossiers whose document Elasticsearch refused for good (a 4xx item: the document
     * itself is wrong), with the error's type and reason cut before any field value it quotes; throws
     * {@link SearchIndexUnavailable} when Elasticsearch could not take the request or an item now (unreachable, 429,
     * 5xx), so that the whole batch is retried.
     */
    public Written write(String index, Collection<Write<DossierDocument>> writes) {
        if (writes.isEmpty()) {
            return Written.ALL;
        }
        // through the alias only: a missing alias is an error, never a plain index made up with a dynamic mapping
        BulkRequest.Builder bulk = index.equals(alias) || index.equals(writeAlias)
                ? new BulkRequest.Builder().requireAlias(true) : new BulkRequest.Builder();
        for (Write<DossierDocument> write : writes) {
            DossierDocument doc = write.entry();
            // a document written where none was read may meet the tombstone of a deleted one at the same version
            // (kept for index.gc_deletes, 60 s): written over it (external_gte), which a rewrite of the same version
            // computed from the same events leaves as it was; over a document read, only a higher version is written
            VersionType type = write.replaces() < 0 ? VersionType.ExternalGte : VersionType.External;
            bulk.operations(op -> op.index(i -> i.index(index).id(doc.dossierId).document(doc)
                    .version(doc.lastSequence).versionType(type)));
        }
        BulkResponse response;
        try {
            response = client.bulk(bulk.build());
        } catch (IOException | ElasticsearchException e) {
            throw new SearchIndexUnavailable("bulk write of " + writes.size() + " dossiers failed", e);
        }
        Map<String, String> refused = new LinkedHashMap<>();
        Set<String> stale = new LinkedHashSet<>();
        List<String> unavailable = new ArrayList<>();
        for (BulkResponseItem item : response.items()) {
            if (item.error() == null) {
                continue;
            }
            if ("version_conflict_engine_exception".equals(item.error().type())) {
                stale.add(item.id());
                continue;
            }
            String cause = describe(item.error().type(), item.error().reason());
            if (item.status() == 429 || item.status() >= 500 || OUTAGES.contains(item.error().type())) {
                unavailable.add(item.id() + ": " + cause);
            } else {
                refused.put(item.id(), cause);
            }
        }
        if (!unavailable.isEmpty()) {
            throw new SearchIndexUnavailable("search index could not take " + unavailable.size() + " of "
                    + writes.size() + " documents now: " + unavailable, null);
        }
        return new Written(refused, stale);
    }

    /**
     * Errors that say the index cannot take writes now, whatever the document, some of them answered with a 4xx: a
     * write or cluster block (an operator's {@code index.blocks.write}, a snapshot, a shrink, a full disk), a closed
     * index, a missing index or alias, shards not available. The batch waits and is retried; no dossier is parked.
     */
    static final Set<String> OUTAGES = Set.of("cluster_block_exception", "index_closed_exception",
            "index_not_found_exception", "unavailable_shards_exception", "no_shard_available_action_exception",
            "primary_missing_action_exception", "es_rejected_execution_exception", "circuit_breaking_exception",
            "process_cluster_event_timeout_exception", "node_not_connected_exception", "node_closed_exception",
            "illegal_index_shard_state_exception", "shard_not_found_exception");

    /**
     * Why the index cannot be written through its alias, if it cannot: the alias is missing (its index was deleted),
     * or Elasticsearch cannot be reached. Empty when the alias exists (a closed or blocked index behind it is an
     * outage that passes, which projection waits out).
     */
    public Optional<String> unwritable() {
        try {
            if (!client.indices().existsAlias(e -> e.name(alias)).value()
                    || !client.indices().existsAlias(e -> e.name(writeAlias)).value()) {
                return Optional.of("the search index alias " + alias + " does not exist (its index was deleted):"
                        + " projection waits. Recreate it: restart a query side (it creates " + alias + "-v1 with"
                        + " the mapping) and reset the search-index processor to fill it from the event store");
            }
            return Optional.empty();
        } catch (IOException | ElasticsearchException e) {
            return Optional.of("cannot reach Elasticsearch: " + e.getClass().getSimpleName());
        }
    }

    /**
     * An Elasticsearch error for logs and dead letters: its type and reason, cut before the parts that quote the
     * document's values ("Preview of field's value", the prefix of an immense term), which may be personal data.
     */
    static String describe(String type, String reason) {
        String text = reason == null ? "" : reason;
        for (String quoting : List.of("Preview of field's value", "The prefix of the first immense term", "value [")) {
            int at = text.indexOf(quoting);
            if (at >= 0) {
                text = text.substring(0, at).trim();
            }
        }
        if (text.length() > 300) {
            text = text.substring(0, 300) + "...";
        }
        return type + ": " + text;
    }

    /** Elasticsearch could not be read or written now: the batch is retried, nothing is parked. */
    public static final class SearchIndexUnavailable extends RuntimeException {
        SearchIndexUnavailable(String message, Exception cause) {
            super(message, cause);
        }
    }

    public void refresh() {
        try {
            client.indices().refresh(r -> r.index(alias));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
