/**
 * The search index: one Elasticsearch document per dossier, behind the alias {@code dossiers}, written in bulk per
 * event batch with the event sequence number as external version. Serves officers' and inspectors' searches,
 * citizens' own dossier lists, and (by aggregations over the same documents) the statistics.
 */
package vn.hoso.query.search;
