package vn.hoso.query.it;

import vn.hoso.command.it.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.events.Actor;
import vn.hoso.events.ActorRole;
import vn.hoso.events.Applicant;
import vn.hoso.events.ApplicantKind;
import vn.hoso.events.Channel;
import vn.hoso.events.DocumentRef;
import vn.hoso.events.DossierStatus;
import vn.hoso.events.DossierSubmitted;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reports never drop a group: 1,203 agencies (the national catalogue has thousands of commune-level ones), a seeded
 * random number of dossiers each, over three months. Every group comes back, page after page (JSON) or all at once
 * (CSV), and the rows add up to the total the report gives.
 */
class CompleteReportsIT {

    private static final int AGENCIES = 1203;
    private static final String[] ANALYST = TestIssuer.bearer("ANALYST", "analyst-complete", null);
    private static Stack stack;
    private static final Map<String, Integer> dossiersPerAgency = new HashMap<>();
    private static int dossiers;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        PositionedMongoEventStorageEngine store = stack.commandSide.getBean(PositionedMongoEventStorageEngine.class);
        Random random = new Random(1203);
        Instant start = Instant.parse("2026-01-05T02:00:00Z");
        List<GenericDomainEventMessage<DossierSubmitted>> batch = new ArrayList<>();
        for (int a = 0; a < AGENCIES; a++) {
            String agency = String.format("T%05d.X", a);
            int count = 1 + random.nextInt(2);
            dossiersPerAgency.put(agency, count);
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                Instant at = start.plus(Duration.ofHours(random.nextInt(24 * 80)));
                batch.add(new GenericDomainEventMessage<>("Dossier", id, 0, new DossierSubmitted(id, "2.000116",
                        "Đăng ký khuyến mại", 1, agency, "citizen-complete",
                        new Applicant(ApplicantKind.BUSINESS, "0100109106", "Công ty " + a, null, null, null),
                        Channel.ONLINE, List.of(new DocumentRef("Hồ sơ", "FORM", "sha256:" + "ab".repeat(32), 1)),
                        List.of(), at, new Actor(ActorRole.CITIZEN, "citizen-complete", null), DossierStatus.SUBMITTED),
                        MetaData.emptyInstance(), UUID.randomUUID().toString(), at));
                dossiers++;
                if (batch.size() == 200) {
                    store.appendEvents(new ArrayList<>(batch));
                    batch.clear();
                }
            }
        }
        store.appendEvents(new ArrayList<>(batch));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            stack.elasticsearchRefresh();
            assertThat(new Http(stack.elasticsearch.url()).get("/" + stack.alias + "/_count").body().path("count")
                    .asLong()).as(() -> "dossiers in the search index; processors: " + processors()).isEqualTo(dossiers);
        });
        // events appended in batches with their original (old) times: no gap may look old for it
        assertThat(stack.querySide.getBean(PositionedMongoEventStorageEngine.class).gapTimeouts()).isZero();
    }

    /** Each processor's segments and tokens, for a failure message. */
    private static String processors() {
        var processing = stack.querySide.getBean(org.axonframework.config.EventProcessingConfiguration.class);
        StringBuilder status = new StringBuilder();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof org.axonframework.eventhandling.StreamingEventProcessor streaming) {
                status.append(name).append(" running=").append(streaming.isRunning()).append(" error=")
                        .append(streaming.isError()).append(' ');
                streaming.processingStatus().forEach((segment, s) -> status.append(segment).append(':')
                        .append(s.getCurrentPosition().orElse(-1)).append(s.isErrorState() ? "!" + s.getError() : "")
                        .append(' '));
            }
        });
        return status + " last position " + stack.querySide.getBean(PositionedMongoEventStorageEngine.class)
                .lastAllocatedPosition();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void everyAgencyComesBackPageAfterPageAndTheRowsAddUpToTheTotal() {
        JsonNode first = stack.queries().get("/api/v1/reports/timeliness?groupBy=agency", ANALYST).body();
        assertThat(first.path("rows")).as("the default page").hasSize(1000);
        assertThat(first.path("next").isTextual()).as("more groups than one page: a cursor to the next").isTrue();
        assertThat(first.path("total").path("dossiers").asLong()).isEqualTo(dossiers);

        Map<String, Long> seen = new HashMap<>();
        String after = null;
        int pages = 0;
        do {
            JsonNode page = stack.queries().get("/api/v1/reports/timeliness?groupBy=agency&size=500"
                    + (after == null ? "" : "&after=" + after), ANALYST).body();
            for (JsonNode row : page.path("rows")) {
                assertThat(seen.put(row.path("group").asText(), row.path("dossiers").asLong())).as("a group twice")
                        .isNull();
            }
            after = page.path("next").isTextual() ? page.path("next").asText() : null;
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(AGENCIES);
        dossiersPerAgency.forEach((agency, count) -> assertThat(seen.get(agency)).as(agency).isEqualTo(count.longValue()));
        assertThat(seen.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(dossiers);

        String csv = stack.queries().getText("/api/v1/reports/timeliness?groupBy=agency&format=csv", ANALYST);
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(1 + AGENCIES + 1);
        Set<String> groups = new HashSet<>();
        long sum = 0;
        for (String line : lines.subList(1, lines.size() - 1)) {
            String[] cells = line.split(",", -1);
            groups.add(cells[0]);
            sum += Long.parseLong(cells[1]);
        }
        assertThat(groups).hasSize(AGENCIES);
        assertThat(lines.get(lines.size() - 1)).startsWith("TOTAL," + dossiers + ",");
        assertThat(sum).isEqualTo(dossiers);
        System.out.printf("complete reports: %d agencies, %d dossiers: JSON in %d pages of 500 (default page 1000 + a"
                + " cursor), CSV %d lines; rows add up to the total%n", AGENCIES, dossiers, pages, lines.size());
    }

    @Test
    void periodsAddUpToTheTotalToo() {
        JsonNode report = stack.queries().get("/api/v1/reports/timeliness?groupBy=month", ANALYST).body();
        long sum = 0;
        for (JsonNode row : report.path("rows")) {
            sum += row.path("dossiers").asLong();
        }
        assertThat(report.path("rows").size()).isBetween(3, 4);
        assertThat(sum).isEqualTo(dossiers).isEqualTo(report.path("total").path("dossiers").asLong());
    }

    @Test
    void aForgedCursorOrPageSizeIsAProblemNamingTheParameter() {
        for (String bad : List.of("after=abc", "after=eyJ4IjoxfQ", "size=0", "size=5001")) {
            Http.Answer answer = stack.queries().get("/api/v1/reports/timeliness?groupBy=agency&" + bad, ANALYST);
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.body().toString()).as(bad).contains(bad.substring(0, bad.indexOf('=')));
        }
    }
}
