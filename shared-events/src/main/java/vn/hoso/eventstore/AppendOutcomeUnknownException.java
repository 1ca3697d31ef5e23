package vn.hoso.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;

import java.util.List;

/**
 * An append failed and the store could not be asked whether its events landed: they may be stored or not (or, a
 * first position below 0, some of them are stored and the others failed). Whoever
 * appended must not simply append again (the events would be stored twice if the first append landed); the caller is
 * told so, and a retry under the same idempotency key, or a read of the dossier's version, finds out.
 */
public class AppendOutcomeUnknownException extends EventStoreException {

    private final String aggregateIdentifier;
    private final long firstSequenceNumber;

    public AppendOutcomeUnknownException(List<? extends DomainEventMessage<?>> events, long firstPosition,
                                         Throwable cause) {
        super(firstPosition < 0
                ? "the append to dossier " + events.get(0).getAggregateIdentifier() + " stored some of its events,"
                + " then failed to store the " + events.size() + " from sequence number "
                + events.get(0).getSequenceNumber()
                : "the append of " + events.size() + " events to dossier " + events.get(0).getAggregateIdentifier()
                + " from sequence number " + events.get(0).getSequenceNumber() + " (positions from " + firstPosition
                + ") failed and the store could not say whether they were stored", cause);
        this.aggregateIdentifier = events.get(0).getAggregateIdentifier();
        this.firstSequenceNumber = events.get(0).getSequenceNumber();
    }

    public String aggregateIdentifier() {
        return aggregateIdentifier;
    }

    public long firstSequenceNumber() {
        return firstSequenceNumber;
    }
}
