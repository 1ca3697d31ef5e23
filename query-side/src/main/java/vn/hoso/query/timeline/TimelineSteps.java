package vn.hoso.query.timeline;

import org.axonframework.eventhandling.DomainEventMessage;
import vn.hoso.events.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Turns one dossier event into the next step of its timeline, with its labels in Vietnamese and English. */
final class TimelineSteps {

    private TimelineSteps() {
    }

    static Timeline apply(Timeline timeline, DomainEventMessage<?> message) {
        return apply(timeline, message, idNumber -> null);
    }

    /** {@code applicantIdHash}: the keyed hash of an applicant's ID, kept to tell who may read the timeline. */
    static Timeline apply(Timeline timeline, DomainEventMessage<?> message, UnaryOperator<String> applicantIdHash) {
        if (!(message.getPayload() instanceof DossierEvent event)) {
            return timeline;
        }
        Timeline t = timeline;
        String code = t.dossierCode();
        String procedureCode = t.procedureCode();
        String procedureName = t.procedureName();
        String agency = t.agencyCode();
        String owner = t.ownerId();
        String applicantHash = t.applicantIdHash();
        java.time.Instant receivedAt = t.receivedAt();
        String lookupDigest = t.lookupDigest();
        DossierClock clock = clockOf(event);
        String unit = null;
        String labelVi;
        String labelEn;
        List<String> reasons = null;
        List<String> missing = null;
        java.time.LocalDate replyBy = null;
        String note = null;
        if (event instanceof DossierSubmitted e) {
            procedureCode = e.procedureCode();
            procedureName = e.procedureName();
            agency = e.agencyCode();
            owner = e.ownerId();
            applicantHash = e.applicant() == null ? null : applicantIdHash.apply(e.applicant().idNumber());
            labelVi = "Nộp hồ sơ (" + channelVi(e.channel()) + ")";
            labelEn = "Dossier submitted (" + e.channel().name().toLowerCase() + ")";
        } else if (event instanceof DossierReceived e) {
            code = e.dossierCode();
            receivedAt = e.occurredAt();
            lookupDigest = e.lookupDigest();
            labelVi = "Tiếp nhận hồ sơ, mã hồ sơ " + e.dossierCode();
            labelEn = "Dossier received, code " + e.dossierCode();
        } else if (event instanceof IntakeRefused e) {
            reasons = e.reasons();
            labelVi = "Từ chối tiếp nhận";
            labelEn = "Intake refused";
        } else if (event instanceof ProcessingStarted e) {
            unit = e.unit();
            labelVi = "Bắt đầu xử lý tại " + e.unit();
            labelEn = "Processing started at " + e.unit();
        } else if (event instanceof DossierTransferred e) {
            unit = e.toUnit();
            note = e.note();
            labelVi = "Chuyển từ " + e.fromUnit() + " đến " + e.toUnit();
            labelEn = "Transferred from " + e.fromUnit() + " to " + e.toUnit();
        } else if (event instanceof ProcessingStepCompleted e) {
            unit = e.unit();
            note = e.note();
            labelVi = "Hoàn thành bước: " + e.step();
            labelEn = "Step completed: " + e.step();
        } else if (event instanceof SupplementRequested e) {
            missing = e.missingItems();
            replyBy = e.replyBy();
            note = e.reason();
            labelVi = "Yêu cầu bổ sung hồ sơ";
            labelEn = "Supplement requested";
        } else if (event instanceof DossierSupplemented) {
            labelVi = "Đã bổ sung hồ sơ";
            labelEn = "Dossier supplemented";
        } else if (event instanceof PaymentRequested e) {
            labelVi = "Yêu cầu nộp phí, lệ phí: " + e.amountRequested() + " đồng";
            labelEn = "Payment requested: " + e.amountRequested() + " VND";
        } else if (event instanceof FeePaid e) {
            labelVi = "Đã nộp " + e.amount() + " đồng (" + (e.method() == PaymentMethod.ONLINE ? "trực tuyến" : "tại quầy") + ")";
            labelEn = "Paid " + e.amount() + " VND (" + (e.method() == PaymentMethod.ONLINE ? "online" : "at the desk") + ")";
        } else if (event instanceof DeadlineExtended e) {
            note = e.reason();
            labelVi = "Gia hạn (phiếu xin lỗi và hẹn lại ngày trả)";
            labelEn = "Deadline extended (apology letter)";
        } else if (event instanceof ProcessingStopped e) {
            reasons = e.reasons();
            labelVi = "Dừng xử lý";
            labelEn = "Processing stopped";
        } else if (event instanceof ResultIssued e) {
            note = e.note();
            labelVi = e.decision() == ResultDecision.APPROVED ? "Có kết quả: chấp thuận" : "Có kết quả: từ chối";
            labelEn = e.decision() == ResultDecision.APPROVED ? "Result issued: approved" : "Result issued: refused";
        } else if (event instanceof ResultReturned e) {
            labelVi = "Đã trả kết quả (" + channelVi(e.channel()) + ")";
            labelEn = "Result returned (" + e.channel().name().toLowerCase() + ")";
        } else if (event instanceof DossierWithdrawn e) {
            note = e.reason();
            labelVi = "Công dân rút hồ sơ";
            labelEn = "Dossier withdrawn";
        } else if (event instanceof DossierRated e) {
            labelVi = "Đánh giá: " + levelVi(e.level());
            labelEn = "Rated: " + e.level().name().toLowerCase().replace('_', ' ');
        } else if (event instanceof SyncReportRecorded e) {
            labelVi = "Ghi nhận báo cáo đồng bộ số " + e.sequence() + " (không thay đổi hồ sơ)";
            labelEn = "Agency report no. " + e.sequence() + " recorded (no change)";
        } else if (event instanceof SyncNumberSkipped e) {
            note = e.reason();
            labelVi = "Bỏ qua báo cáo đồng bộ số " + e.sequence();
            labelEn = "Agency report no. " + e.sequence() + " skipped";
        } else {
            labelVi = message.getPayloadType().getSimpleName();
            labelEn = labelVi;
        }
        DossierStatus status = event.status();
        Timeline.Step step = new Timeline.Step(message.getSequenceNumber(), message.getPayloadType().getSimpleName(),
                event.occurredAt(), message.getTimestamp(), event.actor().role().name(), unit, labelVi, labelEn,
                status.name(), status.code(), reasons, missing, replyBy,
                clock != null ? clock.dueAt() : t.dueAt(), clock != null ? clock.statutoryDueAt() : t.statutoryDueAt(),
                clock != null ? clock.pausedWorkingMinutes() : null, note, null);
        List<Timeline.Step> steps = new ArrayList<>(t.steps());
        if (!steps.isEmpty() && event.workingMinutesInStage() != null) {
            // the working time of the stage this event closes belongs to the step that opened it
            steps.set(steps.size() - 1, steps.get(steps.size() - 1).withWorkingMinutesInStage(event.workingMinutesInStage()));
        }
        steps.add(step);
        return new Timeline(t.dossierId(), message.getSequenceNumber(), code, procedureCode, procedureName, agency, owner,
                status.name(), status.code(), step.dueAt(), step.statutoryDueAt(), List.copyOf(steps),
                clock != null ? clock.provisional() : t.dueAtProvisional(), applicantHash, t.archivedSteps(),
                receivedAt, lookupDigest);
    }

    private static DossierClock clockOf(DossierEvent event) {
        if (event instanceof DossierReceived e) {
            return e.clock();
        } else if (event instanceof DossierSupplemented e) {
            return e.clock();
        } else if (event instanceof FeePaid e) {
            return e.clock();
        } else if (event instanceof DeadlineExtended e) {
            return e.clock();
        }
        return null;
    }

    private static String channelVi(Channel channel) {
        return switch (channel) {
            case ONLINE -> "trực tuyến";
            case DESK -> "tại bộ phận một cửa";
            case POST -> "qua bưu chính";
        };
    }

    private static String levelVi(RatingLevel level) {
        return switch (level) {
            case VERY_SATISFIED -> "rất hài lòng";
            case SATISFIED -> "hài lòng";
            case DISSATISFIED -> "không hài lòng";
        };
    }
}
