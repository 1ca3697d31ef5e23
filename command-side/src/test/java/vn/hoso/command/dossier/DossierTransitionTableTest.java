package vn.hoso.command.dossier;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import vn.hoso.command.dossier.Commands.*;
import vn.hoso.events.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;
import static vn.hoso.command.dossier.DossierFixtures.*;
import static vn.hoso.events.DossierStatus.*;

/**
 * DOMAIN.md's "who may do what, from which state" table, checked exhaustively: every command in every one of the
 * ten states. The expectations below are written from DOMAIN.md itself, not read from the production table.
 */
class DossierTransitionTableTest {

    /** Literal copy of DOMAIN.md: command → states it is allowed in. */
    private static final Map<String, Set<DossierStatus>> ALLOWED = Map.ofEntries(
            Map.entry("receive", EnumSet.of(SUBMITTED)),
            Map.entry("refuse intake", EnumSet.of(SUBMITTED)),
            Map.entry("request supplement", EnumSet.of(SUBMITTED, RECEIVED, PROCESSING)),
            Map.entry("supplement", EnumSet.of(SUPPLEMENT_REQUESTED)),
            Map.entry("start processing", EnumSet.of(RECEIVED)),
            Map.entry("transfer", EnumSet.of(PROCESSING)),
            Map.entry("complete a step", EnumSet.of(PROCESSING)),
            Map.entry("request payment", EnumSet.of(RECEIVED, PROCESSING, RESULT_READY)),
            Map.entry("pay fee", EnumSet.of(PAYMENT_REQUESTED, SUBMITTED)),
            Map.entry("extend deadline", EnumSet.of(RECEIVED, PROCESSING)),
            Map.entry("stop processing", EnumSet.of(RECEIVED, PROCESSING, SUPPLEMENT_REQUESTED, PAYMENT_REQUESTED)),
            Map.entry("issue result", EnumSet.of(PROCESSING)),
            Map.entry("return result", EnumSet.of(RESULT_READY)),
            Map.entry("withdraw", EnumSet.of(SUBMITTED, RECEIVED, PROCESSING, SUPPLEMENT_REQUESTED, PAYMENT_REQUESTED)),
            Map.entry("rate", EnumSet.of(RESULT_RETURNED, INTAKE_REFUSED)));

    /** Each command given by its rightful party, the event it must produce, and the state it must lead to. */
    private record Case(String name, DossierCommand command, Class<? extends DossierEvent> event,
                        StateAfter stateAfter) {
    }

    /** The state after an allowed command, given the state before (the histories pause from PROCESSING). */
    @FunctionalInterface
    private interface StateAfter {
        DossierStatus from(DossierStatus before);
    }

    private static final List<Case> CASES = List.of(
            new Case("receive", new ReceiveDossier(ID, AGENCY + "-260305-0001", OFFICER, NOW, null),
                    DossierReceived.class, s -> RECEIVED),
            new Case("refuse intake", new RefuseIntake(ID, List.of("Hồ sơ không hợp lệ"), OFFICER, NOW, null),
                    IntakeRefused.class, s -> INTAKE_REFUSED),
            new Case("request supplement", new RequestSupplement(ID, List.of("Ảnh 3x4"), LocalDate.parse("2026-03-20"),
                    "Thiếu ảnh", OFFICER, NOW, null), SupplementRequested.class, s -> SUPPLEMENT_REQUESTED),
            new Case("supplement", new SupplementDossier(ID, List.of(FORM), OWNER, NOW, null),
                    DossierSupplemented.class, s -> PROCESSING),
            new Case("start processing", new StartProcessing(ID, "Phòng QLPT", OFFICER, NOW, null),
                    ProcessingStarted.class, s -> PROCESSING),
            new Case("transfer", new TransferDossier(ID, "Phòng QLPT", "Lãnh đạo Sở", null, OFFICER, NOW, null),
                    DossierTransferred.class, s -> PROCESSING),
            new Case("complete a step", new CompleteProcessingStep(ID, "Phòng QLPT", "Thẩm định", null, OFFICER, NOW,
                    null), ProcessingStepCompleted.class, s -> PROCESSING),
            new Case("request payment", new RequestPayment(ID, List.of(new FeeItem("PHI", "Phí", 10_000,
                    FeeDue.ON_REQUEST)), OFFICER, NOW, null), PaymentRequested.class, s -> PAYMENT_REQUESTED),
            new Case("pay fee", null, FeePaid.class, s -> s == SUBMITTED ? SUBMITTED : PROCESSING),
            new Case("extend deadline", new ExtendDeadline(ID, "Cần xác minh", Instant.parse("2026-03-16T10:00:00Z"),
                    OFFICER, NOW, null), DeadlineExtended.class, s -> s),
            new Case("stop processing", new StopProcessing(ID, List.of("Vi phạm"), OFFICER, NOW, null),
                    ProcessingStopped.class, s -> STOPPED),
            new Case("issue result", new IssueResult(ID, ResultDecision.APPROVED, List.of(FORM), null, OFFICER, NOW,
                    null), ResultIssued.class, s -> RESULT_READY),
            new Case("return result", new ReturnResult(ID, Channel.POST, OFFICER, NOW, null), ResultReturned.class,
                    s -> RESULT_RETURNED),
            new Case("withdraw", new WithdrawDossier(ID, "Không còn nhu cầu", OWNER, NOW, null),
                    DossierWithdrawn.class, s -> WITHDRAWN),
            new Case("rate", new RateDossier(ID, "provincial-9x2", 1, List.of(new CriterionScore("STAFF_ATTITUDE", 2, 2)),
                    RatingLevel.VERY_SATISFIED, null, OWNER, NOW, null), DossierRated.class, s -> s));

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

    static Stream<Arguments> everyCommandInEveryState() {
        return CASES.stream().flatMap(c -> Arrays.stream(DossierStatus.values()).map(s -> Arguments.of(c.name(), s)));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("everyCommandInEveryState")
    void everyCommandInEveryState(String name, DossierStatus state) {
        Case c = CASES.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        DossierCommand command = c.command() != null ? c.command() : payment(state);
        var result = fixture.given(historyTo(state)).when(command);
        if (ALLOWED.get(name).contains(state)) {
            DossierStatus expectedAfter = c.stateAfter().from(state);
            result.expectSuccessfulHandlerExecution()
                    .expectEventsMatching(exactSequenceOf(messageWithPayload(eventOf(c.event(), expectedAfter)),
                            andNoMore()));
        } else {
            result.expectNoEvents().expectException(violation(ErrorCode.ILLEGAL_TRANSITION, state));
        }
    }

    /**
     * Pays what the state asks for: the submission fee while SUBMITTED, the requested fee otherwise; at the desk, so
     * that a refusal names the state (the payment platform, which does not see the dossier, is told no state).
     */
    private static PayFee payment(DossierStatus state) {
        long amount = state == SUBMITTED ? SUBMISSION_FEE : 50_000;
        return new PayFee(ID, "PAY-" + state, PaymentMethod.AT_DESK, amount, OFFICER, NOW, null);
    }

    @Test
    void theTableCoversEveryCommand() {
        Set<String> names = ALLOWED.keySet();
        org.assertj.core.api.Assertions.assertThat(CASES).extracting(Case::name).containsExactlyInAnyOrderElementsOf(names);
    }

    @ParameterizedTest
    @EnumSource(DossierStatus.class)
    void submittingAgainIsRefusedInEveryState(DossierStatus state) {
        fixture.given(historyTo(state))
                .when(new SubmitDossier(ID, PROCEDURE, AGENCY, null, APPLICANT, Channel.ONLINE, List.of(FORM), OWNER,
                        NOW, null))
                .expectNoEvents()
                .expectException(violation(ErrorCode.DOSSIER_EXISTS, state));
    }

    @Test
    void aNewDossierIsSubmitted() {
        fixture.givenNoPriorActivity()
                .when(new SubmitDossier(ID, PROCEDURE, AGENCY, null, APPLICANT, Channel.ONLINE, List.of(FORM), OWNER,
                        SUBMITTED_AT, null))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(new CommandOutcome(0, null, false))
                .expectEvents(submitted());
    }

    static Matcher<DossierEvent> eventOf(Class<? extends DossierEvent> type, DossierStatus status) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(DossierEvent event) {
                return type.isInstance(event) && event.status() == status && event.dossierId().equals(ID)
                        && event.occurredAt().equals(NOW);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(type.getSimpleName() + " leading to " + status + " at " + NOW);
            }
        };
    }

    static Matcher<Throwable> violation(ErrorCode code, DossierStatus state) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Throwable t) {
                return t instanceof DossierRuleViolation v && v.code() == code && v.currentStatus() == state;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("DossierRuleViolation " + code + " naming state " + state);
            }
        };
    }
}
