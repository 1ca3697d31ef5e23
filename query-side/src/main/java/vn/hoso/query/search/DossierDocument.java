package vn.hoso.query.search;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The search document of one dossier: what officers search and filter on, what the statistics aggregate. Built
 * only from what the events carry; {@code lastSequence} is the sequence number of the last event applied (and the
 * document's external version in Elasticsearch).
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class DossierDocument {

    String dossierId;
    long lastSequence = -1;
    String dossierCode;
    String procedureCode;
    String procedureName;
    String procedureNameFolded;
    Integer procedureVersion;
    String agencyCode;
    String ownerId;
    String applicantKind;
    String applicantName;
    String applicantNameFolded;
    String applicantIdHash;
    String status;
    int statusCode;
    boolean open;
    boolean paused;
    /** The due dates were counted over a calendar year not decreed yet. */
    boolean dueAtProvisional;
    String channel;
    Instant submittedAt;
    Instant receivedAt;
    Instant processingStartedAt;
    Instant resultIssuedAt;
    Instant resultReturnedAt;
    Instant closedAt;
    Instant lastEventAt;
    Instant dueAt;
    Instant statutoryDueAt;
    long pausedWorkingMinutes;
    boolean extended;
    /** How many supplement requests it had (DOMAIN.md: a second one on one dossier is listed for inspectors). */
    int supplementRequests;
    /** The reply-by date of the supplement request waiting now; null once the pause has ended. */
    LocalDate replyBy;
    /** How many supplement pauses ended (by a supplement, a stop or a withdrawal) after their reply-by date. */
    int pausesPastReplyBy;
    /**
     * The most any of its events was recorded after it happened, as reported (minutes): a late report is one over the
     * threshold, applied when read, so that changing the threshold needs no rebuild.
     */
    long reportLatenessMinutes;
    /** When its result was recorded (its issue time as reported is {@code resultIssuedAt}). */
    Instant resultRecordedAt;
    /** Its result is on time as reported but was recorded after its statutory due date: a breach of its own. */
    boolean resultRecordedLate;
    String currentUnit;
    String decision;
    Boolean onTime;
    Long workingMinutesToResult;
    String returnChannel;
    long feesRequested;
    long feesPaid;
    long feesPaidOnline;
    boolean paidOnline;
    String ratingLevel;
    Integer ratingPoints;
    Integer ratingMaxPoints;
    Instant ratedAt;
    Map<String, Integer> ratingCriteria = new LinkedHashMap<>();

    public String dossierId() {
        return dossierId;
    }

    public long lastSequence() {
        return lastSequence;
    }
}
