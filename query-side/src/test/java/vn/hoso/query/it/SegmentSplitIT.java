package vn.hoso.query.it;

import vn.hoso.command.it.TestIssuer;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A token store from before the processors had 8 segments (2 each, as the query side had them) is split up to the
 * configured count by a running query side, while it keeps projecting: nothing is lost or applied twice.
 */
class SegmentSplitIT {

    private static final String AGENCY = "000.00.01.H22";
    private static final String[] CITIZEN = TestIssuer.bearer("CITIZEN", "citizen-split", null);
    private static final String[] OFFICER = TestIssuer.bearer("OFFICER", "officer-split", AGENCY);

    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack(false, "--hoso.processors.segments=2");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    private String submitAndReceive(int i) {
        return stack.submitAndReceive(i, CITIZEN, OFFICER);
    }

    private int segments(String processor) {
        return stack.querySide.getBean(TokenStore.class).fetchSegments(processor).length;
    }

    @Test
    void coarseSegmentsAreSplitWhileTheStreamFlows() throws Exception {
        List<String> dossiers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            dossiers.add(submitAndReceive(i));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(dossiers));
        assertThat(segments("timelines")).isEqualTo(2);
        assertThat(segments("search-index")).isEqualTo(2);

        stack.restartQuerySide("--hoso.processors.segments=8", "--hoso.processors.heartbeat=500ms");
        for (int i = 6; i < 30; i++) {
            dossiers.add(submitAndReceive(i));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> segments("timelines") == 8 && segments("search-index") == 8);
        dossiers.add(submitAndReceive(30));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(dossiers));
        assertThat(stack.storedLastSequences().keySet()).containsExactlyInAnyOrderElementsOf(dossiers);
        stack.assertReadModelsEqualTheStore(dossiers);
    }
}
