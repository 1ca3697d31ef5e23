/**
 * The query side of HoSo. Packages by feature: {@code search} (the Elasticsearch index of dossiers), {@code timeline}
 * (what a citizen reads), {@code store} (the event stream the projections track, tokens, error handling, gap repair).
 */
package vn.hoso.query;
