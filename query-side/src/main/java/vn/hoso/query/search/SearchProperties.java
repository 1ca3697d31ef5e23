package vn.hoso.query.search;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Search settings ({@code hoso.search.*}).
 *
 * @param alias         the alias in front of the versioned index (its indices are named alias-v...)
 * @param replicas      replicas of the index (0 on a one-node cluster, or it stays yellow)
 * @param idHashKey     base64 key of the applicant-ID hash; production sets it
 * @param idHashKeyFile where a local run keeps the throw-away key it generates when no key is set
 */
@ConfigurationProperties("hoso.search")
public record SearchProperties(@DefaultValue("dossiers") String alias, @DefaultValue("0") int replicas, String idHashKey,
                               @DefaultValue("deploy/data/id-hash.key") String idHashKeyFile) {
}
