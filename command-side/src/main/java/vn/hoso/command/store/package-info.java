/**
 * The event store: Axon's {@code MongoEventStorageEngine} wired by hand on one MongoDB URI, one document per event,
 * Jackson serializers for events, snapshots and messages.
 */
package vn.hoso.command.store;
