package vn.hoso.events;

import java.time.Instant;

/**
 * What every dossier event carries: the dossier id first, when it happened as reported ({@code occurredAt}; the
 * time it was recorded is the event message's timestamp), who did it, and the state the dossier is in after it.
 */
public sealed interface DossierEvent permits DossierSubmitted, DossierReceived, IntakeRefused, ProcessingStarted,
        DossierTransferred, ProcessingStepCompleted, SupplementRequested, DossierSupplemented, PaymentRequested,
        FeePaid, DeadlineExtended, ProcessingStopped, ResultIssued, ResultReturned, DossierWithdrawn, DossierRated,
        SyncReportRecorded, SyncNumberSkipped {

    String dossierId();

    Instant occurredAt();

    Actor actor();

    DossierStatus status();
}
