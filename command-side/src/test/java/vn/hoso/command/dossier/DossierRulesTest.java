package vn.hoso.command.dossier;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.hoso.command.dossier.Commands.*;
import vn.hoso.events.*;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static vn.hoso.command.dossier.DossierFixtures.*;
import static vn.hoso.command.dossier.DossierTransitionTableTest.violation;
import static vn.hoso.events.DossierStatus.*;

/** Who may act, the clock the events carry, and the rules beyond the state table. */
class DossierRulesTest {

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

    @Nested
    class Parties {

        static Stream<Arguments> refusedParties() {
            return Stream.of(
                    // agency actions: not the owner, not another agency, not an inspector
                    Arguments.of(SUBMITTED, new ReceiveDossier(ID, "X-1", OWNER, NOW, null)),
                    Arguments.of(SUBMITTED, new ReceiveDossier(ID, "X-1", INSPECTOR, NOW, null)),
                    Arguments.of(SUBMITTED, new RefuseIntake(ID, List.of("r"), OWNER, NOW, null)),
                    Arguments.of(PROCESSING, new IssueResult(ID, ResultDecision.APPROVED, List.of(), null, OWNER, NOW, null)),
                    Arguments.of(PROCESSING, new RequestPayment(ID, List.of(), OWNER, NOW, null)),
                    Arguments.of(RESULT_READY, new ReturnResult(ID, Channel.ONLINE, OWNER, NOW, null)),
                    // owner actions: not the agency, not an inspector
                    Arguments.of(PROCESSING, new WithdrawDossier(ID, "r", OFFICER, NOW, null)),
                    Arguments.of(PROCESSING, new WithdrawDossier(ID, "r", INSPECTOR, NOW, null)),
                    Arguments.of(RESULT_RETURNED, new RateDossier(ID, "s", 1, List.of(), RatingLevel.SATISFIED, null,
                            OFFICER, NOW, null)),
                    // payment: the payment platform online, the agency at the desk; never the owner itself
                    Arguments.of(PAYMENT_REQUESTED, new PayFee(ID, "P", PaymentMethod.AT_DESK, 50_000, OWNER, NOW, null)),
                    Arguments.of(PAYMENT_REQUESTED, new PayFee(ID, "P", PaymentMethod.ONLINE, 50_000, OWNER, NOW, null)),
                    Arguments.of(PAYMENT_REQUESTED, new PayFee(ID, "P", PaymentMethod.ONLINE, 50_000, OFFICER, NOW, null)),
                    Arguments.of(PAYMENT_REQUESTED, new PayFee(ID, "P", PaymentMethod.ONLINE, 50_000, INSPECTOR, NOW, null)));
        }

        /** Whoever may not see the dossier (another citizen, another agency, the payment platform) is told it does not exist. */
        static Stream<Arguments> strangers() {
            return Stream.of(
                    Arguments.of(SUBMITTED, new ReceiveDossier(ID, "X-1", OTHER_OFFICER, NOW, null)),
                    Arguments.of(RECEIVED, new StartProcessing(ID, "u", OTHER_OFFICER, NOW, null)),
                    Arguments.of(PROCESSING, new StopProcessing(ID, List.of("r"), OTHER_OFFICER, NOW, null)),
                    Arguments.of(PROCESSING, new WithdrawDossier(ID, "r", OTHER_CITIZEN, NOW, null)),
                    Arguments.of(RESULT_RETURNED, new RateDossier(ID, "s", 1, List.of(), RatingLevel.SATISFIED, null,
                            OTHER_CITIZEN, NOW, null)),
                    Arguments.of(SUPPLEMENT_REQUESTED, new SupplementDossier(ID, List.of(FORM), OTHER_CITIZEN, NOW, null)),
                    Arguments.of(SUPPLEMENT_REQUESTED, new SupplementDossier(ID, List.of(FORM), OTHER_OFFICER, NOW, null)),
                    Arguments.of(PAYMENT_REQUESTED, new PayFee(ID, "P", PaymentMethod.ONLINE, 50_000, OTHER_CITIZEN, NOW, null)),
                    Arguments.of(RECEIVED, new StartProcessing(ID, "u", PLATFORM, NOW, null)),
                    // a desk payment is not the platform's to record: for it, the dossier does not exist
                    Arguments.of(PAYMENT_REQUESTED, new PayFee(ID, "P", PaymentMethod.AT_DESK, 50_000, PLATFORM, NOW, null)),
                    Arguments.of(RECEIVED, new ExtendDeadline(ID, "r", NOW.plusSeconds(864_000), OTHER_OFFICER, NOW, 0L)));
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("strangers")
        void aStrangerIsToldTheDossierDoesNotExist(DossierStatus state, DossierCommand command) {
            fixture.given(historyTo(state)).when(command)
                    .expectNoEvents()
                    .expectException(AggregateNotFoundException.class);
        }

        @Test
        void theApplicantOfADossierSomeoneElseSubmittedSeesItButDoesNotActOnIt() {
            // a citizen whose ID is the applicant's (registered at a desk, say) is refused 403, not told "absent"
            Actor applicant = new Actor(ActorRole.CITIZEN, "citizen-applicant", null);
            fixture.given(historyTo(PROCESSING))
                    .when(new WithdrawDossier(ID, "r", applicant, NOW, null),
                            Map.of(Dossier.CALLER_APPLICANT_ID, APPLICANT.idNumber()))
                    .expectNoEvents()
                    .expectException(violation(ErrorCode.NOT_ALLOWED, PROCESSING));
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("refusedParties")
        void aPartyWithoutTheRightIsRefused(DossierStatus state, DossierCommand command) {
            fixture.given(historyTo(state)).when(command)
                    .expectNoEvents()
                    .expectException(violation(ErrorCode.NOT_ALLOWED, state));
        }

        @Test
        void anAgencySystemHasTheOfficersRights() {
            fixture.given(historyTo(SUBMITTED))
                    .when(new ReceiveDossier(ID, AGENCY + "-260305-0001", AGENCY_SYSTEM, NOW, null))
                    .expectSuccessfulHandlerExecution();
        }

        /** A receipt without an agency system's own code gets the agency's next default code of its day. */
        @Test
        void aReceiptWithoutItsOwnCodeGetsTheAgencysNextCode() {
            fixture.given(historyTo(SUBMITTED))
                    .when(new ReceiveDossier(ID, null, OFFICER, NOW, null))
                    .expectEventsMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                            org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                    org.axonframework.test.matchers.Matchers.predicate(event ->
                                            event instanceof vn.hoso.events.DossierReceived received
                                                    && received.dossierCode().matches(AGENCY + "-\\d{6}-0001")),
                                    org.axonframework.test.matchers.Matchers.andNoMore())));
        }

        @Test
        void theAgencyMaySupplementForTheApplicant() {
            fixture.given(historyTo(SUPPLEMENT_REQUESTED))
                    .when(new SupplementDossier(ID, List.of(FORM), OFFICER, NOW, null))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void theAgencyRecordsADeskPayment() {
            fixture.given(historyTo(PAYMENT_REQUESTED))
                    .when(new PayFee(ID, "QUAY-1", PaymentMethod.AT_DESK, 50_000, OFFICER, NOW, null))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void anAgencyRegistersADeskSubmissionForAnApplicant() {
            fixture.givenNoPriorActivity()
                    .when(new SubmitDossier(ID, PROCEDURE, AGENCY, "citizen-1", APPLICANT, Channel.DESK, List.of(FORM),
                            OFFICER, SUBMITTED_AT, null))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(new DossierSubmitted(ID, PROCEDURE,
                            "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", 2, AGENCY, "citizen-1", APPLICANT,
                            Channel.DESK, List.of(FORM), submitted().feesDueAtSubmission(), SUBMITTED_AT, OFFICER,
                            SUBMITTED));
        }

        @Test
        void anApplicantCannotRegisterADeskSubmission() {
            fixture.givenNoPriorActivity()
                    .when(new SubmitDossier(ID, PROCEDURE, AGENCY, null, APPLICANT, Channel.DESK, List.of(FORM), OWNER,
                            SUBMITTED_AT, null))
                    .expectNoEvents()
                    .expectException(RequestValidationException.class);
        }

        @Test
        void anotherAgencyCannotRegisterADossierForThisOne() {
            fixture.givenNoPriorActivity()
                    .when(new SubmitDossier(ID, PROCEDURE, AGENCY, null, APPLICANT, Channel.DESK, List.of(FORM),
                            OTHER_OFFICER, SUBMITTED_AT, null))
                    .expectNoEvents()
                    .expectException(violation(ErrorCode.NOT_ALLOWED, null));
        }
    }

    @Nested
    class Clock {

        @Test
        void aReportedTimeBeforeTheDossiersPreviousEventIsRefused() {
            fixture.given(submitted(), submissionFeePaid(), received())
                    .when(new StartProcessing(ID, "Phòng một cửa", OFFICER, RECEIVED_AT.minusSeconds(3600), null),
                            Map.of(Dossier.TIME_REPORTED, true))
                    .expectNoEvents()
                    .expectException(RequestValidationException.class)
                    .expectExceptionMessage("invalid fields: [occurredAt]");
        }

        @Test
        void aTimeFromAClockRunningBehindBecomesThePreviousEventsTime() {
            fixture.given(submitted(), submissionFeePaid(), received())
                    .when(new StartProcessing(ID, "Phòng một cửa", OFFICER, RECEIVED_AT.minusSeconds(3600), null))
                    .expectEvents(new ProcessingStarted(ID, "Phòng một cửa", RECEIVED_AT, OFFICER, PROCESSING));
        }

        @Test
        void anExtensionPastTheHorizonIsRefusedAndOneWithinItAccepted() {
            fixture.given(submitted(), submissionFeePaid(), received())
                    .when(new ExtendDeadline(ID, "x", DUE.plus(Duration.ofDays(200)), OFFICER, NOW, null))
                    .expectNoEvents()
                    .expectExceptionMessage("invalid fields: [newDueAt]");
            fixture.given(submitted(), submissionFeePaid(), received())
                    .when(new ExtendDeadline(ID, "x", Instant.parse("+999999-01-01T00:00:00Z"), OFFICER, NOW, null))
                    .expectNoEvents()
                    .expectExceptionMessage("invalid fields: [newDueAt]");
            Instant later = DUE.plus(Duration.ofDays(30));
            fixture.given(submitted(), submissionFeePaid(), received())
                    .when(new ExtendDeadline(ID, "x", later, OFFICER, NOW, null))
                    .expectEvents(new DeadlineExtended(ID, "x", DUE, new DossierClock(later, DUE, 0, 0), NOW, OFFICER,
                            RECEIVED));
        }

        @Test
        void aReplyByDateBeforeTheRequestOrBeyondTheCalendarIsRefused() {
            fixture.given(submitted(), submissionFeePaid(), received())
                    .when(new RequestSupplement(ID, List.of("Ảnh"), LocalDate.parse("2026-03-01"), null, OFFICER, NOW,
                            null))
                    .expectNoEvents()
                    .expectExceptionMessage("invalid fields: [replyBy]");
            fixture.given(submitted(), submissionFeePaid(), received())
                    .when(new RequestSupplement(ID, List.of("Ảnh"), LocalDate.parse("2999-12-31"), null, OFFICER, NOW,
                            null))
                    .expectNoEvents()
                    .expectExceptionMessage("invalid fields: [replyBy]");
        }


        @Test
        void receiptSetsBothDueDates() {
            fixture.given(submitted(), submissionFeePaid())
                    .when(new ReceiveDossier(ID, AGENCY + "-260302-0001", OFFICER, RECEIVED_AT, null))
                    .expectEvents(received());
        }

        @Test
        void aDossierIsPinnedToTheRulesInForceAtReceipt() {
            // submitted on Thu 2025-02-27 under version 1 (135,000 VND), received on Mon 2025-03-03 under version 2
            Instant submittedAt = Instant.parse("2025-02-27T02:00:00Z");
            Instant receivedAt = Instant.parse("2025-03-03T02:00:00Z");
            fixture.givenNoPriorActivity()
                    .when(new SubmitDossier(ID, PROCEDURE, AGENCY, null, APPLICANT, Channel.ONLINE, List.of(FORM), OWNER,
                            submittedAt, null))
                    .expectEvents(new DossierSubmitted(ID, PROCEDURE, "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
                            1, AGENCY, OWNER.id(), APPLICANT, Channel.ONLINE, List.of(FORM),
                            List.of(new FeeItem("LP-GPLX", "Lệ phí cấp đổi giấy phép lái xe", 135_000, FeeDue.AT_SUBMISSION)),
                            submittedAt, OWNER, SUBMITTED));
            Instant due = Instant.parse("2025-03-10T10:00:00Z"); // Tue 4 .. Mon 10, 17:00 in Hanoi
            fixture.given(new DossierSubmitted(ID, PROCEDURE, "x", 1, AGENCY, OWNER.id(), APPLICANT, Channel.ONLINE,
                            List.of(FORM), List.of(), submittedAt, OWNER, SUBMITTED))
                    .when(new ReceiveDossier(ID, "C-1", OFFICER, receivedAt, null))
                    .expectEvents(new DossierReceived(ID, "C-1", AGENCY, PROCEDURE, 2,
                            new StatutoryTime(5, ProcessingTimeUnit.WORKING_DAYS), new DossierClock(due, due, 0, 0),
                            receivedAt, OFFICER, RECEIVED));
        }

        @Test
        void aWorkingHourProcedureIsDueWithinTheHours() {
            // C/O, 6 working hours, received Mon 2026-03-02 10:00: 10:00-11:30, 13:00-17:00, Tue 07:30-08:00
            Instant receivedAt = Instant.parse("2026-03-02T03:00:00Z");
            Instant due = Instant.parse("2026-03-03T01:00:00Z");
            fixture.given(new DossierSubmitted(ID, "2.000038", "C/O", 1, AGENCY, OWNER.id(), APPLICANT,
                            Channel.ONLINE, List.of(FORM), List.of(), SUBMITTED_AT, OWNER, SUBMITTED))
                    .when(new ReceiveDossier(ID, "C-1", OFFICER, receivedAt, null))
                    .expectEvents(new DossierReceived(ID, "C-1", AGENCY, "2.000038", 1,
                            new StatutoryTime(6, ProcessingTimeUnit.WORKING_HOURS), new DossierClock(due, due, 0, 0),
                            receivedAt, OFFICER, RECEIVED));
        }

        @Test
        void aDueDateCountedOverTheProvisionalYearIsMarkedProvisional() {
            // the same C/O procedure received Mon 2027-03-01 10:00: 2027's days off are not decreed yet
            Instant receivedAt = Instant.parse("2027-03-01T03:00:00Z");
            Instant due = Instant.parse("2027-03-02T01:00:00Z");
            fixture.given(new DossierSubmitted(ID, "2.000038", "C/O", 1, AGENCY, OWNER.id(), APPLICANT,
                            Channel.ONLINE, List.of(FORM), List.of(), receivedAt.minusSeconds(3600), OWNER, SUBMITTED))
                    .when(new ReceiveDossier(ID, "C-1", OFFICER, receivedAt, null))
                    .expectEvents(new DossierReceived(ID, "C-1", AGENCY, "2.000038", 1,
                            new StatutoryTime(6, ProcessingTimeUnit.WORKING_HOURS), new DossierClock(due, due, 0, 0, true),
                            receivedAt, OFFICER, RECEIVED));
        }

        @Test
        void aSupplementPauseMovesBothDueDates() {
            // paused Mon 2026-03-02 11:00, resumed Thu 2026-03-05 10:00: Tue, Wed, Thu = 3 working days;
            // Mon 11:00-11:30 + 13:00-17:00 (270) + Tue, Wed (960) + Thu 07:30-10:00 (150) = 1380 working minutes
            Instant shifted = Instant.parse("2026-03-12T10:00:00Z"); // Mon 9 + 3 working days = Thu 12, 17:00
            fixture.given(historyTo(SUPPLEMENT_REQUESTED))
                    .when(new SupplementDossier(ID, List.of(FORM), OWNER, NOW, null))
                    .expectEvents(new DossierSupplemented(ID, List.of(FORM), 1380, 3,
                            new DossierClock(shifted, shifted, 1380, 3), NOW, OWNER, PROCESSING));
        }

        @Test
        void aPaymentPauseMovesBothDueDatesWhenTheFeeIsPaid() {
            Instant shifted = Instant.parse("2026-03-12T10:00:00Z");
            fixture.given(historyTo(PAYMENT_REQUESTED))
                    .when(new PayFee(ID, "VNPAY-77", PaymentMethod.ONLINE, 50_000, PLATFORM, NOW, null))
                    .expectEvents(new FeePaid(ID, "VNPAY-77", PaymentMethod.ONLINE, 50_000, 0, true, 1380, 3,
                            new DossierClock(shifted, shifted, 1380, 3), NOW, PLATFORM, PROCESSING));
        }

        /** DOMAIN.md's remaining-time example: 29.5 working hours were left when the pause began. */
        @Test
        void aPauseFromWednesdayToTheMondayItWasDueMakesItDueOnThursday() {
            Instant pausedAt = Instant.parse("2026-03-04T03:00:00Z"); // Wed 10:00 in Hanoi
            Instant resumedAt = Instant.parse("2026-03-09T03:00:00Z"); // Mon 10:00, the day it was due
            Instant thursday = Instant.parse("2026-03-12T10:00:00Z"); // Thu 17:00
            List<Object> history = new ArrayList<>(historyTo(PROCESSING));
            history.add(new SupplementRequested(ID, List.of("Ảnh"), LocalDate.parse("2026-03-20"), null, PROCESSING,
                    CLOCK, pausedAt, OFFICER, SUPPLEMENT_REQUESTED));
            // Wed 10:00-11:30, 13:00-17:00 (330) + Thu, Fri (960) + Mon 07:30-10:00 (150) = 1440 minutes paused
            fixture.given(history)
                    .when(new SupplementDossier(ID, List.of(FORM), OWNER, resumedAt, null))
                    .expectEvents(new DossierSupplemented(ID, List.of(FORM), 1440, 3,
                            new DossierClock(thursday, thursday, 1440, 3), resumedAt, OWNER, PROCESSING));
        }

        @Test
        void aPauseWithoutWorkingTimeInItMovesNothing() {
            Instant pausedAt = Instant.parse("2026-03-06T10:30:00Z"); // Fri 17:30 in Hanoi
            Instant resumedAt = Instant.parse("2026-03-09T00:00:00Z"); // Mon 07:00
            List<Object> history = new ArrayList<>(historyTo(PROCESSING));
            history.add(new SupplementRequested(ID, List.of("Ảnh"), LocalDate.parse("2026-03-20"), null, PROCESSING,
                    CLOCK, pausedAt, OFFICER, SUPPLEMENT_REQUESTED));
            fixture.given(history)
                    .when(new SupplementDossier(ID, List.of(FORM), OWNER, resumedAt, null))
                    .expectEvents(new DossierSupplemented(ID, List.of(FORM), 0, 1, new DossierClock(DUE, DUE, 0, 1),
                            resumedAt, OWNER, PROCESSING));
        }

        @Test
        void aPauseBeforeReceiptMovesNothing() {
            fixture.given(submitted(), new SupplementRequested(ID, List.of("Ảnh"), LocalDate.parse("2026-03-10"), null,
                            SUBMITTED, null, PAUSED_AT, OFFICER, SUPPLEMENT_REQUESTED))
                    .when(new SupplementDossier(ID, List.of(FORM), OWNER, NOW, null))
                    .expectEvents(new DossierSupplemented(ID, List.of(FORM), 0, 0, null, NOW, OWNER, SUBMITTED));
        }

        @Test
        void anExtensionMovesOnlyThePromisedDate() {
            Instant later = Instant.parse("2026-03-16T10:00:00Z");
            fixture.given(historyTo(PROCESSING))
                    .when(new ExtendDeadline(ID, "Cần xác minh thêm", later, OFFICER, NOW, null))
                    .expectEvents(new DeadlineExtended(ID, "Cần xác minh thêm", DUE, new DossierClock(later, DUE, 0, 0),
                            NOW, OFFICER, PROCESSING));
        }

        @Test
        void aPauseAfterAnExtensionMovesBothDatesByTheSameWorkingDays() {
            Instant later = Instant.parse("2026-03-16T10:00:00Z"); // Mon 16
            List<Object> history = new ArrayList<>(historyTo(PROCESSING));
            history.add(new DeadlineExtended(ID, "x", DUE, new DossierClock(later, DUE, 0, 0), STARTED_AT, OFFICER,
                    PROCESSING));
            history.add(new SupplementRequested(ID, List.of("Ảnh"), LocalDate.parse("2026-03-20"), null, PROCESSING,
                    new DossierClock(later, DUE, 0, 0), PAUSED_AT, OFFICER, SUPPLEMENT_REQUESTED));
            fixture.given(history)
                    .when(new SupplementDossier(ID, List.of(FORM), OWNER, NOW, null))
                    .expectEvents(new DossierSupplemented(ID, List.of(FORM), 1380, 3,
                            new DossierClock(Instant.parse("2026-03-19T10:00:00Z"), Instant.parse("2026-03-12T10:00:00Z"),
                                    1380, 3), NOW, OWNER, PROCESSING));
        }

        @Test
        void eachEventCarriesTheWorkingTimeOfTheStageItCloses() {
            // the supplement request at Mon 11:00, the supplement at Thu 10:00: 270 + 960 + 150 working minutes
            fixture.given(historyTo(SUPPLEMENT_REQUESTED))
                    .when(new SupplementDossier(ID, List.of(FORM), OWNER, NOW, null))
                    .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                            measured(event -> event.workingMinutesInStage(), 1380L),
                            org.axonframework.test.matchers.Matchers.andNoMore()));
        }

        @Test
        void aResultCarriesTheWorkingTimeFromReceiptPausesExcluded() {
            // received Mon 2026-03-02 09:00, result Mon 2026-03-09 17:00: 390 + 4 x 480 + 480 = 2790 working minutes;
            // processing started Mon 10:00, so that stage took 2730
            fixture.given(historyTo(PROCESSING))
                    .when(new IssueResult(ID, ResultDecision.APPROVED, List.of(), null, OFFICER, DUE, null))
                    .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                            org.hamcrest.Matchers.allOf(
                                    measured(event -> ((ResultIssued) event).workingMinutesToResult(), 2790L),
                                    measured(event -> event.workingMinutesInStage(), 2730L)),
                            org.axonframework.test.matchers.Matchers.andNoMore()));
        }

        @Test
        void anExtensionMustBeLater() {
            fixture.given(historyTo(PROCESSING))
                    .when(new ExtendDeadline(ID, "x", DUE, OFFICER, NOW, null))
                    .expectNoEvents()
                    .expectException(violation(ErrorCode.DEADLINE_NOT_LATER, PROCESSING));
        }

        @Test
        void aResultIssuedAfterTheStatutoryDateIsLateEvenWhenExtended() {
            Instant later = Instant.parse("2026-03-16T10:00:00Z");
            Instant issuedAt = Instant.parse("2026-03-10T03:00:00Z"); // after the statutory Mon 9, before Mon 16
            List<Object> history = new ArrayList<>(historyTo(PROCESSING));
            history.add(new DeadlineExtended(ID, "x", DUE, new DossierClock(later, DUE, 0, 0), STARTED_AT, OFFICER,
                    PROCESSING));
            fixture.given(history)
                    .when(new IssueResult(ID, ResultDecision.APPROVED, List.of(FORM), null, OFFICER, issuedAt, null))
                    .expectEvents(new ResultIssued(ID, ResultDecision.APPROVED, List.of(FORM), null, false,
                            new DossierClock(later, DUE, 0, 0), issuedAt, OFFICER, RESULT_READY));
        }

        @Test
        void aResultIssuedByTheStatutoryDateIsOnTime() {
            fixture.given(historyTo(PROCESSING))
                    .when(new IssueResult(ID, ResultDecision.REFUSED, List.of(), "Không đủ điều kiện", OFFICER, DUE, null))
                    .expectEvents(new ResultIssued(ID, ResultDecision.REFUSED, List.of(), "Không đủ điều kiện", true,
                            CLOCK, DUE, OFFICER, RESULT_READY));
        }
    }

    /** An event whose payload carries this measured fact (revision 2: in the payload, no longer in metadata). */
    static org.hamcrest.Matcher<org.axonframework.eventhandling.EventMessage<?>> measured(
            java.util.function.Function<vn.hoso.events.DossierEvent, Long> fact, long value) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(org.axonframework.eventhandling.EventMessage<?> message) {
                return message.getPayload() instanceof vn.hoso.events.DossierEvent event
                        && Long.valueOf(value).equals(fact.apply(event));
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("an event whose payload carries " + value);
            }
        };
    }

    @Nested
    class Fees {

        @Test
        void theResultIsNotReturnedWhileRequestedFeesAreUnpaid() {
            fixture.given(submitted(), received(), started(), issued())
                    .when(new ReturnResult(ID, Channel.ONLINE, OFFICER, NOW, null))
                    .expectNoEvents()
                    .expectException(violation(ErrorCode.FEES_OUTSTANDING, RESULT_READY));
        }

        @Test
        void aFeeRequestedAfterTheResultIsPaidThenTheResultReturned() {
            List<Object> history = new ArrayList<>(historyTo(RESULT_READY));
            history.add(new PaymentRequested(ID, List.of(new FeeItem("PHI-IN", "Phí in", 30_000, FeeDue.ON_REQUEST)),
                    30_000, 30_000, RESULT_READY, CLOCK, ISSUED_AT, OFFICER, PAYMENT_REQUESTED));
            fixture.given(history)
                    .when(new PayFee(ID, "P-9", PaymentMethod.ONLINE, 30_000, PLATFORM, NOW, null))
                    .expectEvents(new FeePaid(ID, "P-9", PaymentMethod.ONLINE, 30_000, 0, true, 0, 0, CLOCK, NOW, PLATFORM,
                            RESULT_READY));
            history.add(new FeePaid(ID, "P-9", PaymentMethod.ONLINE, 30_000, 0, true, 0, 0, CLOCK, NOW, PLATFORM,
                    RESULT_READY));
            fixture.given(history)
                    .when(new ReturnResult(ID, Channel.ONLINE, OFFICER, NOW, null))
                    .expectEvents(new ResultReturned(ID, Channel.ONLINE, NOW, OFFICER, RESULT_RETURNED));
        }

        @Test
        void theSamePaymentReferencePaidTwiceIsOnePayment() {
            fixture.given(submitted(), submissionFeePaid())
                    .when(new PayFee(ID, "PAY-SUB-1", PaymentMethod.ONLINE, SUBMISSION_FEE, PLATFORM, NOW, null))
                    .expectSuccessfulHandlerExecution()
                    // taken; the platform is told no version
                    .expectResultMessagePayload(new CommandOutcome(-1, null, false))
                    .expectNoEvents();
        }

        @Test
        void aPaymentCannotExceedWhatIsOwed() {
            fixture.given(historyTo(PAYMENT_REQUESTED))
                    .when(new PayFee(ID, "P", PaymentMethod.ONLINE, 50_001, PLATFORM, NOW, null))
                    .expectNoEvents()
                    // the platform does not see the dossier: refused without its state
                    .expectException(violation(ErrorCode.PAYMENT_EXCEEDS_OUTSTANDING, null));
        }

        @Test
        void aPartPaymentKeepsTheDossierWaiting() {
            fixture.given(historyTo(PAYMENT_REQUESTED))
                    .when(new PayFee(ID, "P", PaymentMethod.ONLINE, 20_000, PLATFORM, NOW, null))
                    .expectEvents(new FeePaid(ID, "P", PaymentMethod.ONLINE, 20_000, 30_000, false, 0, 0, CLOCK, NOW,
                            PLATFORM, PAYMENT_REQUESTED));
        }

        @Test
        void nothingIsPaidWhenNothingIsOwed() {
            fixture.given(new DossierSubmitted(ID, "2.000116", "KM", 1, AGENCY, OWNER.id(), APPLICANT, Channel.ONLINE,
                            List.of(FORM), List.of(), SUBMITTED_AT, OWNER, SUBMITTED))
                    .when(new PayFee(ID, "P", PaymentMethod.ONLINE, 1_000, PLATFORM, NOW, null))
                    .expectNoEvents()
                    .expectException(violation(ErrorCode.NO_FEES_DUE, null));
        }
    }

    @Nested
    class Others {

        @Test
        void aDossierIsRatedOnce() {
            List<Object> history = new ArrayList<>(historyTo(RESULT_RETURNED));
            history.add(new DossierRated(ID, "provincial-9x2", 1, List.of(), 0, 0, RatingLevel.SATISFIED, null, NOW,
                    OWNER, RESULT_RETURNED));
            fixture.given(history)
                    .when(new RateDossier(ID, "provincial-9x2", 1, List.of(), RatingLevel.DISSATISFIED, null, OWNER, NOW,
                            null))
                    .expectNoEvents()
                    .expectException(violation(ErrorCode.ALREADY_RATED, RESULT_RETURNED));
        }

        @Test
        void aRatingRecordsItsSchemeAndPoints() {
            List<CriterionScore> scores = List.of(new CriterionScore("STAFF_ATTITUDE", 2, 2),
                    new CriterionScore("TOTAL_TIME_AGAINST_LIMIT", 1, 2));
            fixture.given(historyTo(INTAKE_REFUSED))
                    .when(new RateDossier(ID, "provincial-9x2", 1, scores, RatingLevel.SATISFIED, "Nhanh", OWNER, NOW,
                            null))
                    .expectEvents(new DossierRated(ID, "provincial-9x2", 1, scores, 3, 4, RatingLevel.SATISFIED, "Nhanh",
                            NOW, OWNER, INTAKE_REFUSED));
        }

        @Test
        void aStaleVersionIsRefused() {
            // the history to PROCESSING has 4 events: version 3
            fixture.given(historyTo(PROCESSING))
                    .when(new TransferDossier(ID, "A", "B", null, OFFICER, NOW, 2L))
                    .expectNoEvents()
                    .expectException(violation(ErrorCode.CONCURRENT_MODIFICATION, PROCESSING));
        }

        @Test
        void aVersionAheadOfTheDossierIsRefused() {
            fixture.given(historyTo(PROCESSING))
                    .when(new TransferDossier(ID, "A", "B", null, OFFICER, NOW, 9L))
                    .expectNoEvents()
                    .expectException(violation(ErrorCode.CONCURRENT_MODIFICATION, PROCESSING));
        }

        @Test
        void theCurrentVersionIsAcceptedAndTheNewOneReturned() {
            fixture.given(historyTo(PROCESSING))
                    .when(new TransferDossier(ID, "A", "B", null, OFFICER, NOW, 3L))
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload(new CommandOutcome(4, AGENCY + "-260302-0001", false));
        }

        @Test
        void anUnknownProcedureIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(new SubmitDossier(ID, "9.999999", AGENCY, null, APPLICANT, Channel.ONLINE, List.of(FORM), OWNER,
                            NOW, null))
                    .expectNoEvents()
                    .expectException(violation(ErrorCode.UNKNOWN_PROCEDURE, null));
        }

        @Test
        void aProcedureNotYetInForceIsRefused() {
            fixture.givenNoPriorActivity()
                    .when(new SubmitDossier(ID, PROCEDURE, AGENCY, null, APPLICANT, Channel.ONLINE, List.of(FORM), OWNER,
                            Instant.parse("2019-06-01T02:00:00Z"), null))
                    .expectNoEvents()
                    .expectException(violation(ErrorCode.PROCEDURE_NOT_IN_FORCE, null));
        }
    }
}
