package vn.hoso.eventstore;

import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.Collection;

/**
 * The stored form of an event, and every filter the engine sends. A filter here is always a flat equality document
 * on exactly the keys of one unique index ({@code _id}, or {@code aggregateIdentifier} + {@code sequenceNumber}), or
 * {@code _id} with {@code $in} and nothing else: the only reads the MongoDB emulator answers from an index. Field
 * names are those axon-mongo used, so that a store written by it migrates by adding positions.
 */
final class EventDocuments {

    static final String POSITION = "_id";
    static final String AGGREGATE = "aggregateIdentifier";
    static final String SEQUENCE = "sequenceNumber";
    static final String TYPE = "type";
    static final String EVENT_ID = "eventIdentifier";
    static final String TIMESTAMP = "timestamp";
    static final String PAYLOAD_TYPE = "payloadType";
    static final String PAYLOAD_REVISION = "payloadRevision";
    static final String PAYLOAD = "serializedPayload";
    static final String META_DATA = "serializedMetaData";
    /** Marks a position whose append failed: it holds no event, and readers step over it without waiting. */
    static final String VOID = "void";

    private EventDocuments() {
    }

    static Document event(long position, DomainEventMessage<?> event, Serializer serializer) {
        SerializedObject<String> payload = event.serializePayload(serializer, String.class);
        SerializedObject<String> metaData = event.serializeMetaData(serializer, String.class);
        return new Document(POSITION, position)
                .append(AGGREGATE, event.getAggregateIdentifier())
                .append(SEQUENCE, event.getSequenceNumber())
                .append(TYPE, event.getType())
                .append(EVENT_ID, event.getIdentifier())
                .append(TIMESTAMP, DateTimeUtils.formatInstant(event.getTimestamp()))
                .append(PAYLOAD_TYPE, payload.getType().getName())
                .append(PAYLOAD_REVISION, payload.getType().getRevision())
                .append(PAYLOAD, payload.getData())
                .append(META_DATA, metaData.getData());
    }

    /** A position given up by a failed append: unique in the aggregate index too, under a name no dossier has. */
    static Document voided(long position) {
        return new Document(POSITION, position)
                .append(AGGREGATE, "\u0000void-" + position)
                .append(SEQUENCE, 0L)
                .append(VOID, true);
    }

    static boolean isVoid(Document document) {
        return Boolean.TRUE.equals(document.getBoolean(VOID));
    }

    static long position(Document document) {
        return document.get(POSITION, Number.class).longValue();
    }

    static DomainEventData<String> data(Document document) {
        return new GenericDomainEventEntry<>(document.getString(TYPE), document.getString(AGGREGATE),
                document.get(SEQUENCE, Number.class).longValue(), document.getString(EVENT_ID),
                document.getString(TIMESTAMP), document.getString(PAYLOAD_TYPE), document.getString(PAYLOAD_REVISION),
                PersonalData.reveal(document), document.getString(META_DATA));
    }

    static Document snapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        Document document = event(0, snapshot, serializer);
        document.put(POSITION, snapshot.getAggregateIdentifier());
        return document;
    }

    // ---- filters -------------------------------------------------------------------------------------------------

    static Bson byKey(Object id) {
        return new Document(POSITION, id);
    }

    static Bson byPositions(Collection<Long> positions) {
        return new Document(POSITION, new Document("$in", positions));
    }

    static Bson byAggregateSequence(String aggregateIdentifier, long sequenceNumber) {
        return new Document(AGGREGATE, aggregateIdentifier).append(SEQUENCE, sequenceNumber);
    }
}
