/**
 * The event stream the projections track: the positioned event store engine read by global position with gap-aware
 * tokens (an event committed late is delivered when it lands), Mongo-kept tracking tokens, a propagating error handler
 * (a failing handler never skips its event), and per-dossier ordering ({@link vn.hoso.query.store.OrderedApplier}).
 */
package vn.hoso.query.store;
