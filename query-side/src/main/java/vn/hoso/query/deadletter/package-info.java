/**
 * Parked dossiers: a dead-letter queue per read model in MongoDB, sequenced by dossier, and what operators see of it
 * and do with it (list, retry, evict; a gauge and health details).
 */
package vn.hoso.query.deadletter;
