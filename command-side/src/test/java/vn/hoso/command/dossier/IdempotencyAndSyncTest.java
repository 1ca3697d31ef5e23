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
                .andGiven(new GenericEventMessage<>(received(), MetaData.with(Dossier.SYNC_SEQUENCE, 1L)))
                .when(report(PROCESSING, second))
                .expectEvents(new ProcessingStarted(ID, "Phòng A", NOW, SYSTEM, PROCESSING));
    }

    private static ReportAgencyStatus report(DossierStatus status, AgencyReport report) {
        return new ReportAgencyStatus(ID, status, report, SYSTEM, NOW, null);
    }

    private static AgencyReport details(String unit, String fromUnit, String toUnit, String step) {
        return new AgencyReport(null, unit, fromUnit, toUnit, step, null, null, null, null, null, null, null, null,
                null, null, null);
    }
}
