package vn.hoso.events.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import vn.hoso.events.DossierEvent;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Revision 1 to 2 of every dossier event: the facts the dossier measured when it recorded the event travelled in its
 * untyped metadata; revision 2 carries them in its payload. {@code workingMinutesInStage} (every event but the
 * submission: working minutes since the dossier's previous event), {@code workingMinutesToResult} (a result: from
 * receipt, pauses excluded) and {@code syncSequence} (an event an agency system's numbered report produced) are taken
 * from the stored metadata, which stays as it was stored; an event stored without one has none.
 */
final class MeasuredFactsIntoPayload extends SingleEventUpcaster {

    static final String STAGE = "workingMinutesInStage";
    static final String TO_RESULT = "workingMinutesToResult";
    static final String SYNC_SEQUENCE = "syncSequence";
    private static final String RESULT_ISSUED = "vn.hoso.events.ResultIssued";
    private static final Set<String> TYPES = java.util.Arrays.stream(DossierEvent.class.getPermittedSubclasses())
            .map(Class::getName).collect(Collectors.toUnmodifiableSet());

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return "1".equals(representation.getType().getRevision())
                && TYPES.contains(representation.getType().getName());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        String type = representation.getType().getName();
        return representation.upcastPayload(new SimpleSerializedType(type, "2"), JsonNode.class, payload -> {
            ObjectNode upcast = ((ObjectNode) payload).deepCopy();
            MetaData metaData = representation.getMetaData().getObject();
            copy(metaData, STAGE, upcast);
            copy(metaData, SYNC_SEQUENCE, upcast);
            if (RESULT_ISSUED.equals(type)) {
                copy(metaData, TO_RESULT, upcast);
            }
            return upcast;
        });
    }

    private static void copy(MetaData metaData, String key, ObjectNode payload) {
        Object value = metaData.get(key);
        if (value instanceof Number number) {
            payload.put(key, number.longValue());
        } else if (value instanceof String text && text.matches("-?\\d{1,18}")) {
            payload.put(key, Long.parseLong(text));
        }
    }
}
