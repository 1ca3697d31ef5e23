/**
 * Satisfaction and timeliness statistics for analysts, per agency, procedure or period. They are Elasticsearch
 * aggregations over the search index's one-document-per-dossier, computed at query time: each dossier's document is
 * replaced whole at its event sequence number (external version), so a redelivered or replayed event can never be
 * counted twice, and no counter needs a transaction to stay exact.
 */
package vn.hoso.query.statistics;
