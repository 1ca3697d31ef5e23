package vn.hoso.command.dossier;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Revision;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.command.identity.Callers;
import vn.hoso.events.Actor;
import vn.hoso.events.DossierEvent;
import vn.hoso.eventstore.SealedLog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A dossier's raw event history, as stored: what inspectors audit and replay, and what its owner and its agency
 * may read. Each entry has the sequence number, the event type, when it was recorded and its payload.
 */
@RestController
@RequestMapping(path = "/api/v1/dossiers", produces = MediaType.APPLICATION_JSON_VALUE)
public class DossierHistoryController {

    private final DossierHistories histories;
    private final PositionedMongoEventStorageEngine storage;
    private final Callers callers;
    private final SealedLog sealedLog;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DossierHistoryController.class);

    public DossierHistoryController(DossierHistories histories, EventStorageEngine storage, Callers callers,
                                    SealedLog sealedLog) {
        this.histories = histories;
        this.storage = (PositionedMongoEventStorageEngine) storage;
        this.callers = callers;
        this.sealedLog = sealedLog;
    }

    /**
     * One event as the dossier reads it today: through the upcaster chain, in the current {@code revision} of its type;
     * {@code storedRevision} is the revision its stored document holds (an earlier one was upcast on reading; the
     * document itself is never rewritten). As stored and sealed: its global {@code position}, when it was recorded
     * and when it happened as reported, its {@code hash} and {@code previousHash} (hex; null for an event stored before
     * hashes, whose hash the sealer computed: {@code sealedHash}), and its {@code leafIndex} in the sealed log (null
     * until it is sealed, within seconds): prove it with {@code GET /api/v1/log/proofs/inclusion?leafIndex=} on the
     * query side, whose leaf is {@code SHA-256(0x00 || position as 8 bytes || hash)}.
     */
    public record HistoryEntry(long sequenceNumber, String type, String revision, String storedRevision,
                               Long position, Instant recordedAt, Instant reportedAt, String hash, String previousHash,
                               Long leafIndex, String sealedHash, Object payload, Map<String, ?> metaData) {
    }

    public record History(String dossierId, long version, List<HistoryEntry> events) {
    }

    @GetMapping("/{dossierId}/events")
    public History events(@PathVariable String dossierId) {
        List<? extends DomainEventMessage<?>> events = histories.visibleTo(callers.current(), dossierId);
        Map<Long, PositionedMongoEventStorageEngine.StoredEvent> storedEvents = new java.util.HashMap<>();
        events.forEach(e -> storedEvents.put(e.getSequenceNumber(), storage.storedEvent(dossierId, e.getSequenceNumber())));
        Map<Long, SealedLog.Seal> read;
        try {
            read = sealedLog.sealsAt(storedEvents.values().stream()
                    .filter(java.util.Objects::nonNull).map(PositionedMongoEventStorageEngine.StoredEvent::position)
                    .toList());
        } catch (SealedLog.DamagedLogException damaged) {
            // the history is still the store's: it is shown without leaves, and the damage is for the verification
            log.error("the sealed log could not be read for dossier {}'s history: {}", dossierId, damaged.getMessage());
            read = Map.of();
        }
        Map<Long, SealedLog.Seal> seals = read;
        List<HistoryEntry> entries = events.stream()
                .map(e -> {
                    PositionedMongoEventStorageEngine.StoredEvent stored = storedEvents.get(e.getSequenceNumber());
                    SealedLog.Seal seal = stored == null ? null : java.util.Optional.ofNullable(seals.get(stored.position()))
                            .filter(s -> s.dossier().equals(dossierId) && s.sequence() == e.getSequenceNumber())
                            .orElse(null);
                    return new HistoryEntry(e.getSequenceNumber(), e.getPayloadType().getSimpleName(),
                            revisionOf(e.getPayloadType()), stored == null ? null : stored.revision(),
                            stored == null ? null : stored.position(), e.getTimestamp(),
                            e.getPayload() instanceof DossierEvent event ? event.occurredAt() : null,
                            stored == null ? null : stored.hash(), stored == null ? null : stored.previousHash(),
                            seal == null ? null : seal.leaf(),
                            seal == null ? null : java.util.HexFormat.of().formatHex(seal.hash()),
                            e.getPayload(), e.getMetaData());
                })
                .toList();
        return new History(dossierId, entries.get(entries.size() - 1).sequenceNumber(), entries);
    }

    private static String revisionOf(Class<?> type) {
        Revision revision = type.getAnnotation(Revision.class);
        return revision == null ? null : revision.value();
    }
}
