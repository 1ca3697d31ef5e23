package vn.hoso.query.it;

import vn.hoso.command.it.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.deploy.EmbeddedMongo;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two command-side processes, their clocks 5 s apart, and two query-side processes sharing every processor, on one
 * store and one index, as a deployment behind one address runs them. Many clients send commands for the same dossiers
 * to either command side, each retried (same {@code Idempotency-Key}) on the other one now and then; one query side is
 * killed with SIGKILL while events flow, and the other takes its segments over. Checked: every acknowledged command
 * appended exactly once and every retry answered with its first answer, every dossier code issued once, no timeline or
 * search document ever going back (watched while it runs), every read model ending equal to the store; a restarted
 * query side gets its share back, and a completeness check on it (holding half the segments) repairs a lost entry.
 */
class SeveralInstancesIT {

    private static final String AGENCY = "000.00.01.H22";
    private static final String[] CITIZEN = TestIssuer.bearer("CITIZEN", "citizen-multi", null);
    private static final String[] OFFICER = TestIssuer.bearer("OFFICER", "officer-multi", AGENCY);
    private static final String[] OPERATOR = TestIssuer.bearer("OPERATOR", "operator-multi", null);
    private static final List<String> PROCESSORS = List.of("search-index", "timelines");
    private static final int SEGMENTS = 8;
    private static final int CLIENTS = 6;
    private static final int DOSSIERS_PER_CLIENT = 4;
    private static final int STEPS_PER_CLIENT = 50;
    private static final Duration START = Duration.ofMinutes(3);

    private static ElasticsearchServer elasticsearch;
    private static EmbeddedMongo embeddedMongo;
    private static MongoClient mongo;
    private static String server;
    private static final String database = "mit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final String alias = "dossiers-" + database.replace('_', '-');
    private static final List<ServiceProcess> processes = new CopyOnWriteArrayList<>();
    private static java.nio.file.Path keyFile;

    @BeforeAll
    static void stores() throws Exception {
        keyFile = Stack.idHashKeyFile();
        elasticsearch = ElasticsearchServer.start();
        server = TestMongoServer.fromEnvironment();
        if (server == null) {
            embeddedMongo = EmbeddedMongo.startInMemory("127.0.0.1", 0);
            server = embeddedMongo.connectionString();
        }
        mongo = MongoClients.create(server);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess process : processes) {
            process.close();
        }
        if (embeddedMongo == null) {
            mongo.getDatabase(database).drop();
        }
        mongo.close();
        if (embeddedMongo != null) {
            embeddedMongo.close();
        }
        elasticsearch.release(alias);
        elasticsearch.close();
    }

    private static ServiceProcess commandSide(String name, String clockOffset) {
        Duration skew = Duration.parse(clockOffset);
        ServiceProcess process = ServiceProcess.start(name, ClockedService.class.getName(),
                List.of("-Dhoso.test.side=command", "-Dhoso.test.clock-offset=" + TestTime.SHIFT.plus(skew)),
                List.of("--spring.data.mongodb.uri=" + server + "/" + database, "--hoso.store.database=" + database,
                        "--logging.level.root=WARN"));
        processes.add(process);
        return process;
    }

    private static ServiceProcess querySide(String name) throws Exception {
        ServiceProcess process = ServiceProcess.start(name, ClockedService.class.getName(),
                List.of("-Dhoso.test.side=query", "-Dhoso.test.clock-offset=" + TestTime.SHIFT),
                List.of("--spring.data.mongodb.uri=" + server + "/" + database, "--hoso.store.database=" + database,
                        "--spring.elasticsearch.uris=" + elasticsearch.url(), "--hoso.search.alias=" + alias,
                        "--hoso.search.id-hash-key-file=" + keyFile, // one key for all, as in one data folder
                        "--hoso.log.signing-key-file=" + Stack.logSigningKeyFile(keyFile),
                        "--logging.level.root=WARN", "--logging.level.vn.hoso.query.store=INFO",
                        // configured down from 2 s, 10 s and 10 s: a killed instance's segments are taken over within
                        // seconds, and a start-up's share is settled sooner; claims are still extended in time
                        "--hoso.processors.heartbeat=1s", "--hoso.processors.instance-timeout=5s",
                        "--hoso.processors.claim-timeout=5s",
                        "--axon.eventhandling.processors.search-index.token-claim-interval=1000",
                        "--axon.eventhandling.processors.timelines.token-claim-interval=1000"));
        processes.add(process);
        return process;
    }

    private static MongoDatabase db() {
        return mongo.getDatabase(database);
    }

    /** Per processor, per segment: the owning process's pid, or 0 when unclaimed. */
    private static Map<String, Map<Integer, Long>> owners() {
        Map<String, Map<Integer, Long>> owners = new TreeMap<>();
        for (Document token : db().getCollection("trackingtokens").find()) {
            String owner = token.getString("owner");
            long pid = owner == null ? 0 : Long.parseLong(owner.substring(0, owner.indexOf('@')));
            owners.computeIfAbsent(token.getString("processorName"), p -> new TreeMap<>())
                    .put(token.get("segment", Number.class).intValue(), pid);
        }
        return owners;
    }

    private static long segmentsOwnedBy(ServiceProcess process) {
        return owners().values().stream().flatMap(m -> m.values().stream()).filter(pid -> pid == process.pid()).count();
    }

    /** Every processor has its segments, each process holds half of each. */
    private static boolean shared(ServiceProcess a, ServiceProcess b) {
        Map<String, Map<Integer, Long>> owners = owners();
        for (String processor : PROCESSORS) {
            Map<Integer, Long> segments = owners.getOrDefault(processor, Map.of());
            if (segments.size() != SEGMENTS
                    || segments.values().stream().filter(pid -> pid == a.pid()).count() != SEGMENTS / 2
                    || segments.values().stream().filter(pid -> pid == b.pid()).count() != SEGMENTS / 2) {
                return false;
            }
        }
        return true;
    }

    @Test
    void twoInstancesOfEachSideLoseNothingOverwriteNothingAndTakeOverAKilledOne() throws Exception {
        ServiceProcess commandA = commandSide("command-a", "PT0S");
        ServiceProcess commandB = commandSide("command-b", "PT5S");
        ServiceProcess queryOne = querySide("query-1");
        ServiceProcess queryTwo = querySide("query-2");
        for (ServiceProcess process : List.of(commandA, commandB, queryOne, queryTwo)) {
            process.awaitReady(START);
        }
        long sharedFrom = System.nanoTime();
        await("both query sides hold half of every processor's segments").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).until(() -> shared(queryOne, queryTwo));
        System.out.printf("segments shared 4 + 4 per processor %d ms after both query sides were ready%n",
                (System.nanoTime() - sharedFrom) / 1_000_000);

        List<Http> commandSides = List.of(commandA.http(), commandB.http());
        Set<String> dossiers = ConcurrentHashMap.newKeySet();
        Map<String, Long> versionOfKey = new ConcurrentHashMap<>();
        Map<String, String> dossierOfKey = new ConcurrentHashMap<>();
        Map<String, String> codes = new ConcurrentHashMap<>();
        AtomicInteger retried = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger stepsSent = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();

        // watches every timeline and search document while it runs: none may ever go back
        Watcher watcher = new Watcher(dossiers);
        ScheduledExecutorService watching = Executors.newSingleThreadScheduledExecutor();
        watching.scheduleWithFixedDelay(watcher, 0, 100, TimeUnit.MILLISECONDS);

        AtomicBoolean killed = new AtomicBoolean();
        AtomicLong killedAt = new AtomicLong();
        Map<String, Object> killFigures = new ConcurrentHashMap<>();
        int killAfterSteps = CLIENTS * STEPS_PER_CLIENT * 2 / 5;

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            running.add(clients.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < DOSSIERS_PER_CLIENT; i++) {
                    String submitKey = UUID.randomUUID().toString();
                    Http.Answer submitted = send(commandSides, random, "/api/v1/dossiers", """
                            {"procedureCode":"2.000116","agencyCode":"%s",
                             "applicant":{"kind":"BUSINESS","idNumber":"0100109106","fullName":"Công ty %d-%d"},
                             "documents":[{"name":"Hồ sơ","kind":"FORM","contentHash":"sha256:%s","sizeBytes":1}]}
                            """.formatted(AGENCY, client, i, "ab".repeat(32)), CITIZEN, submitKey, retried, failures);
                    String id = submitted.body().path("dossierId").asText();
                    acknowledge(versionOfKey, dossierOfKey, submitKey, id, submitted, failures);
                    String receiptKey = UUID.randomUUID().toString();
                    Http.Answer received = send(commandSides, random, "/api/v1/dossiers/" + id + "/receipt", "{}",
                            OFFICER, receiptKey, retried, failures);
                    acknowledge(versionOfKey, dossierOfKey, receiptKey, id, received, failures);
                    codes.put(id, received.body().path("dossierCode").asText());
                    String processingKey = UUID.randomUUID().toString();
                    acknowledge(versionOfKey, dossierOfKey, processingKey, id, send(commandSides, random,
                            "/api/v1/dossiers/" + id + "/processing", "{\"unit\":\"Phòng một cửa\"}", OFFICER,
                            processingKey, retried, failures), failures);
                    dossiers.add(id);
                }
                for (int i = 0; i < STEPS_PER_CLIENT; i++) {
                    List<String> known = new ArrayList<>(dossiers);
                    String id = known.get(random.nextInt(known.size()));
                    String key = UUID.randomUUID().toString();
                    Http.Answer answer = send(commandSides, random, "/api/v1/dossiers/" + id + "/steps",
                            "{\"unit\":\"Phòng một cửa\",\"step\":\"Bước " + i + "\"}", OFFICER, key, retried, failures);
                    if (answer.status() == 409 && "CONCURRENT_MODIFICATION".equals(answer.body().path("code").asText())) {
                        conflicts.incrementAndGet();
                    } else {
                        acknowledge(versionOfKey, dossierOfKey, key, id, answer, failures);
                    }
                    if (stepsSent.incrementAndGet() == killAfterSteps && killed.compareAndSet(false, true)) {
                        killFigures.putAll(kill(queryOne));
                        killedAt.set(System.nanoTime());
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get(5, TimeUnit.MINUTES);
        }
        clients.shutdown();
        assertThat(failures).isEmpty();
        assertThat(killed).isTrue();

        await("the surviving query side holds every segment").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> segmentsOwnedBy(queryTwo) == (long) SEGMENTS * PROCESSORS.size());
        long takeOverMillis = (System.nanoTime() - killedAt.get()) / 1_000_000;

        await("every read model equal to the store").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(readModelsBehind(dossiers)).as("dossier -> [store, search, timeline]")
                        .isEmpty());
        Map<String, Long> stored = storedLastSequences();
        watching.shutdown();
        assertThat(watching.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(watcher.wentBack).as("read model entries that went back while it ran").isEmpty();
        assertThat(watcher.reads.get()).as("watcher rounds").isPositive();

        // every acknowledged command appended exactly once: the store's events of each dossier are exactly the
        // versions its acknowledged commands were answered with, one command per version
        Map<String, Map<Long, String>> acknowledged = new HashMap<>();
        versionOfKey.forEach((key, version) -> {
            String previous = acknowledged.computeIfAbsent(dossierOfKey.get(key), d -> new TreeMap<>())
                    .put(version, key);
            assertThat(previous).as("two commands acknowledged with version %d of %s", version,
                    dossierOfKey.get(key)).isNull();
        });
        Map<String, Set<Long>> sequences = storedSequences();
        long events = 0;
        for (String id : dossiers) {
            assertThat(sequences.get(id)).as("events of %s", id).isEqualTo(acknowledged.get(id).keySet());
            events += sequences.get(id).size();
        }
        assertThat(new HashSet<>(codes.values())).as("dossier codes issued").hasSize(dossiers.size())
                .doesNotContain("", "null");
        for (String id : dossiers) {
            Document timeline = db().getCollection("timelines").find(new Document("_id", id)).first();
            assertThat(timeline.getString("dossierCode")).isEqualTo(codes.get(id));
        }

        String metrics = queryTwo.http().getText("/actuator/prometheus", TestIssuer.operator());
        System.out.printf("several instances: 2 command sides (clocks 5 s apart) + 2 query sides, %d clients, %d"
                        + " dossiers, %d events, %d requests retried on the other command side (each answered with its"
                        + " first answer), %d steps refused 409 after the gateway's retries%n",
                CLIENTS, dossiers.size(), events, retried.get(), conflicts.get());
        System.out.printf("SIGKILL of query-1 after %d steps: it held %s segments (of %d), %s events past its"
                        + " lowest stored token; query-2 held all %d segments %d ms after the kill; read models equal"
                        + " to the store for all %d dossiers; the watcher read every entry %d times, none went back;"
                        + " stale writes on query-2: %s%n",
                killAfterSteps, killFigures.get("segments"), SEGMENTS * PROCESSORS.size(), killFigures.get("behind"),
                SEGMENTS * PROCESSORS.size(), takeOverMillis, stored.size(), watcher.reads.get(),
                metrics.lines().filter(l -> l.startsWith("hoso_projection_stale_writes_total")).toList());
        assertThat(stored).hasSize(dossiers.size());

        // a query side started again gets its share back, and its completeness check (half the segments local)
        // knows what every segment has delivered: a lost timeline is missing, not in flight, and repaired
        ServiceProcess queryThree = querySide("query-3");
        queryThree.awaitReady(START);
        long rebalanceFrom = System.nanoTime();
        await("query-2 shares with the restarted query side").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).until(() -> shared(queryTwo, queryThree));
        System.out.printf("a restarted query side held half of every processor's segments %d ms after it was ready%n",
                (System.nanoTime() - rebalanceFrom) / 1_000_000);
        String lost = dossiers.iterator().next();
        db().getCollection("timelines").deleteOne(new Document("_id", lost));
        JsonNode check = queryThree.http().post("/api/v1/operator/completeness-checks", "", OPERATOR).body();
        assertThat(check.path("readModels").path("timelines").path("missing").asLong()).as(check.toString())
                .isEqualTo(1);
        assertThat(check.path("readModels").path("timelines").path("repaired").asLong()).isEqualTo(1);
        assertThat(check.path("readModels").path("timelines").path("inFlight").asLong()).isZero();
        assertThat(check.path("readModels").path("search-index").path("missing").asLong()).isZero();
        assertThat(readModelsBehind(dossiers)).isEmpty();

        // the sealed log, sealed by whichever query side held its lease (query-1's, if it did, ran out when it was
        // killed): every event of both command sides exactly one leaf, and the whole store verifies
        long storedEvents = db().getCollection("events").countDocuments(new Document("void", new Document("$exists", false)));
        await("every event sealed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(db().getCollection("log_state").find(new Document("_id", "sealer"))
                        .first().get("size", Number.class).longValue()).isEqualTo(storedEvents));
        assertThat(db().getCollection("log_anomalies").countDocuments()).isZero();
        String job = queryThree.http().post("/api/v1/log/verifications", "{\"scope\":\"all\"}", OPERATOR).body()
                .path("id").asText();
        await("the whole store verified").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode verified = queryTwo.http().get("/api/v1/log/verifications/" + job, OPERATOR).body();
                    assertThat(verified.path("status").asText()).as(verified.toString()).isEqualTo("OK");
                    assertThat(verified.path("report").path("checkedEvents").asLong()
                            + verified.path("report").path("pendingEvents").asLong()).isEqualTo(storedEvents);
                });
        System.out.printf("sealed log: %d events, each one leaf, verified whole%n", storedEvents);
        // and every field of every entry equals a fold of the store's events
        Stack.assertReadModelsEqualTheStore(server, database, elasticsearch.url(), alias, keyFile, dossiers);
    }

    /** Sends with an idempotency key to one command side; now and then the same request again to the other one. */
    private static Http.Answer send(List<Http> sides, ThreadLocalRandom random, String path, String body,
                                    String[] actor, String key, AtomicInteger retried, List<String> failures) {
        int first = random.nextInt(2);
        String[] headers = Stream.concat(Stream.of(actor), Stream.of("Idempotency-Key", key)).toArray(String[]::new);
        Http.Answer answer = sides.get(first).post(path, body, headers);
        if (answer.status() >= 400 && !(answer.status() == 409
                && "CONCURRENT_MODIFICATION".equals(answer.body().path("code").asText()))) {
            failures.add(path + " -> " + answer.status() + " " + answer.body());
        }
        if (answer.status() < 300 && random.nextInt(4) == 0) {
            retried.incrementAndGet();
            Http.Answer again = sides.get(1 - first).post(path, body, headers);
            if (again.status() != answer.status()
                    || again.body().path("version").asLong() != answer.body().path("version").asLong()
                    || !"true".equals(again.header("Idempotent-Replayed"))) {
                failures.add("retry of " + path + " on the other instance: " + again.status() + " " + again.body()
                        + " after " + answer.status() + " " + answer.body());
            }
        }
        return answer;
    }

    private static void acknowledge(Map<String, Long> versionOfKey, Map<String, String> dossierOfKey, String key, String id,
                               Http.Answer answer, List<String> failures) {
        if (answer.status() >= 300) {
            failures.add("not acknowledged: " + answer.status() + " " + answer.body());
            return;
        }
        versionOfKey.put(key, answer.body().path("version").asLong());
        dossierOfKey.put(key, id);
    }

    /** SIGKILL while events flow; returns the segments it held and how far its lowest stored token was behind. */
    private static Map<String, Object> kill(ServiceProcess victim) throws Exception {
        long segments = segmentsOwnedBy(victim);
        long lowest = Long.MAX_VALUE;
        for (Document token : db().getCollection("trackingtokens").find()) {
            String owner = token.getString("owner");
            if (owner != null && owner.startsWith(victim.pid() + "@") && token.get("token") != null) {
                lowest = Math.min(lowest, Stack.token(token).path("index").asLong());
            }
        }
        Document head = db().getCollection("event_positions").find(new Document("_id", "events")).first();
        long last = head == null ? 0 : head.get("last", Number.class).longValue();
        victim.kill();
        return Map.of("segments", segments, "behind", lowest == Long.MAX_VALUE ? "?" : String.valueOf(last - lowest));
    }

    private static Map<String, Set<Long>> storedSequences() {
        Map<String, Set<Long>> sequences = new HashMap<>();
        for (Document event : db().getCollection("events").find(new Document("void", new Document("$exists", false)))) {
            sequences.computeIfAbsent(event.getString("aggregateIdentifier"), id -> new TreeSet<>())
                    .add(event.get("sequenceNumber", Number.class).longValue());
        }
        return sequences;
    }

    private static Map<String, Long> storedLastSequences() {
        Map<String, Long> last = new HashMap<>();
        storedSequences().forEach((id, sequences) -> last.put(id, ((TreeSet<Long>) sequences).last()));
        return last;
    }

    /** The dossiers whose search document or timeline is not at the store's last event: [store, search, timeline]. */
    private static Map<String, List<Long>> readModelsBehind(Collection<String> dossiers) {
        Map<String, Long> last = storedLastSequences();
        Map<String, Long> search = Watcher.searchSequences(List.copyOf(dossiers));
        Map<String, Long> timelines = Watcher.timelineSequences(List.copyOf(dossiers));
        Map<String, List<Long>> behind = new TreeMap<>();
        for (String id : dossiers) {
            long stored = last.getOrDefault(id, -2L);
            long indexed = search.getOrDefault(id, -1L);
            long timeline = timelines.getOrDefault(id, -1L);
            if (indexed != stored || timeline != stored) {
                behind.put(id, List.of(stored, indexed, timeline));
            }
        }
        return behind;
    }

    /** Reads every entry of both read models, round after round; an entry seen at a lower sequence than before went back. */
    private static final class Watcher implements Runnable {
        private final Set<String> dossiers;
        private final Map<String, Long> searchSeen = new HashMap<>();
        private final Map<String, Long> timelineSeen = new HashMap<>();
        final List<String> wentBack = new CopyOnWriteArrayList<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger failedReads = new AtomicInteger();
        Watcher(Set<String> dossiers) {
            this.dossiers = dossiers;
        }

        /** One round (every 100 ms); a failed read is recorded, and the next round goes on. */
        @Override
        public void run() {
            List<String> ids = List.copyOf(dossiers);
            if (ids.isEmpty()) {
                return;
            }
            try {
                compare("search document", searchSeen, searchSequences(ids));
                compare("timeline", timelineSeen, timelineSequences(ids));
                reads.incrementAndGet();
            } catch (RuntimeException e) {
                failedReads.incrementAndGet();
            }
        }

        private void compare(String what, Map<String, Long> seen, Map<String, Long> now) {
            now.forEach((id, sequence) -> {
                Long before = seen.put(id, sequence);
                if (before != null && sequence < before) {
                    wentBack.add(what + " of " + id + " went from " + before + " to " + sequence);
                }
            });
        }

        static Map<String, Long> timelineSequences(List<String> ids) {
            Map<String, Long> found = new HashMap<>();
            for (Document timeline : db().getCollection("timelines")
                    .find(new Document("_id", new Document("$in", ids)))) {
                found.put(timeline.getString("_id"), timeline.get("lastSequence", Number.class).longValue());
            }
            return found;
        }

        static Map<String, Long> searchSequences(List<String> ids) {
            Map<String, Long> found = new HashMap<>();
            StringBuilder body = new StringBuilder("{\"ids\":[");
            for (int i = 0; i < ids.size(); i++) {
                body.append(i == 0 ? "" : ",").append('"').append(ids.get(i)).append('"');
            }
            JsonNode answer = new Http(elasticsearch.url()).post("/" + alias + "/_mget", body.append("]}").toString())
                    .body();
            for (JsonNode doc : answer.path("docs")) {
                if (doc.path("found").asBoolean()) {
                    found.put(doc.path("_id").asText(), doc.path("_source").path("lastSequence").asLong());
                }
            }
            return found;
        }
    }
}
