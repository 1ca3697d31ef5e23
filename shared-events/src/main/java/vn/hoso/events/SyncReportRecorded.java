package vn.hoso.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An agency system's numbered status report that changed nothing (a desk payment resent under a new message id, say),
 * recorded so that its number counts: the dossier then expects the next number, and no report after it is refused as
 * out of order for a number that will never come again.
 *
 * @param sequence       the report's number
 * @param reportedStatus the state the report named
 */
@Revision("2")
public record SyncReportRecorded(String dossierId, long sequence, DossierStatus reportedStatus, Instant occurredAt,
                                 Actor actor, DossierStatus status,
                                 Long workingMinutesInStage, Long syncSequence) implements DossierEvent {
    @JsonCreator
    public SyncReportRecorded {
    }

    /** As revision 1 had it: none of the facts measured when the event was recorded. */
    public SyncReportRecorded(String dossierId, long sequence, DossierStatus reportedStatus, Instant occurredAt,
                                 Actor actor, DossierStatus status) {
        this(dossierId, sequence, reportedStatus, occurredAt, actor, status, null, null);
    }

    @Override
    public SyncReportRecorded measured(Long workingMinutesInStage, Long syncSequence) {
        return new SyncReportRecorded(dossierId, sequence, reportedStatus, occurredAt, actor, status, workingMinutesInStage, syncSequence);
    }
}
