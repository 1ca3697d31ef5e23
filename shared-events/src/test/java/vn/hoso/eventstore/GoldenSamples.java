package vn.hoso.eventstore;

import vn.hoso.events.Actor;
import vn.hoso.events.ActorRole;
import vn.hoso.events.Applicant;
import vn.hoso.events.ApplicantKind;
import vn.hoso.events.Channel;
import vn.hoso.events.CriterionScore;
import vn.hoso.events.DeadlineExtended;
import vn.hoso.events.DocumentRef;
import vn.hoso.events.DossierClock;
import vn.hoso.events.DossierRated;
import vn.hoso.events.DossierReceived;
import vn.hoso.events.DossierStatus;
import vn.hoso.events.DossierSubmitted;
import vn.hoso.events.DossierSupplemented;
import vn.hoso.events.DossierTransferred;
import vn.hoso.events.DossierWithdrawn;
import vn.hoso.events.FeeDue;
import vn.hoso.events.FeeItem;
import vn.hoso.events.FeePaid;
import vn.hoso.events.IntakeRefused;
import vn.hoso.events.PaymentMethod;
import vn.hoso.events.PaymentRequested;
import vn.hoso.events.ProcessingStarted;
import vn.hoso.events.ProcessingStepCompleted;
import vn.hoso.events.ProcessingStopped;
import vn.hoso.events.ProcessingTimeUnit;
import vn.hoso.events.RatingLevel;
import vn.hoso.events.ResultDecision;
import vn.hoso.events.ResultIssued;
import vn.hoso.events.ResultReturned;
import vn.hoso.events.StatutoryTime;
import vn.hoso.events.SupplementRequested;
import vn.hoso.events.SyncNumberSkipped;
import vn.hoso.events.SyncReportRecorded;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event of every type, as the dossier records it, with the metadata it carried when revision 1 was written
 * (request id, idempotency key and fingerprint, the working minutes of the stage and to the result, an agency's report
 * number): the golden corpus's source ({@code src/test/resources/golden/}).
 */
final class GoldenSamples {

    static final String DOSSIER = "7d9c2b1e-5a4f-4e3b-9c8d-1f2e3a4b5c6d";
    static final Instant T = Instant.parse("2026-03-02T02:00:00Z");
    static final Actor CITIZEN = new Actor(ActorRole.CITIZEN, "acc-7f3e", null);
    static final Actor OFFICER = new Actor(ActorRole.OFFICER, "officer-h22-1", "000.00.01.H22");
    static final Actor SYSTEM = new Actor(ActorRole.AGENCY_SYSTEM, "motcua-hanoi", "000.00.01.H22");
    static final Actor PLATFORM = new Actor(ActorRole.PAYMENT_PLATFORM, "payment-platform", null);
    static final DossierClock CLOCK = new DossierClock(Instant.parse("2026-03-09T10:00:00Z"),
            Instant.parse("2026-03-09T10:00:00Z"), 0, 0, false);
    /** The golden dossier's personal-data secret: a throw-away value of the tests, never a real one. */
    static final byte[] KEY = "golden-corpus-throw-away-secret!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final DocumentRef FORM = new DocumentRef("Đơn đề nghị", "FORM", "sha256:" + "ab".repeat(32), 2048);

    /** A sample event of a type, and the metadata it was recorded with. */
    record Sample(Object payload, Map<String, Object> metaData) {
    }

    private GoldenSamples() {
    }

    private static Instant at(int hours) {
        return T.plusSeconds(3600L * hours);
    }

    private static Map<String, Object> meta(Object... pairs) {
        Map<String, Object> metaData = new LinkedHashMap<>();
        metaData.put("requestId", "req-golden-0001");
        for (int i = 0; i < pairs.length; i += 2) {
            metaData.put((String) pairs[i], pairs[i + 1]);
        }
        return metaData;
    }

    static List<Sample> all() {
        return List.of(
                new Sample(new DossierSubmitted(DOSSIER, "1.002804", "Đổi giấy phép lái xe", 2, "000.00.01.H22",
                        "acc-7f3e", new Applicant(ApplicantKind.CITIZEN, "001089012345", "Nguyễn Văn Dũng",
                        "0912345678", "dung@example.vn", "12 Phố Huế, Hà Nội"), Channel.ONLINE, List.of(FORM),
                        List.of(new FeeItem("LEPHI", "Lệ phí", 115_000, FeeDue.AT_SUBMISSION)), T, CITIZEN,
                        DossierStatus.SUBMITTED),
                        meta("idempotencyKey", "submit-1", "idempotencyFingerprint", "f".repeat(64))),
                new Sample(new DossierReceived(DOSSIER, "000.00.01.H22-260302-0001", "000.00.01.H22", "1.002804", 2,
                        new StatutoryTime(5, ProcessingTimeUnit.WORKING_DAYS), CLOCK, at(1), OFFICER,
                        DossierStatus.RECEIVED), meta("workingMinutesInStage", 60)),
                new Sample(new IntakeRefused(DOSSIER, List.of("Thiếu giấy khám sức khỏe"), at(1), OFFICER,
                        DossierStatus.INTAKE_REFUSED), meta("workingMinutesInStage", 60)),
                new Sample(new ProcessingStarted(DOSSIER, "Phòng Quản lý phương tiện", at(2), SYSTEM,
                        DossierStatus.PROCESSING), meta("workingMinutesInStage", 60, "syncSequence", 3)),
                new Sample(new DossierTransferred(DOSSIER, "Phòng Quản lý phương tiện", "Lãnh đạo Sở", "Trình ký",
                        at(3), OFFICER, DossierStatus.PROCESSING), meta("workingMinutesInStage", 60)),
                new Sample(new ProcessingStepCompleted(DOSSIER, "Lãnh đạo Sở", "Phê duyệt", null, at(4), OFFICER,
                        DossierStatus.PROCESSING), meta("workingMinutesInStage", 60)),
                new Sample(new SupplementRequested(DOSSIER, List.of("Ảnh 3x4"), LocalDate.parse("2026-03-20"),
                        "Ảnh mờ", DossierStatus.PROCESSING, CLOCK, at(5), OFFICER, DossierStatus.SUPPLEMENT_REQUESTED),
                        meta("workingMinutesInStage", 60)),
                new Sample(new DossierSupplemented(DOSSIER, List.of(FORM), 480, 1, CLOCK, at(30), CITIZEN,
                        DossierStatus.PROCESSING), meta("workingMinutesInStage", 0)),
                new Sample(new PaymentRequested(DOSSIER, List.of(new FeeItem("PHI-IN", "Phí in thẻ", 50_000,
                        FeeDue.ON_REQUEST)), 50_000, 50_000, DossierStatus.PROCESSING, CLOCK, at(31), OFFICER,
                        DossierStatus.PAYMENT_REQUESTED), meta("workingMinutesInStage", 60)),
                new Sample(new FeePaid(DOSSIER, "VNPAY-1", PaymentMethod.ONLINE, 50_000, 0, true, 60, 0, CLOCK, at(32),
                        PLATFORM, DossierStatus.PROCESSING), meta("workingMinutesInStage", 0)),
                new Sample(new DeadlineExtended(DOSSIER, "Cần xác minh", CLOCK.dueAt(), new DossierClock(
                        Instant.parse("2026-03-16T10:00:00Z"), CLOCK.statutoryDueAt(), 540, 1, false), at(33), OFFICER,
                        DossierStatus.PROCESSING), meta("workingMinutesInStage", 60)),
                new Sample(new ProcessingStopped(DOSSIER, List.of("Không đủ điều kiện"), at(34), OFFICER,
                        DossierStatus.STOPPED), meta("workingMinutesInStage", 60)),
                new Sample(new ResultIssued(DOSSIER, ResultDecision.APPROVED, List.of(FORM), null, true, CLOCK, at(34),
                        OFFICER, DossierStatus.RESULT_READY),
                        meta("workingMinutesInStage", 60, "workingMinutesToResult", 1_500)),
                new Sample(new ResultReturned(DOSSIER, Channel.ONLINE, at(35), OFFICER, DossierStatus.RESULT_RETURNED),
                        meta("workingMinutesInStage", 60)),
                new Sample(new DossierWithdrawn(DOSSIER, "Không còn nhu cầu", DossierStatus.PROCESSING, at(36), CITIZEN,
                        DossierStatus.WITHDRAWN), meta("workingMinutesInStage", 60)),
                new Sample(new DossierRated(DOSSIER, "tt-2025", 1, List.of(new CriterionScore("STAFF_ATTITUDE", 2, 2)),
                        18, 18, RatingLevel.VERY_SATISFIED, "Nhanh", at(37), CITIZEN, DossierStatus.RESULT_RETURNED),
                        meta("workingMinutesInStage", 60)),
                new Sample(new SyncReportRecorded(DOSSIER, 4, DossierStatus.PROCESSING, at(38), SYSTEM,
                        DossierStatus.PROCESSING), meta("workingMinutesInStage", 60, "syncSequence", 4)),
                new Sample(new SyncNumberSkipped(DOSSIER, 5, "Mất báo cáo", at(39),
                        new Actor(ActorRole.OPERATOR, "operator-1", null), DossierStatus.PROCESSING),
                        meta("workingMinutesInStage", 60)));
    }

    /**
     * A sample as the dossier records it now (revision 2, a receipt's 3): the measured facts in the payload, no longer
     * in the metadata; a receipt with the digest of its lookup secret.
     */
    static Sample asRecordedNow(Sample sample) {
        Map<String, Object> metaData = new LinkedHashMap<>(sample.metaData());
        Long inStage = number(metaData.remove("workingMinutesInStage"));
        Long syncSequence = number(metaData.remove("syncSequence"));
        Long toResult = number(metaData.remove("workingMinutesToResult"));
        vn.hoso.events.DossierEvent event = ((vn.hoso.events.DossierEvent) sample.payload()).measured(inStage, syncSequence);
        if (event instanceof ResultIssued issued) {
            event = issued.withWorkingMinutesToResult(toResult);
        }
        if (event instanceof DossierReceived received) {
            event = received.withLookupDigest(LOOKUP_DIGEST);
        }
        return new Sample(event, metaData);
    }

    /** The digest of a lookup secret a receipt of revision 3 keeps (a made-up one: no key is at stake here). */
    static final String LOOKUP_DIGEST = "hmac-sha256:1f2e3d4c:AAECAwQFBgcICQoLDA0ODw:"
            + "q5mJ0m1qzM4xkYz8m0a2nUq6VqgC0p5c3bJ7Gk1dXy0";

    /** What a stored document of this revision of the sample reads as: a receipt before revision 3 kept no digest. */
    static Sample readAt(Sample sample, int revision) {
        Sample now = asRecordedNow(sample);
        if (now.payload() instanceof DossierReceived received && revision < 3) {
            return new Sample(received.withLookupDigest(null), now.metaData());
        }
        return now;
    }

    private static Long number(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }
}
