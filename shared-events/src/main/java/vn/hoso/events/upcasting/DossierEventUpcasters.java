package vn.hoso.events.upcasting;

import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;

import java.util.List;

/** The upcasters of the dossier events, in the order they run, and the chain every reader of events uses. */
public final class DossierEventUpcasters {

    private DossierEventUpcasters() {
    }

    /** Every upcaster, oldest revision first. */
    public static List<EventUpcaster> all() {
        return List.of(new MeasuredFactsIntoPayload(), new LookupDigestIntoReceipt());
    }

    /** The chain: stored events of any revision in, events of the current revisions out. */
    public static EventUpcasterChain chain() {
        return new EventUpcasterChain(all());
    }
}
