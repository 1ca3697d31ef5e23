package vn.hoso.events;

import java.time.Instant;

/**
 * What every dossier event carries: the dossier id first, when it happened as reported ({@code occurredAt}; the
 * time it was recorded is the event message's timestamp), who did it, the state the dossier is in after it, and
 * (since revision 2) the facts the dossier measured as it recorded it. Revision 1 kept those facts in the event's
 * metadata; {@link vn.hoso.events.upcasting.DossierEventUpcasters} moves them into the payload.
 */
public sealed interface DossierEvent permits DossierSubmitted, DossierReceived, IntakeRefused, ProcessingStarted,
        DossierTransferred, ProcessingStepCompleted, SupplementRequested, DossierSupplemented, PaymentRequested,
        FeePaid, DeadlineExtended, ProcessingStopped, ResultIssued, ResultReturned, DossierWithdrawn, DossierRated,
        SyncReportRecorded, SyncNumberSkipped {

    String dossierId();

    Instant occurredAt();

    Actor actor();

    DossierStatus status();

    /**
     * Working minutes from the dossier's previous event to this one, measured on the working calendar in force when
     * this one was recorded, so that no read model recomputes history with a calendar that changed since (revision 2;
     * none on a submission, or where the calendar had no data).
     */
    Long workingMinutesInStage();

    /** The number of the agency system's report that produced this event, if a numbered report did (revision 2). */
    Long syncSequence();

    /** This event with the facts the dossier measured as it recorded it. */
    DossierEvent measured(Long workingMinutesInStage, Long syncSequence);
}
