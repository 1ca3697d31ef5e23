package vn.hoso.command.dossier;

import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.command.identity.DevActorResolver;
import vn.hoso.events.Actor;
import vn.hoso.events.ActorRole;
import vn.hoso.events.DossierSubmitted;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dossier's raw event history, as stored: what inspectors audit and replay, and what its owner and its agency
 * may read. Each entry has the sequence number, the event type, when it was recorded and its payload.
 */
@RestController
@RequestMapping(path = "/api/v1/dossiers", produces = MediaType.APPLICATION_JSON_VALUE)
public class DossierHistoryController {

    private final EventStore eventStore;
    private final DevActorResolver actors;

    public DossierHistoryController(EventStore eventStore, DevActorResolver actors) {
        this.eventStore = eventStore;
        this.actors = actors;
    }

    public record HistoryEntry(long sequenceNumber, String type, Instant recordedAt, Object payload,
                               Map<String, ?> metaData) {
    }

    public record History(String dossierId, long version, List<HistoryEntry> events) {
    }

    @GetMapping("/{dossierId}/events")
    public History events(@PathVariable String dossierId, HttpServletRequest request) {
        Actor actor = actors.resolve(request);
        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(dossierId).asStream().toList();
        if (events.isEmpty()) {
            throw new DossierCommandController.DossierNotFoundException(dossierId);
        }
        DossierSubmitted submitted = (DossierSubmitted) events.get(0).getPayload();
        boolean owner = actor.role().canOwnDossiers() && actor.id().equals(submitted.ownerId());
        boolean agency = actor.role().actsForAgency() && Objects.equals(actor.agencyCode(), submitted.agencyCode());
        if (!owner && !agency && actor.role() != ActorRole.INSPECTOR) {
            throw new DossierRuleViolation(ErrorCode.NOT_ALLOWED, null, "READ_HISTORY", actor.role(), "READ_HISTORY");
        }
        List<HistoryEntry> entries = events.stream()
                .map(e -> new HistoryEntry(e.getSequenceNumber(), e.getPayloadType().getSimpleName(), e.getTimestamp(),
                        e.getPayload(), e.getMetaData()))
                .toList();
        return new History(dossierId, entries.get(entries.size() - 1).sequenceNumber(), entries);
    }
}
