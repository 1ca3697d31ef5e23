/**
 * The event store ({@code vn.hoso.eventstore.PositionedMongoEventStorageEngine} from shared-events) wired on one
 * MongoDB URI, Jackson serializers for events, snapshots and messages, and the warm dossier cache.
 */
package vn.hoso.command.store;
