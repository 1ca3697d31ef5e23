package vn.hoso.dossier;

import org.junit.jupiter.api.Test;
import vn.hoso.events.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one fold of a dossier's state: what a history means, event by event. */
class DossierFoldTest {

    private static final String ID = "d-1";
    private static final Actor OWNER = new Actor(ActorRole.CITIZEN, "c-1", null);
    private static final Actor OFFICER = new Actor(ActorRole.OFFICER, "o-1", "A");
    private static final Instant T = Instant.parse("2026-03-02T02:00:00Z");
    private static final DossierClock CLOCK = new DossierClock(T.plusSeconds(86_400 * 7), T.plusSeconds(86_400 * 7),
            0, 0);
    private static final DossierClock RESUMED = new DossierClock(T.plusSeconds(86_400 * 9), T.plusSeconds(86_400 * 9),
            200, 1);
    private static final DossierClock EXTENDED = new DossierClock(T.plusSeconds(86_400 * 20),
            T.plusSeconds(86_400 * 9), 200, 1);

    private static Instant at(int hours) {
        return T.plusSeconds(3600L * hours);
    }

    @Test
    void workingTimeIsUsedOnlyWhileTheAgencyHoldsTheDossierAndItsClockRuns() {
        DossierFold fold = new DossierFold();
        fold.apply(new DossierSubmitted(ID, "P", "Thủ tục", 1, "A", "c-1",
                new Applicant(ApplicantKind.CITIZEN, "001099012345", "Nguyễn Văn A", null, null, null), Channel.ONLINE,
                List.of(), List.of(new FeeItem("F", "Phí", 50_000, FeeDue.AT_SUBMISSION)), at(0), OWNER,
                DossierStatus.SUBMITTED, null, null));
        // 30 minutes before receipt: the clock has not started
        fold.apply(new DossierReceived(ID, "A-1", "A", "P", 1, new StatutoryTime(5, ProcessingTimeUnit.WORKING_DAYS),
                CLOCK, at(1), OFFICER, DossierStatus.RECEIVED, 30L, null));
        fold.apply(new ProcessingStarted(ID, "Phòng A", at(2), OFFICER, DossierStatus.PROCESSING, 60L, null));
        assertThat(fold.state().unit()).isEqualTo("Phòng A");
        fold.apply(new SupplementRequested(ID, List.of("Ảnh"), LocalDate.of(2026, 3, 10), "Thiếu ảnh",
                DossierStatus.PROCESSING, CLOCK, at(3), OFFICER, DossierStatus.SUPPLEMENT_REQUESTED, 100L, null));
        DossierState paused = fold.state();
        assertThat(paused.paused()).isTrue();
        assertThat(paused.replyBy()).isEqualTo(LocalDate.of(2026, 3, 10));
        assertThat(paused.pauseReason()).isEqualTo("Thiếu ảnh");
        assertThat(fold.statusBeforePause()).isEqualTo(DossierStatus.PROCESSING);
        // 200 minutes paused for the applicant: not the agency's
        fold.apply(new DossierSupplemented(ID, List.of(), 200, 1, RESUMED, at(30), OWNER, DossierStatus.PROCESSING,
                200L, null));
        assertThat(fold.state().paused()).isFalse();
        assertThat(fold.state().replyBy()).isNull();
        fold.apply(new DossierTransferred(ID, "Phòng A", "Phòng B", null, at(31), OFFICER, DossierStatus.PROCESSING,
                50L, null));
        fold.apply(new DeadlineExtended(ID, "Cần xác minh", RESUMED.dueAt(), EXTENDED, at(32), OFFICER,
                DossierStatus.PROCESSING, 10L, null));
        // a stage the calendar could not measure
        fold.apply(new ProcessingStepCompleted(ID, "Phòng B", "Thẩm định", null, at(33), OFFICER,
                DossierStatus.PROCESSING, null, null));
        fold.apply(new ResultIssued(ID, ResultDecision.APPROVED, List.of(), null, true, EXTENDED, at(34), OFFICER,
                DossierStatus.RESULT_READY, 500L, 20L, null));
        // after the result, the clock has stopped
        fold.apply(new ResultReturned(ID, Channel.ONLINE, at(80), OFFICER, DossierStatus.RESULT_RETURNED, 999L, null));

        DossierState state = fold.state();
        assertThat(state.status()).isEqualTo(DossierStatus.RESULT_RETURNED);
        assertThat(state.workingMinutesUsed()).isEqualTo(60 + 100 + 50 + 10 + 20);
        assertThat(state.workingMinutesPaused()).isEqualTo(200);
        assertThat(state.unmeasuredStages()).isEqualTo(1);
        assertThat(state.unit()).isEqualTo("Phòng B");
        assertThat(state.supplementRequests()).isEqualTo(1);
        assertThat(state.extensions()).isEqualTo(1);
        assertThat(state.extended()).isTrue();
        assertThat(state.dueAt()).isEqualTo(EXTENDED.dueAt());
        assertThat(state.statutoryDueAt()).isEqualTo(EXTENDED.statutoryDueAt());
        assertThat(state.onTime()).isTrue();
        assertThat(state.resultIssuedAt()).isEqualTo(at(34));
        assertThat(state.feesOwed()).isEqualTo(50_000);
        assertThat(state.feesPaid()).isZero();
        assertThat(state.eventsFolded()).isEqualTo(10);
        assertThat(state.lastOccurredAt()).isEqualTo(at(80));
        // the applicant stays in the fold (who may see it), never in its state
        assertThat(fold.applicantIdNumber()).isEqualTo("001099012345");
        assertThat(state.toString()).doesNotContain("001099012345").doesNotContain("Nguyễn");
    }

    @Test
    void aPaymentPausesUntilPaidInFullAndEachReferenceIsKeptWithItsAmount() {
        DossierFold fold = new DossierFold();
        fold.apply(new DossierSubmitted(ID, "P", "Thủ tục", 1, "A", "c-1", null, Channel.ONLINE, List.of(), List.of(),
                at(0), OWNER, DossierStatus.SUBMITTED, null, null));
        fold.apply(new DossierReceived(ID, "A-1", "A", "P", 1, new StatutoryTime(8, ProcessingTimeUnit.WORKING_HOURS),
                CLOCK, at(1), OFFICER, DossierStatus.RECEIVED, 0L, null));
        fold.apply(new PaymentRequested(ID, List.of(new FeeItem("F", "Phí", 30_000, FeeDue.ON_REQUEST)), 30_000,
                30_000, DossierStatus.RECEIVED, CLOCK, at(2), OFFICER, DossierStatus.PAYMENT_REQUESTED, 60L, null));
        assertThat(fold.state().paused()).isTrue();
        assertThat(fold.state().replyBy()).isNull();
        // a part paid: still paused
        fold.apply(new FeePaid(ID, "PAY-1", PaymentMethod.ONLINE, 10_000, 20_000, false, 0, 0, CLOCK, at(3),
                new Actor(ActorRole.PAYMENT_PLATFORM, "pay", null), DossierStatus.PAYMENT_REQUESTED, 30L, null));
        assertThat(fold.state().paused()).isTrue();
        assertThat(fold.statusBeforePause()).isEqualTo(DossierStatus.RECEIVED);
        fold.apply(new FeePaid(ID, "PAY-2", PaymentMethod.ONLINE, 20_000, 0, true, 120, 0, RESUMED, at(4),
                new Actor(ActorRole.PAYMENT_PLATFORM, "pay", null), DossierStatus.RECEIVED, 90L, null));
        assertThat(fold.state().paused()).isFalse();
        assertThat(fold.state().status()).isEqualTo(DossierStatus.RECEIVED);
        assertThat(fold.payment("PAY-1")).isEqualTo(10_000);
        assertThat(fold.payment("PAY-2")).isEqualTo(20_000);
        assertThat(fold.payment("PAY-3")).isNull();
        assertThat(fold.state().feesOwed()).isEqualTo(30_000);
        assertThat(fold.state().feesPaid()).isEqualTo(30_000);
        assertThat(fold.state().workingMinutesUsed()).isEqualTo(60);
    }
}
