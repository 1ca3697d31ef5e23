package vn.hoso.command.dossier;

import vn.hoso.calendar.CalendarSettings;
import vn.hoso.calendar.WorkingCalendar;
import vn.hoso.command.procedure.ProcedureCatalogue;
import vn.hoso.events.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static vn.hoso.events.DossierStatus.*;

/**
 * Histories that bring a dossier into each of the ten states, with hand-written times and due dates, and the
 * parties of the tests. The procedure is 1.002804 (driving licence renewal, 5 working days, 115,000 VND due at
 * submission in version 2).
 */
final class DossierFixtures {

    static final String ID = "0b8e3f3a-4c55-4a8e-9d55-0c2a3c1b7e01";
    static final String AGENCY = "000.00.01.H22";
    static final String OTHER_AGENCY = "000.00.02.H22";
    static final String PROCEDURE = "1.002804";
    static final long SUBMISSION_FEE = 115_000;

    static final Actor OWNER = new Actor(ActorRole.CITIZEN, "citizen-1", null);
    static final Actor OTHER_CITIZEN = new Actor(ActorRole.CITIZEN, "citizen-2", null);
    static final Actor OFFICER = new Actor(ActorRole.OFFICER, "officer-1", AGENCY);
    static final Actor AGENCY_SYSTEM = new Actor(ActorRole.AGENCY_SYSTEM, "igate-hanoi", AGENCY);
    static final Actor OTHER_OFFICER = new Actor(ActorRole.OFFICER, "officer-9", OTHER_AGENCY);
    static final Actor INSPECTOR = new Actor(ActorRole.INSPECTOR, "inspector-1", null);
    static final Actor PLATFORM = new Actor(ActorRole.PAYMENT_PLATFORM, "payment-platform", null);

    static final Applicant APPLICANT = new Applicant(ApplicantKind.CITIZEN, "001089012345", "Nguyễn Văn Dũng",
            "0912345678", null, "Hà Nội");
    static final DocumentRef FORM = new DocumentRef("Đơn đề nghị đổi GPLX", "FORM", "sha256:" + "ab".repeat(32), 2048);

    /** Mon 2026-03-02 08:00 in Hanoi. */
    static final Instant SUBMITTED_AT = Instant.parse("2026-03-02T01:00:00Z");
    static final Instant PAID_AT = Instant.parse("2026-03-02T01:30:00Z");
    /** Mon 2026-03-02 09:00 in Hanoi: 5 working days counted from Tue 3 → Mon 9, 17:00. */
    static final Instant RECEIVED_AT = Instant.parse("2026-03-02T02:00:00Z");
    static final Instant DUE = Instant.parse("2026-03-09T10:00:00Z");
    static final DossierClock CLOCK = new DossierClock(DUE, DUE, 0, 0);
    static final Instant STARTED_AT = Instant.parse("2026-03-02T03:00:00Z");
    static final Instant PAUSED_AT = Instant.parse("2026-03-02T04:00:00Z");
    static final Instant ISSUED_AT = Instant.parse("2026-03-04T03:00:00Z");
    static final Instant RETURNED_AT = Instant.parse("2026-03-04T08:00:00Z");
    /** When the commands under test happen: Thu 2026-03-05 10:00 in Hanoi. */
    static final Instant NOW = Instant.parse("2026-03-05T03:00:00Z");

    static final WorkingCalendar CALENDAR =
            WorkingCalendar.loadFromClasspath(CalendarSettings.vietnamDefaults(), 2025, 2026, 2027);
    static final ProcedureCatalogue CATALOGUE = ProcedureCatalogue.loadFromClasspath(ProcedureCatalogue.DEFAULT_RESOURCE);

    private DossierFixtures() {
    }

    static DossierSubmitted submitted() {
        return new DossierSubmitted(ID, PROCEDURE, "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", 2, AGENCY,
                OWNER.id(), APPLICANT, Channel.ONLINE, List.of(FORM),
                List.of(new FeeItem("LP-GPLX", "Lệ phí cấp đổi giấy phép lái xe (trực tuyến)", SUBMISSION_FEE,
                        FeeDue.AT_SUBMISSION)),
                SUBMITTED_AT, OWNER, SUBMITTED);
    }

    static FeePaid submissionFeePaid() {
        return new FeePaid(ID, "PAY-SUB-1", PaymentMethod.ONLINE, SUBMISSION_FEE, 0, false, 0, 0, null, PAID_AT, PLATFORM,
                SUBMITTED);
    }

    static DossierReceived received() {
        return new DossierReceived(ID, AGENCY + "-260302-0001", AGENCY, PROCEDURE, 2,
                new StatutoryTime(5, ProcessingTimeUnit.WORKING_DAYS), CLOCK, RECEIVED_AT, OFFICER, RECEIVED);
    }

    static ProcessingStarted started() {
        return new ProcessingStarted(ID, "Phòng Quản lý phương tiện và người lái", STARTED_AT, OFFICER, PROCESSING);
    }

    static ResultIssued issued() {
        return new ResultIssued(ID, ResultDecision.APPROVED, List.of(), null, true, CLOCK, ISSUED_AT, OFFICER,
                RESULT_READY);
    }

    /** A history that leaves the dossier in {@code state}; the submission fee is paid in all but SUBMITTED. */
    static List<Object> historyTo(DossierStatus state) {
        List<Object> events = new ArrayList<>();
        events.add(submitted());
        if (state == SUBMITTED) {
            return events;
        }
        events.add(submissionFeePaid());
        switch (state) {
            case INTAKE_REFUSED -> events.add(new IntakeRefused(ID, List.of("Thiếu giấy khám sức khỏe"), RECEIVED_AT,
                    OFFICER, INTAKE_REFUSED));
            case WITHDRAWN -> events.add(new DossierWithdrawn(ID, "Nộp nhầm", SUBMITTED, PAUSED_AT, OWNER, WITHDRAWN));
            default -> {
                events.add(received());
                switch (state) {
                    case RECEIVED -> {
                    }
                    case STOPPED -> events.add(new ProcessingStopped(ID, List.of("Giả mạo giấy tờ"), PAUSED_AT,
                            OFFICER, STOPPED));
                    default -> {
                        events.add(started());
                        switch (state) {
                            case PROCESSING -> {
                            }
                            case SUPPLEMENT_REQUESTED -> events.add(new SupplementRequested(ID,
                                    List.of("Giấy khám sức khỏe"), java.time.LocalDate.parse("2026-03-20"),
                                    "Thiếu giấy tờ", PROCESSING, CLOCK, PAUSED_AT, OFFICER, SUPPLEMENT_REQUESTED));
                            case PAYMENT_REQUESTED -> events.add(new PaymentRequested(ID,
                                    List.of(new FeeItem("PHI-IN", "Phí in thẻ", 50_000, FeeDue.ON_REQUEST)), 50_000,
                                    50_000, PROCESSING, CLOCK, PAUSED_AT, OFFICER, PAYMENT_REQUESTED));
                            case RESULT_READY -> events.add(issued());
                            case RESULT_RETURNED -> {
                                events.add(issued());
                                events.add(new ResultReturned(ID, Channel.ONLINE, RETURNED_AT, OFFICER,
                                        RESULT_RETURNED));
                            }
                            default -> throw new IllegalArgumentException("no history for " + state);
                        }
                    }
                }
            }
        }
        return events;
    }

    /**
     * The facts the dossier measures as it records an event (working minutes, report number) are compared by the tests
     * that are about them, not by every expected event: the other tests' expected events are written without them.
     */
    static void ignoreMeasuredFacts(org.axonframework.test.aggregate.FixtureConfiguration<Dossier> fixture) {
        for (Class<?> type : vn.hoso.events.DossierEvent.class.getPermittedSubclasses()) {
            fixture.registerIgnoredField(type, "workingMinutesInStage");
            fixture.registerIgnoredField(type, "syncSequence");
        }
        fixture.registerIgnoredField(vn.hoso.events.ResultIssued.class, "workingMinutesToResult");
    }
}
