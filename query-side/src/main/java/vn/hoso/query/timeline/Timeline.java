package vn.hoso.query.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The history of one dossier as its owner reads it.
 *
 * @param lastSequence the sequence number of the last event applied
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Timeline(String dossierId, long lastSequence, String dossierCode, String procedureCode,
                       String procedureName, String agencyCode, String ownerId, String status, int statusCode,
                       Instant dueAt, Instant statutoryDueAt, List<Step> steps) {

    /** One step of the history. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(long sequence, String event, Instant occurredAt, Instant recordedAt, String actorRole,
                       String unit, String labelVi, String labelEn, String status, int statusCode,
                       List<String> reasons, List<String> missingItems, LocalDate replyBy, Instant dueAt,
                       Instant statutoryDueAt, Long pausedWorkingMinutes, String note) {
    }

    static Timeline empty(String dossierId) {
        return new Timeline(dossierId, -1, null, null, null, null, null, null, 0, null, null, List.of());
    }
}
