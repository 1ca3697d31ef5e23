package vn.hoso.query.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The history of one dossier as its owner reads it.
 *
 * @param lastSequence       the sequence number of the last event applied
 * @param dueAtProvisional   the due dates were counted over a calendar year not decreed yet (they may change)
 * @param applicantIdHash    the keyed hash of the applicant's ID (who, besides the owner, may read it); stored, never
 *                           shown ({@link #forReader()})
 * @param steps              the steps after the archived ones: the latest, at most {@link TimelineStore#SPILL_AT}
 *                           less one as stored
 * @param receivedAt         when the desk received the dossier (its receipt's time)
 * @param lookupDigest       the digest of the lookup secret its receipt gave ({@link vn.hoso.lookup.LookupSecrets});
 *                           stored, never shown
 * @param archivedSteps      how many of the earliest steps are kept apart, in pages of {@link TimelineStore#PAGE}
 *                           (final: only the latest step changes after it is made), so that the document written
 *                           for each event stays the same size however long the history
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Timeline(String dossierId, long lastSequence, String dossierCode, String procedureCode,
                       String procedureName, String agencyCode, String ownerId, String status, int statusCode,
                       Instant dueAt, Instant statutoryDueAt, List<Step> steps, boolean dueAtProvisional,
                       String applicantIdHash, int archivedSteps, Instant receivedAt, String lookupDigest) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public Timeline {
    }

    /** A timeline without a receipt's facts (its time and lookup digest). */
    public Timeline(String dossierId, long lastSequence, String dossierCode, String procedureCode,
                    String procedureName, String agencyCode, String ownerId, String status, int statusCode,
                    Instant dueAt, Instant statutoryDueAt, List<Step> steps, boolean dueAtProvisional,
                    String applicantIdHash, int archivedSteps) {
        this(dossierId, lastSequence, dossierCode, procedureCode, procedureName, agencyCode, ownerId, status,
                statusCode, dueAt, statutoryDueAt, steps, dueAtProvisional, applicantIdHash, archivedSteps, null, null);
    }

    /**
     * One step of the history. {@code workingMinutesInStage} is the working time the dossier spent after this step,
     * until the next one (as the command side measured it when the next step happened); empty for the current step.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(long sequence, String event, Instant occurredAt, Instant recordedAt, String actorRole,
                       String unit, String labelVi, String labelEn, String status, int statusCode,
                       List<String> reasons, List<String> missingItems, LocalDate replyBy, Instant dueAt,
                       Instant statutoryDueAt, Long pausedWorkingMinutes, String note, Long workingMinutesInStage) {

        Step withWorkingMinutesInStage(Long minutes) {
            return new Step(sequence, event, occurredAt, recordedAt, actorRole, unit, labelVi, labelEn, status,
                    statusCode, reasons, missingItems, replyBy, dueAt, statutoryDueAt, pausedWorkingMinutes, note,
                    minutes);
        }
    }

    static Timeline empty(String dossierId) {
        return new Timeline(dossierId, -1, null, null, null, null, null, null, 0, null, null, List.of(), false, null, 0,
                null, null);
    }

    /** The same timeline with its {@code moved} earliest kept steps archived (they are written apart). */
    Timeline archiving(int moved) {
        return new Timeline(dossierId, lastSequence, dossierCode, procedureCode, procedureName, agencyCode, ownerId,
                status, statusCode, dueAt, statutoryDueAt, List.copyOf(steps.subList(moved, steps.size())),
                dueAtProvisional, applicantIdHash, archivedSteps + moved, receivedAt, lookupDigest);
    }

    /** The same timeline with its archived steps put back in front: every step, none archived. */
    Timeline whole(List<Step> archived) {
        List<Step> all = new ArrayList<>(archived);
        all.addAll(steps);
        return new Timeline(dossierId, lastSequence, dossierCode, procedureCode, procedureName, agencyCode, ownerId,
                status, statusCode, dueAt, statutoryDueAt, List.copyOf(all), dueAtProvisional, applicantIdHash, 0,
                receivedAt, lookupDigest);
    }

    /** The timeline as a reader gets it: without the applicant-ID hash, nor the lookup secret's digest. */
    public Timeline forReader() {
        return new Timeline(dossierId, lastSequence, dossierCode, procedureCode, procedureName, agencyCode, ownerId,
                status, statusCode, dueAt, statutoryDueAt, steps, dueAtProvisional, null, archivedSteps, receivedAt,
                null);
    }
}
