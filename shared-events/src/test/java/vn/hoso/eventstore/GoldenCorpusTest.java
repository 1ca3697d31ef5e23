package vn.hoso.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import vn.hoso.events.DossierEvent;
import vn.hoso.events.ResultIssued;
import vn.hoso.events.upcasting.DossierEventUpcasters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden corpus ({@code src/test/resources/golden/}): every event type at every revision it has had, as stored
 * documents, read through the upcaster chain the way every reader reads them. Each one reads as the current revision,
 * with the values its stored document holds: a revision-1 event's measured facts come from its metadata, a
 * revision-2 one's from its payload; a receipt before revision 3 has no lookup digest. A type without a document of
 * every revision from 1 to its current one fails.
 */
class GoldenCorpusTest {

    private static final Path CORPUS = Path.of("src/test/resources/golden");

    @Test
    void everyStoredRevisionOfEveryEventReadsAsTheCurrentOneWithItsValues() throws Exception {
        Map<String, GoldenSamples.Sample> samples = new TreeMap<>();
        for (GoldenSamples.Sample sample : GoldenSamples.all()) {
            samples.put(sample.payload().getClass().getSimpleName(), sample);
        }
        assertThat(samples.keySet()).as("a sample of every event type")
                .hasSize(DossierEvent.class.getPermittedSubclasses().length);
        int read = 0;
        int expected = 0;
        for (String type : samples.keySet()) {
            GoldenSamples.Sample sample = samples.get(type);
            int current = Integer.parseInt(sample.payload().getClass()
                    .getAnnotation(org.axonframework.serialization.Revision.class).value());
            expected += current;
            for (int number = 1; number <= current; number++) {
                String revision = String.valueOf(number);
                Path file = CORPUS.resolve(type + "-r" + revision + ".json");
                assertThat(file).as("the stored document of %s revision %s", type, revision).exists();
                Document stored = Document.parse(Files.readString(file, StandardCharsets.UTF_8));
                assertThat(stored.getString(EventDocuments.PAYLOAD_REVISION)).isEqualTo(revision);
                DomainEventMessage<?> message = EventStreamUtils.upcastAndDeserializeDomainEvents(
                        Stream.of(EventDocuments.data(stored)), TestStore.serializer(), DossierEventUpcasters.chain())
                        .asStream().findFirst().orElseThrow();
                assertThat(message.getPayload()).as("%s revision %s, upcast", type, revision)
                        .isEqualTo(GoldenSamples.readAt(sample, number).payload());
                assertThat(message.getIdentifier()).isEqualTo(stored.getString(EventDocuments.EVENT_ID));
                assertThat(message.getMetaData().get("requestId")).isEqualTo("req-golden-0001");
                read++;
            }
        }
        assertThat(read).isEqualTo(expected);
    }

    /**
     * A submission stored since personal data is kept apart: its payload holds the applicant's kind and the commitment
     * only, its values are in {@code personalData}, and the commitment holds under the dossier's secret.
     */
    @Test
    void theStoredSubmissionKeepsItsApplicantApartBehindACommitment() throws Exception {
        Document stored = Document.parse(Files.readString(CORPUS.resolve("DossierSubmitted-r2.json")));
        assertThat(stored.getString(EventDocuments.PAYLOAD)).doesNotContain("001089012345", "Nguyễn Văn Dũng")
                .contains("\"commitment\":\"hmac-sha256:");
        assertThat(stored.getString(PersonalData.FIELD)).contains("001089012345");
        assertThat(PersonalData.commitmentHolds(stored, GoldenSamples.KEY)).isTrue();
        assertThat(PersonalData.commitmentHolds(stored, new byte[32])).as("under another secret").isFalse();
        Document revisionOne = Document.parse(Files.readString(CORPUS.resolve("DossierSubmitted-r1.json")));
        assertThat(revisionOne.getString(EventDocuments.PAYLOAD)).as("stored before: inline").contains("001089012345");
    }

    /** The facts of a revision-1 event are its metadata's: the sample's own, measured into the payload. */
    @Test
    void revisionOneFactsComeFromTheStoredMetadata() throws Exception {
        Document stored = Document.parse(Files.readString(CORPUS.resolve("ResultIssued-r1.json")));
        DomainEventMessage<?> message = EventStreamUtils.upcastAndDeserializeDomainEvents(
                Stream.of(EventDocuments.data(stored)), TestStore.serializer(), DossierEventUpcasters.chain())
                .asStream().findFirst().orElseThrow();
        ResultIssued result = (ResultIssued) message.getPayload();
        assertThat(result.workingMinutesInStage()).isEqualTo(60L);
        assertThat(result.workingMinutesToResult()).isEqualTo(1_500L);
        assertThat(result.syncSequence()).isNull();
        assertThat(stored.getString(EventDocuments.META_DATA)).contains("\"workingMinutesToResult\":1500");
    }
}
