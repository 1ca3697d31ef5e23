package vn.hoso.command.dossier;

import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.hoso.command.dossier.Commands.*;
import vn.hoso.events.*;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static vn.hoso.command.dossier.DossierFixtures.*;
import static vn.hoso.command.dossier.DossierTransitionTableTest.violation;
import static vn.hoso.events.DossierStatus.*;

/** Idempotency keys kept in the dossier's own state, and agency status reports mapped onto the table. */
class IdempotencyAndSyncTest {

    private static final Map<String, String> FIRST = Map.of(Idempotency.KEY, "k-1", Idempotency.FINGERPRINT, "fp-1");
    private static final Actor SYSTEM = AGENCY_SYSTEM;

    private FixtureConfiguration<Dossier> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Dossier.class);
        fixture.registerInjectableResource(CALENDAR);
        fixture.registerInjectableResource(CATALOGUE);
        fixture.registerInjectableResource(new InMemoryDossierCodes());
        DossierFixtures.ignoreMeasuredFacts(fixture);
        fixture.registerInjectableResource(TimeRules.defaults());
    }

    @Test
    void aRetryWithTheSameKeyGetsTheFirstOutcomeAndAppendsNothing() {
        var transferred = new DossierTransferred(ID, "A", "B", null, NOW, OFFICER, PROCESSING);
        fixture.given(historyTo(PROCESSING))
                .andGiven(withKey(transferred))
                .when(new TransferDossier(ID, "A", "B", null, OFFICER, NOW, 3L), FIRST)
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new CommandOutcome(4, AGENCY + "-260302-0001", true));
    }

    @Test
    void theSameKeyForAnotherRequestIsRefused() {
        var transferred = new DossierTransferred(ID, "A", "B", null, NOW, OFFICER, PROCESSING);
        fixture.given(historyTo(PROCESSING))
                .andGiven(withKey(transferred))
                .when(new TransferDossier(ID, "B", "C", null, OFFICER, NOW, null),
                        Map.of(Idempotency.KEY, "k-1", Idempotency.FINGERPRINT, "fp-2"))
                .expectNoEvents()
                .expectException(violation(ErrorCode.IDEMPOTENCY_KEY_REUSED, PROCESSING));
    }

    @Test
    void aNewKeyIsProcessedAndItsKeyTravelsWithTheEvent() {
        fixture.given(historyTo(PROCESSING))
                .when(new TransferDossier(ID, "A", "B", null, OFFICER, NOW, null), FIRST)
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(new CommandOutcome(4, AGENCY + "-260302-0001", false));
    }

    @Test
    void aRetriedSubmissionLandsOnTheSameDossier() {
        fixture.given(withKey(submitted()))
                .when(new SubmitDossier(ID, PROCEDURE, AGENCY, null, APPLICANT, Channel.ONLINE, List.of(FORM), OWNER,
                        NOW, null), FIRST)
                .expectNoEvents()
                .expectResultMessagePayload(new CommandOutcome(0, null, true));
    }

    @Test
    void statusTwoReceivesASubmittedDossier() {
        fixture.given(historyTo(SUBMITTED))
                .when(report(RECEIVED, new AgencyReport("OWN-CODE-1", null, null, null, null, null, null, null, null,
                        null, null, null, null, null, null, null)))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(new CommandOutcome(1, "OWN-CODE-1", false));
    }

    @Test
    void statusFourStartsProcessingThenReportsStepsAndTransfers() {
        fixture.given(historyTo(RECEIVED))
                .when(report(PROCESSING, details("Phòng A", null, null, null)))
                .expectEvents(new ProcessingStarted(ID, "Phòng A", NOW, SYSTEM, PROCESSING));
        fixture.given(historyTo(PROCESSING))
                .when(report(PROCESSING, details("Phòng A", null, null, "Thẩm định")))
                .expectEvents(new ProcessingStepCompleted(ID, "Phòng A", "Thẩm định", null, NOW, SYSTEM, PROCESSING));
        fixture.given(historyTo(PROCESSING))
                .when(report(PROCESSING, details(null, "Phòng A", "Phòng B", null)))
                .expectEvents(new DossierTransferred(ID, "Phòng A", "Phòng B", null, NOW, SYSTEM, PROCESSING));
    }

    @Test
    void aPlainStatusFourWhileProcessingDoesNotFit() {
        fixture.given(historyTo(PROCESSING))
                .when(report(PROCESSING, details("Phòng A", null, null, null)))
                .expectNoEvents()
                .expectException(violation(ErrorCode.ILLEGAL_TRANSITION, PROCESSING));
    }

    @Test
    void theStateBeforeAPauseResumesIt() {
        List<Object> history = new ArrayList<>(historyTo(SUPPLEMENT_REQUESTED));
        fixture.given(history)
                .when(report(PROCESSING, details("Phòng A", null, null, null)))
                .expectSuccessfulHandlerExecution()
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                DossierTransitionTableTest.eventOf(DossierSupplemented.class, PROCESSING)),
                        org.axonframework.test.matchers.Matchers.andNoMore()));
    }

    @Test
    void aResultReportedBeforeProcessingDoesNotFitAndNamesTheState() {
        fixture.given(historyTo(RECEIVED))
                .when(report(RESULT_READY, new AgencyReport(null, null, null, null, null, null, null, null, null, null,
                        null, null, ResultDecision.APPROVED, List.of(), null, null)))
                .expectNoEvents()
                .expectException(violation(ErrorCode.ILLEGAL_TRANSITION, RECEIVED));
    }

    @Test
    void aWithdrawalIsTheOwnersToMake() {
        fixture.given(historyTo(PROCESSING))
                .when(report(WITHDRAWN, details(null, null, null, null)))
                .expectNoEvents()
                .expectException(violation(ErrorCode.NOT_ALLOWED, PROCESSING));
    }

    @Test
    void onlyAgencySystemsReport() {
        fixture.given(historyTo(RECEIVED))
                .when(new ReportAgencyStatus(ID, PROCESSING, details("A", null, null, null), OFFICER, NOW, null))
                .expectNoEvents()
                .expectException(violation(ErrorCode.NOT_ALLOWED, RECEIVED));
    }

    @Test
    void aSupplementRequestReportCarriesItsItems() {
        fixture.given(historyTo(PROCESSING))
                .when(report(SUPPLEMENT_REQUESTED, new AgencyReport(null, null, null, null, null, "Thiếu", null,
                        List.of("Ảnh 3x4"), LocalDate.parse("2026-03-20"), null, null, null, null, null, null, null)))
                .expectEvents(new SupplementRequested(ID, List.of("Ảnh 3x4"), LocalDate.parse("2026-03-20"), "Thiếu",
                        PROCESSING, CLOCK, NOW, SYSTEM, SUPPLEMENT_REQUESTED));
    }

    /** An event as stored by a request with idempotency key k-1. */
    private static GenericEventMessage<Object> withKey(Object event) {
        return new GenericEventMessage<>(event, MetaData.from(FIRST));
    }

    @Test
    void aNumberedReportWaitsForItsPredecessor() {
        AgencyReport second = new AgencyReport(null, "Phòng A", null, null, null, null, null, null, null, null, null,
                null, null, null, null, 2L);
        fixture.given(historyTo(RECEIVED))
                .when(report(PROCESSING, second))
                .expectNoEvents()
                .expectException(violation(ErrorCode.SYNC_OUT_OF_ORDER, RECEIVED));
        fixture.given(historyTo(SUBMITTED))
                .andGiven(received().measured(null, 1L))
                .when(report(PROCESSING, second))
                .expectEvents(new ProcessingStarted(ID, "Phòng A", NOW, SYSTEM, PROCESSING));
    }

    // ---- numbering that cannot wedge (issue 10) -------------------------------------------------------------------

    private static final java.time.Instant PARTLY_PAID_AT = java.time.Instant.parse("2026-03-04T03:00:00Z");
    private static final Actor OPERATOR = new Actor(ActorRole.OPERATOR, "operator-1", null);

    /** Payment requested (50,000 VND), 20,000 paid at the desk under QUAY-1, reported as number 1. */
    private static List<Object> partlyPaid() {
        List<Object> history = new ArrayList<>(historyTo(PAYMENT_REQUESTED));
        history.add(new FeePaid(ID, "QUAY-1", PaymentMethod.AT_DESK, 20_000, 30_000, false, 0,
                0, CLOCK, PARTLY_PAID_AT, SYSTEM, PAYMENT_REQUESTED).measured(null, 1L));
        return history;
    }

    private static AgencyReport payment(String reference, long amount, long number) {
        return new AgencyReport(null, null, null, null, null, null, null, null, null, null, reference, amount, null,
                null, null, number);
    }

    @Test
    void aNumberedReportThatChangesNothingIsRecordedSoThatItsNumberCounts() {
        // the desk payment resent under a new message id: the same payment, nothing to change, but number 2 is used
        fixture.given(partlyPaid())
                .when(report(PROCESSING, payment("QUAY-1", 20_000, 2)))
                .expectEvents(new SyncReportRecorded(ID, 2, PROCESSING, NOW, SYSTEM, PAYMENT_REQUESTED));
        List<Object> recorded = new ArrayList<>(partlyPaid());
        recorded.add(new SyncReportRecorded(ID, 2, PROCESSING, NOW, SYSTEM, PAYMENT_REQUESTED));
        fixture.given(recorded)
                .when(report(PROCESSING, payment("QUAY-2", 30_000, 3)))
                .expectEvents(new FeePaid(ID, "QUAY-2", PaymentMethod.AT_DESK, 30_000, 0, true, 1380, 3,
                        new DossierClock(java.time.Instant.parse("2026-03-12T10:00:00Z"),
                                java.time.Instant.parse("2026-03-12T10:00:00Z"), 1380, 3), NOW, SYSTEM, PROCESSING));
    }

    @Test
    void theSamePaymentReferenceWithAnotherAmountIsRefused() {
        fixture.given(partlyPaid())
                .when(report(PROCESSING, payment("QUAY-1", 25_000, 2)))
                .expectNoEvents()
                .expectException(violation(ErrorCode.PAYMENT_REFERENCE_REUSED, PAYMENT_REQUESTED));
        fixture.given(partlyPaid())
                .when(new PayFee(ID, "QUAY-1", PaymentMethod.AT_DESK, 30_000, OFFICER, NOW, null))
                .expectNoEvents()
                .expectException(violation(ErrorCode.PAYMENT_REFERENCE_REUSED, PAYMENT_REQUESTED));
    }

    @Test
    void anOperatorSkipsTheNumberTheDossierWaitsForAndTheNextOneIsTakenThen() {
        fixture.given(partlyPaid())
                .when(new SkipSyncNumber(ID, 2, "Báo cáo số 2 bị mất ở hệ thống một cửa", OPERATOR, NOW, null))
                .expectEvents(new SyncNumberSkipped(ID, 2, "Báo cáo số 2 bị mất ở hệ thống một cửa", NOW, OPERATOR,
                        PAYMENT_REQUESTED));
        List<Object> skipped = new ArrayList<>(partlyPaid());
        skipped.add(new SyncNumberSkipped(ID, 2, "mất", NOW, OPERATOR, PAYMENT_REQUESTED));
        fixture.given(skipped)
                .when(report(PROCESSING, payment("QUAY-2", 10_000, 3)))
                .expectEvents(new FeePaid(ID, "QUAY-2", PaymentMethod.AT_DESK, 10_000, 20_000, false, 0, 0, CLOCK, NOW,
                        SYSTEM, PAYMENT_REQUESTED));
    }

    @Test
    void onlyTheNumberExpectedNextCanBeSkippedAndOnlyByAnOperator() {
        fixture.given(partlyPaid())
                .when(new SkipSyncNumber(ID, 3, "x", OPERATOR, NOW, null))
                .expectNoEvents()
                // an operator does not see the dossier: refused without its state
                .expectException(violation(ErrorCode.SYNC_OUT_OF_ORDER, null));
        fixture.given(partlyPaid())
                .when(new SkipSyncNumber(ID, 2, "x", OFFICER, NOW, null))
                .expectNoEvents()
                .expectException(violation(ErrorCode.NOT_ALLOWED, PAYMENT_REQUESTED));
    }

    private static ReportAgencyStatus report(DossierStatus status, AgencyReport report) {
        return new ReportAgencyStatus(ID, status, report, SYSTEM, NOW, null);
    }

    private static AgencyReport details(String unit, String fromUnit, String toUnit, String step) {
        return new AgencyReport(null, unit, fromUnit, toUnit, step, null, null, null, null, null, null, null, null,
                null, null, null);
    }
}
