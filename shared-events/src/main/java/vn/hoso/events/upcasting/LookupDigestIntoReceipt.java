package vn.hoso.events.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * Revision 2 to 3 of {@code DossierReceived}: a receipt now keeps the digest of the lookup secret given with it. A
 * receipt recorded before gave none, so its {@code lookupDigest} is null: its dossier cannot be looked up by a secret.
 */
final class LookupDigestIntoReceipt extends SingleEventUpcaster {

    private static final String TYPE = "vn.hoso.events.DossierReceived";

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return "2".equals(representation.getType().getRevision()) && TYPE.equals(representation.getType().getName());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(new SimpleSerializedType(TYPE, "3"), JsonNode.class, payload -> {
            ObjectNode upcast = ((ObjectNode) payload).deepCopy();
            upcast.putNull("lookupDigest");
            return upcast;
        });
    }
}
