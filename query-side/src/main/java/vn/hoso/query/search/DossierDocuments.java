package vn.hoso.query.search;

import org.axonframework.eventhandling.DomainEventMessage;
import vn.hoso.events.*;
import vn.hoso.calendar.Timeliness;
import java.time.ZoneId;

/** Folds one dossier event into its search document, from what the event carries only. */
final class DossierDocuments {

    /** The command side's measurement, in a result's metadata: working minutes from receipt, pauses excluded. */

    /** DOMAIN.md: every date is in Vietnam's time zone (a reply-by date ends at its midnight there). */
    private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

    private final ApplicantIdHasher idHasher;

    DossierDocuments(ApplicantIdHasher idHasher) {
        this.idHasher = idHasher;
    }

    DossierDocument apply(DossierDocument doc, DomainEventMessage<?> message) {
        if (!(message.getPayload() instanceof DossierEvent event)) {
            return doc;
        }
        if (event instanceof DossierSubmitted e) {
            doc.dossierId = e.dossierId();
            doc.procedureCode = e.procedureCode();
            doc.procedureName = e.procedureName();
            doc.procedureNameFolded = VietnameseText.fold(e.procedureName());
            doc.procedureVersion = e.procedureVersion();
            doc.agencyCode = e.agencyCode();
            doc.ownerId = e.ownerId();
            doc.channel = e.channel().name();
            doc.submittedAt = e.occurredAt();
            if (e.applicant() != null) {
                doc.applicantKind = e.applicant().kind().name();
                doc.applicantName = e.applicant().fullName();
                doc.applicantNameFolded = VietnameseText.fold(e.applicant().fullName());
                doc.applicantIdHash = idHasher.hash(e.applicant().idNumber());
            }
            doc.feesRequested += e.feesDueAtSubmission().stream().mapToLong(FeeItem::amount).sum();
        } else if (event instanceof DossierReceived e) {
            doc.dossierCode = e.dossierCode();
            doc.procedureVersion = e.procedureVersion();
            doc.receivedAt = e.occurredAt();
            clock(doc, e.clock());
        } else if (event instanceof ProcessingStarted e) {
            doc.processingStartedAt = e.occurredAt();
            doc.currentUnit = e.unit();
        } else if (event instanceof DossierTransferred e) {
            doc.currentUnit = e.toUnit();
        } else if (event instanceof ProcessingStepCompleted e) {
            doc.currentUnit = e.unit();
        } else if (event instanceof SupplementRequested e) {
            doc.paused = true;
            doc.supplementRequests++;
            doc.replyBy = e.replyBy();
        } else if (event instanceof DossierSupplemented e) {
            doc.paused = false;
            clock(doc, e.clock());
        } else if (event instanceof PaymentRequested e) {
            doc.paused = true;
            doc.feesRequested += e.amountRequested();
        } else if (event instanceof FeePaid e) {
            doc.feesPaid += e.amount();
            if (e.method() == PaymentMethod.ONLINE) {
                doc.feesPaidOnline += e.amount();
                doc.paidOnline = true;
            }
            if (e.resumed()) {
                doc.paused = false;
            }
            clock(doc, e.clock());
        } else if (event instanceof DeadlineExtended e) {
            doc.extended = true;
            clock(doc, e.clock());
        } else if (event instanceof ResultIssued e) {
            doc.resultIssuedAt = e.occurredAt();
            doc.decision = e.decision().name();
            doc.onTime = e.onTime();
            doc.resultRecordedAt = message.getTimestamp();
            doc.resultRecordedLate = Timeliness.resultRecordedLate(e.onTime(),
                    e.clock() == null ? null : e.clock().statutoryDueAt(), message.getTimestamp());
            doc.workingMinutesToResult = e.workingMinutesToResult();
        } else if (event instanceof ResultReturned e) {
            doc.resultReturnedAt = e.occurredAt();
            doc.returnChannel = e.channel().name();
        } else if (event instanceof DossierRated e) {
            doc.ratingLevel = e.level().name();
            doc.ratingPoints = e.totalPoints();
            doc.ratingMaxPoints = e.maxPoints();
            doc.ratedAt = e.occurredAt();
            e.criteria().forEach(c -> doc.ratingCriteria.put(c.criterion(), c.points()));
        }
        DossierStatus status = event.status();
        if (DossierStatus.SUPPLEMENT_REQUESTED.name().equals(doc.status) && status != DossierStatus.SUPPLEMENT_REQUESTED
                && doc.replyBy != null) {
            // the pause ends (a supplement, a stop, a withdrawal): after its reply-by date or not
            if (Timeliness.pastReplyBy(doc.replyBy, event.occurredAt(), VIETNAM)) {
                doc.pausesPastReplyBy++;
            }
            doc.replyBy = null;
        }
        doc.status = status.name();
        doc.statusCode = status.code();
        doc.open = !status.isFinal();
        if (status.isFinal() && doc.closedAt == null) {
            doc.closedAt = event.occurredAt();
        }
        doc.lastEventAt = event.occurredAt();
        doc.reportLatenessMinutes = Math.max(doc.reportLatenessMinutes,
                Timeliness.reportLatenessMinutes(event.occurredAt(), message.getTimestamp()));
        doc.lastSequence = message.getSequenceNumber();
        return doc;
    }

    private static void clock(DossierDocument doc, DossierClock clock) {
        if (clock != null) {
            doc.dueAt = clock.dueAt();
            doc.statutoryDueAt = clock.statutoryDueAt();
            doc.pausedWorkingMinutes = clock.pausedWorkingMinutes();
            doc.dueAtProvisional = clock.provisional();
        }
    }
}
