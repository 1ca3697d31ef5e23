/**
 * The event store: one MongoDB document per event at a global position ({@code _id}), tracked by gap-aware tokens,
 * every hot read by key ({@link vn.hoso.eventstore.PositionedMongoEventStorageEngine}); and the one-off migration of a
 * store written by axon-mongo's engine ({@link vn.hoso.eventstore.LegacyEventStore}). Spring-free: both sides wire it.
 */
package vn.hoso.eventstore;
