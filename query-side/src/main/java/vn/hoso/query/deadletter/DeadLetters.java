package vn.hoso.query.deadletter;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;
import vn.hoso.query.store.BatchedProjection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What operators see of and do with the parked dossiers of each read model: list them (dossier id, event type,
 * sequence number, global position, cause; never a payload), retry them after a fix, or evict them with a reason. Also
 * a gauge per read model ({@code hoso.dead.letters}) and the {@code deadLetters} health details, which stay UP: a
 * parked dossier is an operator's task, not a reason to take the service out of rotation.
 */
@Component("deadLetters")
public class DeadLetters extends AbstractHealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final PositionedMongoEventStorageEngine events;
    private final List<String> groups;

    public DeadLetters(ObjectProvider<EventProcessingConfiguration> processing, PositionedMongoEventStorageEngine events,
                       MeterRegistry meters) {
        super("dead-letter queues unreadable");
        this.processing = processing;
        this.events = events;
        this.groups = List.of(vn.hoso.query.search.SearchIndexProjection.GROUP,
                vn.hoso.query.timeline.TimelineProjection.GROUP);
        for (String group : groups) {
            Gauge.builder("hoso.dead.letters", this, d -> d.queue(group).size()).tag("readModel", group)
                    .description("events parked in the read model's dead-letter queue").register(meters);
        }
    }

    /**
     * One parked event, as an operator sees it; {@code automaticRetries} and {@code nextAutomaticRetryAt} are the
     * answering instance's schedule for its dossier ({@link ParkedRetries}), absent until it has seen the dossier.
     */
    public record Letter(String readModel, String dossierId, String eventType, Long sequenceNumber, Long position,
                         String cause, Instant enqueuedAt, Instant lastTried, Integer automaticRetries,
                         Instant nextAutomaticRetryAt) {

        Letter withPlan(java.util.Optional<ParkedRetries.Planned> plan) {
            return plan.map(p -> new Letter(readModel, dossierId, eventType, sequenceNumber, position, cause,
                    enqueuedAt, lastTried, p.retries(), p.nextRetryAt())).orElse(this);
        }
    }

    public List<String> readModels() {
        return groups;
    }

    /** The parked events of one read model (all when null), in each dossier's order, at most {@code limit}. */
    public List<Letter> list(String readModel, int limit) {
        List<Letter> letters = new ArrayList<>();
        for (String group : groups) {
            if (readModel != null && !readModel.equals(group)) {
                continue;
            }
            for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue(group).deadLetters()) {
                for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                    if (letters.size() >= limit) {
                        return letters;
                    }
                    letters.add(describe(group, letter));
                }
            }
        }
        return letters;
    }

    private Letter describe(String group, DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> message = letter.message();
        String dossierId = null;
        Long sequence = null;
        Long position = null;
        if (message instanceof DomainEventMessage<?> event) {
            dossierId = event.getAggregateIdentifier();
            sequence = event.getSequenceNumber();
            var found = events.positionOf(dossierId, sequence);
            position = found.isPresent() ? found.getAsLong() : null;
        }
        // only a refusal's text is shown (written by the projection, without field values); an exception's message
        // may quote the event, so it stays in the log
        String cause = letter.cause().map(c -> c.message() != null && c.message().startsWith(BatchedProjection.REFUSAL)
                ? c.message() : "an event of the dossier could not be applied; see the query side's log")
                .orElse("its dossier has earlier events parked");
        String type = message.getPayloadType().getSimpleName();
        return new Letter(group, dossierId, type, sequence, position, cause, letter.enqueuedAt(), letter.lastTouched(),
                null, null);
    }

    /** The dossiers parked in one read model. */
    public Set<String> parkedDossiers(String readModel) {
        return KnownParkedQueue.parkedDossiers(queue(readModel));
    }

    /**
     * Applies one dossier's parked events again, in order, through the read model's handlers. Returns whether the
     * dossier is free (every event applied); a failure leaves the rest parked, with the new cause.
     */
    public boolean retry(String readModel, String dossierId) {
        SequencedDeadLetterProcessor<EventMessage<?>> processor = processing.getObject()
                .sequencedDeadLetterProcessor(readModel)
                .orElseThrow(() -> new IllegalStateException("read model " + readModel + " has no dead-letter processor"));
        boolean processed = processor.process(letter -> letter.message() instanceof DomainEventMessage<?> event
                && dossierId.equals(event.getAggregateIdentifier()));
        boolean free = !queue(readModel).contains(dossierId);
        log.info("dead letters of dossier {} in read model {} retried: {}", dossierId, readModel,
                free ? "applied, the dossier flows again" : "still parked" + (processed ? "" : " (nothing processed)"));
        return free;
    }

    /** Retries every parked dossier of every read model once; returns per read model how many remain parked. */
    public Map<String, Integer> retryAll() {
        Map<String, Integer> remaining = new LinkedHashMap<>();
        for (String group : groups) {
            int parked = 0;
            for (String dossierId : parkedDossiers(group)) {
                if (!retry(group, dossierId)) {
                    parked++;
                }
            }
            remaining.put(group, parked);
        }
        return remaining;
    }

    /** Drops one dossier's parked events from a read model for good; the reason is logged with the operator. */
    public int evict(String readModel, String dossierId, String reason, String operator) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(readModel);
        List<DeadLetter<? extends EventMessage<?>>> letters = new ArrayList<>();
        queue.deadLetterSequence(dossierId).forEach(letters::add);
        letters.forEach(queue::evict);
        log.warn("operator {} evicted {} parked event(s) of dossier {} from read model {}: {}", operator,
                letters.size(), dossierId, readModel, reason);
        return letters.size();
    }

    public SequencedDeadLetterQueue<EventMessage<?>> queue(String readModel) {
        if (!groups.contains(readModel)) {
            throw new IllegalArgumentException("no read model " + readModel);
        }
        return processing.getObject().deadLetterQueue(readModel)
                .orElseThrow(() -> new IllegalStateException("read model " + readModel + " has no dead-letter queue"));
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up();
        for (String group : groups) {
            SequencedDeadLetterQueue<EventMessage<?>> queue = queue(group);
            builder.withDetail(group, Map.of("events", queue.size(), "dossiers", queue.amountOfSequences()));
        }
    }
}
