package vn.hoso.query.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The dossier index behind an alias ({@code dossiers} by default): created from an explicit mapping, written in bulk with each
 * document's last event sequence number as external version, so that a redelivered or older event never moves a
 * document backwards. Every bulk item is checked: a version conflict means "already applied"; any other item
 * error fails the whole batch (the processor then retries it).
 */
public class SearchIndex {

    private static final String MAPPING = "search/dossiers-index.json";
    private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);

    private final ElasticsearchClient client;
    private final int replicas;
    private final String alias;

    public SearchIndex(ElasticsearchClient client, int replicas, String alias) {
        this.client = client;
        this.replicas = replicas;
        this.alias = alias;
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
                createIndex(alias + "-v1", true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Elasticsearch to create the index", e);
        }
    }

    /** A rebuild: a fresh, empty index takes the alias over, the old one is dropped. */
    public void recreate() {
        try {
            Set<String> previous = client.indices().getAlias(g -> g.name(alias)).result().keySet();
            String next = alias + "-v" + System.currentTimeMillis();
            createIndex(next, false);
            client.indices().updateAliases(u -> {
                u.actions(a -> a.add(add -> add.index(next).alias(alias).isWriteIndex(true)));
                previous.forEach(old -> u.actions(a -> a.remove(r -> r.index(old).alias(alias))));
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

    private void createIndex(String name, boolean withAlias) throws IOException {
        try (InputStream mapping = SearchIndex.class.getClassLoader().getResourceAsStream(MAPPING)) {
            client.indices().create(c -> {
                c.index(name).withJson(mapping).settings(s -> s.numberOfReplicas(String.valueOf(replicas)));
                if (withAlias) {
                    c.aliases(alias, a -> a.isWriteIndex(true));
                }
                return c;
            });
        }
    }

    public Optional<DossierDocument> get(String dossierId) {
        try {
            GetResponse<DossierDocument> response = client.get(g -> g.index(alias).id(dossierId), DossierDocument.class);
            return response.found() ? Optional.ofNullable(response.source()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dossier " + dossierId + " from the search index", e);
        }
    }

    /** Writes the documents in one bulk request; returns how many were already at that version or newer. */
    public int write(Collection<DossierDocument> documents) {
        if (documents.isEmpty()) {
            return 0;
        }
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        for (DossierDocument doc : documents) {
            bulk.operations(op -> op.index(i -> i.index(alias).id(doc.dossierId).document(doc)
                    .version(doc.lastSequence).versionType(VersionType.External)));
        }
        BulkResponse response;
        try {
            response = client.bulk(bulk.build());
        } catch (IOException e) {
            throw new UncheckedIOException("bulk write of " + documents.size() + " dossiers failed", e);
        }
        int alreadyApplied = 0;
        List<String> failures = new java.util.ArrayList<>();
        for (BulkResponseItem item : response.items()) {
            if (item.error() == null) {
                continue;
            }
            if ("version_conflict_engine_exception".equals(item.error().type())) {
                alreadyApplied++;
            } else {
                failures.add(item.id() + ": " + item.error().type() + " " + item.error().reason());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("search index refused " + failures.size() + " of " + documents.size()
                    + " documents: " + failures);
        }
        return alreadyApplied;
    }

    public void refresh() {
        try {
            client.indices().refresh(r -> r.index(alias));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
