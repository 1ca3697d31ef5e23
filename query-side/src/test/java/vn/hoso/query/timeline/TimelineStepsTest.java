package vn.hoso.query.timeline;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import vn.hoso.events.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The timeline a citizen reads, built by calling the projection logic directly. */
class TimelineStepsTest {

    private static final String ID = "d-1";
    private static final Actor OWNER = new Actor(ActorRole.CITIZEN, "citizen-1", null);
    private static final Actor OFFICER = new Actor(ActorRole.OFFICER, "officer-1", "000.00.01.H22");
    private static final Instant T0 = Instant.parse("2026-03-02T01:00:00Z");
    private static final Instant DUE = Instant.parse("2026-03-09T10:00:00Z");

    @Test
    void stepsCarryLabelsReasonsDueDatesAndTheWorkingTimeOfEachStage() {
        Timeline t = Timeline.empty(ID);
        t = TimelineSteps.apply(t, message(0, new DossierSubmitted(ID, "2.000116", "Đăng ký khuyến mại", 1,
                "000.00.01.H22", "citizen-1", null, Channel.ONLINE, List.of(), List.of(), T0, OWNER,
                DossierStatus.SUBMITTED), MetaData.emptyInstance()));
        t = TimelineSteps.apply(t, message(1, new DossierReceived(ID, "C-9", "000.00.01.H22", "2.000116", 1,
                new StatutoryTime(5, ProcessingTimeUnit.WORKING_DAYS), new DossierClock(DUE, DUE, 0, 0), T0, OFFICER,
                DossierStatus.RECEIVED).measured(60L, null), MetaData.emptyInstance()));
        t = TimelineSteps.apply(t, message(2, new SupplementRequested(ID, List.of("Ảnh 3x4"), LocalDate.parse("2026-03-20"),
                "Thiếu ảnh", DossierStatus.RECEIVED, new DossierClock(DUE, DUE, 0, 0), T0, OFFICER,
                DossierStatus.SUPPLEMENT_REQUESTED).measured(480L, null), MetaData.emptyInstance()));

        assertThat(t.lastSequence()).isEqualTo(2);
        assertThat(t.dueAtProvisional()).isFalse();
        assertThat(t.dossierCode()).isEqualTo("C-9");
        assertThat(t.statusCode()).isEqualTo(5);
        assertThat(t.steps()).extracting(Timeline.Step::labelVi)
                .containsExactly("Nộp hồ sơ (trực tuyến)", "Tiếp nhận hồ sơ, mã hồ sơ C-9", "Yêu cầu bổ sung hồ sơ");
        assertThat(t.steps()).extracting(Timeline.Step::labelEn)
                .containsExactly("Dossier submitted (online)", "Dossier received, code C-9", "Supplement requested");
        assertThat(t.steps()).extracting(Timeline.Step::workingMinutesInStage).containsExactly(60L, 480L, null);
        Timeline.Step request = t.steps().get(2);
        assertThat(request.missingItems()).containsExactly("Ảnh 3x4");
        assertThat(request.replyBy()).isEqualTo(LocalDate.parse("2026-03-20"));
        assertThat(request.dueAt()).isEqualTo(DUE);
        assertThat(request.actorRole()).isEqualTo("OFFICER");
    }

    @Test
    void aDueDateCountedOverAProvisionalYearIsMarkedOnTheTimeline() {
        Timeline t = TimelineSteps.apply(Timeline.empty(ID), message(0, new DossierReceived(ID, "C-9", "000.00.01.H22",
                "2.000116", 1, new StatutoryTime(5, ProcessingTimeUnit.WORKING_DAYS),
                new DossierClock(DUE, DUE, 0, 0, true), T0, OFFICER, DossierStatus.RECEIVED), MetaData.emptyInstance()));
        assertThat(t.dueAtProvisional()).isTrue();
        t = TimelineSteps.apply(t, message(1, new ProcessingStarted(ID, "Phòng A", T0, OFFICER, DossierStatus.PROCESSING),
                MetaData.emptyInstance()));
        assertThat(t.dueAtProvisional()).as("kept by events that do not move the clock").isTrue();
    }

    @Test
    void recordedAndSkippedAgencyReportNumbersAreStepsAuditorsSee() {
        Actor system = new Actor(ActorRole.AGENCY_SYSTEM, "motcua", "000.00.01.H22");
        Actor operator = new Actor(ActorRole.OPERATOR, "operator-1", null);
        Timeline t = TimelineSteps.apply(Timeline.empty(ID), message(0, new DossierSubmitted(ID, "2.000116", "x", 1,
                "000.00.01.H22", "citizen-1", null, Channel.ONLINE, List.of(), List.of(), T0, OWNER,
                DossierStatus.SUBMITTED), MetaData.emptyInstance()));
        t = TimelineSteps.apply(t, message(1, new SyncReportRecorded(ID, 4, DossierStatus.RECEIVED, T0, system,
                DossierStatus.SUBMITTED), MetaData.emptyInstance()));
        t = TimelineSteps.apply(t, message(2, new SyncNumberSkipped(ID, 5, "mất ở hệ thống một cửa", T0, operator,
                DossierStatus.SUBMITTED), MetaData.emptyInstance()));

        assertThat(t.lastSequence()).isEqualTo(2);
        assertThat(t.steps()).extracting(Timeline.Step::labelEn).containsExactly("Dossier submitted (online)",
                "Agency report no. 4 recorded (no change)", "Agency report no. 5 skipped");
        assertThat(t.steps().get(2).note()).isEqualTo("mất ở hệ thống một cửa");
        assertThat(t.steps().get(2).actorRole()).isEqualTo("OPERATOR");
    }

    private static GenericDomainEventMessage<DossierEvent> message(long sequence, DossierEvent event, MetaData metaData) {
        return new GenericDomainEventMessage<>("Dossier", ID, sequence, event, metaData);
    }
}
