package vn.hoso.command.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.Api.Answer;
import vn.hoso.deploy.EmulatorProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static vn.hoso.command.it.Api.*;

/**
 * No acknowledged command is lost on the embedded default: the emulator process that owns the H2 file is killed
 * with SIGKILL within 50 ms of the last 2xx answer, started again on the same file, and every acknowledged event is
 * there. Run {@link DurabilityDemonstration} to see the same scenario lose events with the commit step switched off.
 */
class KillRecoveryIT {

    static final int REQUESTS = 200;

    @Test
    void everyAcknowledgedEventSurvivesAKilledEmulator() throws Exception {
        Path file = Files.createTempDirectory("hoso-kill").resolve("mongo.mv");
        Result result = submitThenKill(file, true);
        assertThat(result.millisFromLastAnswerToKill()).as("kill within 50 ms of the last answer").isLessThan(50);
        assertThat(result.acknowledged()).hasSize(REQUESTS);
        assertThat(result.lost()).as("acknowledged dossiers missing after the restart").isEmpty();
    }

    record Result(Set<String> acknowledged, List<String> lost, long millisFromLastAnswerToKill, long storedAfter) {
    }

    /** Submits dossiers from 4 clients, kills the emulator right after the last answer, restarts it, counts. */
    static Result submitThenKill(Path file, boolean commitEachWrite) throws Exception {
        Set<String> acknowledged = new HashSet<>();
        AtomicLong lastAnswer = new AtomicLong();
        AtomicLong killedAt = new AtomicLong();
        AtomicInteger outstanding = new AtomicInteger(REQUESTS);
        String database;
        EmulatorProcess emulator = EmulatorProcess.start(file, commitEachWrite);
        TestMongo mongo = TestMongo.on(emulator.uri());
        database = mongo.database();
        try (CommandSide app = CommandSide.start(mongo)) {
            Api api = app.api();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                sent.add(clients.submit(() -> {
                    Answer answer = api.post("/api/v1/dossiers", submitBody("2.000116", "BUSINESS", "0100109106"),
                            CITIZEN);
                    lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                    if (answer.status() == 201) {
                        ids.add(answer.body().path("dossierId").asText());
                    }
                    if (outstanding.decrementAndGet() == 0) {
                        // the client that got the last answer kills the emulator at once
                        killedAt.set(emulator.kill());
                    }
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
            clients.shutdownNow();
            acknowledged.addAll(ids);
        }
        try (EmulatorProcess restarted = EmulatorProcess.start(file, commitEachWrite);
             MongoClient client = MongoClients.create(restarted.uri())) {
            var events = client.getDatabase(database).getCollection("events");
            List<String> lost = new ArrayList<>();
            for (String id : acknowledged) {
                Document submitted = events.find(eq("aggregateIdentifier", id)).first();
                if (submitted == null) {
                    lost.add(id);
                }
            }
            return new Result(acknowledged, lost, (killedAt.get() - lastAnswer.get()) / 1_000_000,
                    events.countDocuments());
        }
    }
}
