package vn.hoso.query.search;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import vn.hoso.events.*;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The search document is built from what the events carry, by calling the projection logic directly. */
class DossierDocumentsTest {

    private static final String ID = "d-1";
    private static final Actor OWNER = new Actor(ActorRole.CITIZEN, "citizen-1", null);
    private static final Actor OFFICER = new Actor(ActorRole.OFFICER, "officer-1", "000.00.01.H22");
    private static final Instant T0 = Instant.parse("2026-03-02T01:00:00Z");
    private static final Instant DUE = Instant.parse("2026-03-09T10:00:00Z");

    private final ApplicantIdHasher hasher = new ApplicantIdHasher(new byte[32]);
    private final DossierDocuments documents = new DossierDocuments(hasher);

    @Test
    void aDossierFromSubmissionToRating() {
        DossierDocument doc = new DossierDocument();
        doc = apply(doc, 0, new DossierSubmitted(ID, "1.002804", "Đổi giấy phép lái xe", 2, "000.00.01.H22", "citizen-1",
                new Applicant(ApplicantKind.CITIZEN, "001089012345", "Nguyễn Văn Dũng", null, null, null),
                Channel.ONLINE, List.of(), List.of(new FeeItem("LP", "Lệ phí", 115_000, FeeDue.AT_SUBMISSION)), T0, OWNER,
                DossierStatus.SUBMITTED));
        assertThat(doc.applicantNameFolded).isEqualTo("nguyen van dung");
        assertThat(doc.applicantIdHash).isEqualTo(hasher.hash("001089012345")).doesNotContain("001089012345");
        assertThat(doc.feesRequested).isEqualTo(115_000);
        doc = apply(doc, 1, new FeePaid(ID, "P", PaymentMethod.ONLINE, 115_000, 0, false, 0, 0, null, T0, OWNER,
                DossierStatus.SUBMITTED));
        doc = apply(doc, 2, new DossierReceived(ID, "C-1", "000.00.01.H22", "1.002804", 2,
                new StatutoryTime(5, ProcessingTimeUnit.WORKING_DAYS), new DossierClock(DUE, DUE, 0, 0), T0, OFFICER,
                DossierStatus.RECEIVED));
        doc = apply(doc, 3, new SupplementRequested(ID, List.of("Ảnh"), null, null, DossierStatus.RECEIVED,
                new DossierClock(DUE, DUE, 0, 0), T0, OFFICER, DossierStatus.SUPPLEMENT_REQUESTED));
        assertThat(doc.paused).isTrue();
        assertThat(doc.statusCode).isEqualTo(5);
        Instant shifted = Instant.parse("2026-03-11T10:00:00Z");
        doc = apply(doc, 4, new DossierSupplemented(ID, List.of(), 960, 2, new DossierClock(shifted, shifted, 960, 2),
                T0, OWNER, DossierStatus.RECEIVED));
        assertThat(doc.paused).isFalse();
        assertThat(doc.dueAt).isEqualTo(shifted);
        assertThat(doc.pausedWorkingMinutes).isEqualTo(960);
        doc = apply(doc, 5, new ProcessingStarted(ID, "Phòng A", T0, OFFICER, DossierStatus.PROCESSING));
        doc = documents.apply(doc, new GenericDomainEventMessage<>("Dossier", ID, 6, new ResultIssued(ID,
                ResultDecision.APPROVED, List.of(), null, false, new DossierClock(shifted, shifted, 960, 2), T0, OFFICER,
                DossierStatus.RESULT_READY).withWorkingMinutesToResult(2_880L), MetaData.emptyInstance()));
        assertThat(doc.workingMinutesToResult).isEqualTo(2_880L);
        doc = apply(doc, 7, new ResultReturned(ID, Channel.POST, T0, OFFICER, DossierStatus.RESULT_RETURNED));
        doc = apply(doc, 8, new DossierRated(ID, "provincial-9x2", 1, List.of(new CriterionScore("STAFF_ATTITUDE", 2, 2)),
                2, 2, RatingLevel.SATISFIED, null, T0, OWNER, DossierStatus.RESULT_RETURNED));
        assertThat(doc.lastSequence).isEqualTo(8);
        assertThat(doc.open).isFalse();
        assertThat(doc.onTime).isFalse();
        assertThat(doc.paidOnline).isTrue();
        assertThat(doc.ratingLevel).isEqualTo("SATISFIED");
        assertThat(doc.ratingCriteria).containsEntry("STAFF_ATTITUDE", 2);
        assertThat(doc.closedAt).isEqualTo(T0);
        assertThat(doc.dossierCode).isEqualTo("C-1");
    }

    private DossierDocument apply(DossierDocument doc, long sequence, DossierEvent event) {
        return documents.apply(doc, new GenericDomainEventMessage<>("Dossier", ID, sequence, event));
    }
}
