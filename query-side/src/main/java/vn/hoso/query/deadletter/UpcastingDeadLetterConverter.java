package vn.hoso.query.deadletter;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.mongo.eventhandling.deadletter.DeadLetterEventEntry;
import org.axonframework.extensions.mongo.eventhandling.deadletter.DeadLetterMongoConverter;
import org.axonframework.extensions.mongo.eventhandling.deadletter.EventMessageDeadLetterMongoConverter;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntryConfiguration;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.bson.Document;

import java.util.List;
import java.util.stream.Stream;

/**
 * Reads parked events through the upcaster chain: a letter parked with an earlier revision of its event is retried,
 * listed and evicted as the current revision, like the stream delivers it. Axon's converter reads a letter's payload
 * as it was stored; this one upcasts the stored payload first (the letter stays as stored in MongoDB) and writes
 * letters as Axon's does.
 */
final class UpcastingDeadLetterConverter implements DeadLetterMongoConverter<EventMessage<?>> {

    private final EventMessageDeadLetterMongoConverter stored = new EventMessageDeadLetterMongoConverter();
    private final EventUpcaster upcasters;
    private final EventEntryConfiguration configuration = EventEntryConfiguration.getDefault();

    UpcastingDeadLetterConverter(EventUpcaster upcasters) {
        this.upcasters = upcasters;
    }

    @Override
    public DeadLetterEventEntry convert(EventMessage<?> message, Serializer serializer) {
        return stored.convert(message, serializer);
    }

    @Override
    public EventMessage<?> convert(DeadLetterEventEntry entry, Serializer serializer) {
        List<IntermediateEventRepresentation> upcast = upcasters
                .upcast(Stream.of(new InitialEventRepresentation(entry, serializer))).toList();
        if (upcast.size() != 1) {
            throw new IllegalStateException("a parked event of type " + entry.getPayload().getType()
                    + " was upcast into " + upcast.size() + " events: dead letters take one event each");
        }
        IntermediateEventRepresentation current = upcast.get(0);
        if (current.getType().equals(entry.getPayload().getType())) {
            return stored.convert(entry, serializer); // stored in the current revision
        }
        Document document = entry.asDocument(configuration);
        document.put(configuration.payloadTypeProperty(), current.getType().getName());
        document.put(configuration.payloadRevisionProperty(), current.getType().getRevision());
        document.put(configuration.payloadProperty(), current.getData(String.class).getData());
        return stored.convert(new DeadLetterEventEntry(document, configuration), serializer);
    }

    @Override
    public boolean canConvert(DeadLetterEventEntry entry) {
        return stored.canConvert(entry);
    }

    @Override
    public boolean canConvert(EventMessage<?> message) {
        return stored.canConvert(message);
    }
}
