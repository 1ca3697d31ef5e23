package vn.hoso.query.search;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Search settings ({@code hoso.search.*}).
 *
 * @param alias         the alias in front of the versioned index (its indices are named alias-v...)
 * @param replicas      replicas of each shard (0 on a one-node cluster, or it stays yellow; 1 on three nodes keeps
 *                      every document on two of them); changed in place at start
 * @param idHashKey     base64 key of the applicant-ID hash (32 bytes or more), the same on every instance: required,
 *                      or a file holding it
 * @param idHashKeyFile a file holding the key (a mounted secret, say); in the development profile only, a throw-away
 *                      key is generated into it when it does not exist
 * @param mapping       the index mapping this version writes, a resource (a test's next version names another): a
 *                      live index that refuses it is rebuilt beside the live one, see {@link SearchIndex.Fit}
 * @param shards        primary shards of a new version of the index (a live index keeps its own until a rebuild)
 * @param refreshInterval how soon a written document is searchable (Elasticsearch's time units); changed in place
 */
@ConfigurationProperties("hoso.search")
public record SearchProperties(@DefaultValue("dossiers") String alias, @DefaultValue("0") int replicas, String idHashKey,
                               String idHashKeyFile, @DefaultValue(SearchIndex.MAPPING) String mapping,
                               @DefaultValue("1") int shards, @DefaultValue("1s") String refreshInterval) {

    SearchIndex.Layout layout() {
        return new SearchIndex.Layout(shards, replicas, refreshInterval);
    }
}
