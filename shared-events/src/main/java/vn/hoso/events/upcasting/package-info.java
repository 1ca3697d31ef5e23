/**
 * How stored events of earlier revisions are read as the current ones: one upcaster chain
 * ({@link vn.hoso.events.upcasting.DossierEventUpcasters#chain()}), built here, Spring-free, and given to everything that
 * reads events (both sides' storage engines, the dead-letter queue, the raw history). Stored documents are never
 * rewritten: an event evolves by a new revision and an upcaster from the one before.
 */
package vn.hoso.events.upcasting;
