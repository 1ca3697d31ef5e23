package vn.hoso.eventstore;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Not a test: writes the golden corpus of the current revision, each sample event as the engine stores it
 * ({@link EventDocuments#event}), to {@code src/test/resources/golden/<Type>-r<revision>.json}. Run once when a
 * revision is introduced ({@code -Dhoso.golden.write=true -Dtest=GoldenCorpusWriter}); the files are then kept as they
 * are, forever: they are what a store of that time holds.
 */
class GoldenCorpusWriter {

    @Test
    @EnabledIfSystemProperty(named = "hoso.golden.write", matches = "true")
    void writeTheCorpusOfTheCurrentRevision() throws Exception {
        Path folder = Path.of("src/test/resources/golden");
        Files.createDirectories(folder);
        List<GoldenSamples.Sample> samples = GoldenSamples.all();
        for (int i = 0; i < samples.size(); i++) {
            GoldenSamples.Sample sample = GoldenSamples.asRecordedNow(samples.get(i));
            var message = new GenericDomainEventMessage<>("Dossier", GoldenSamples.DOSSIER, i, sample.payload(),
                    MetaData.from(sample.metaData()), "golden-" + i, GoldenSamples.T.plusSeconds(i));
            Document stored = EventDocuments.event(1000 + i, message, TestStore.serializer());
            PersonalData.protect(stored, dossier -> GoldenSamples.KEY); // as the engine stores it
            String revision = stored.getString(EventDocuments.PAYLOAD_REVISION);
            Path file = folder.resolve(sample.payload().getClass().getSimpleName() + "-r" + revision + ".json");
            if (Files.exists(file)) {
                continue; // a revision's documents are written once and never again
            }
            Files.writeString(file, stored.toJson(JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).indent(true)
                    .build()) + "\n", StandardCharsets.UTF_8);
        }
    }
}
