package vn.hoso.command.dossier;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;
import vn.hoso.access.AccessPolicy;
import vn.hoso.access.Caller;
import vn.hoso.events.DossierSubmitted;

import java.util.List;

/**
 * A dossier's stored history as a caller may read it: its events through the upcaster chain, for whoever may see the
 * dossier ({@link AccessPolicy#maySee}, judged by its first event); for anyone else, as for an absent dossier, it does
 * not exist. The raw history and the inspectors' audit read it here.
 */
@Component
public class DossierHistories {

    private final EventStore eventStore;

    public DossierHistories(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** The dossier's events, or {@link DossierCommandController.DossierNotFoundException}. */
    public List<? extends DomainEventMessage<?>> visibleTo(Caller caller, String dossierId) {
        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(dossierId).asStream().toList();
        if (events.isEmpty() || !(events.get(0).getPayload() instanceof DossierSubmitted submitted)) {
            throw new DossierCommandController.DossierNotFoundException(dossierId);
        }
        String applicantId = submitted.applicant() == null ? null : submitted.applicant().idNumber();
        if (!AccessPolicy.maySee(caller, new AccessPolicy.DossierFacts(submitted.agencyCode(), submitted.ownerId(),
                claim -> claim.equals(applicantId)))) {
            // for whoever may not see it, the dossier does not exist
            throw new DossierCommandController.DossierNotFoundException(dossierId);
        }
        return events;
    }
}
