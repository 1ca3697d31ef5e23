package vn.hoso.query.log;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import vn.hoso.eventstore.LogVerifier;
import vn.hoso.query.web.QueryProblem;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Verifications as background jobs: each is stored in {@code log_verifications} (readable from any instance), runs on
 * the instance that took it, one at a time (4 more may wait; past that, 503 BUSY), and records its progress every
 * second and its outcome at the end. A job whose instance stopped (no progress recorded for a minute) reads as
 * {@code INTERRUPTED}: start it again.
 */
@Component
class VerificationJobs {

    private static final Logger log = LoggerFactory.getLogger(VerificationJobs.class);
    static final String COLLECTION = "log_verifications";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    private static final Duration SILENT_FOR = Duration.ofMinutes(1);
    private static final int WAITING = 4;
    private static final int MAX_NOTE = 10_000;

    /**
     * What to verify: {@code scope} dossier (with {@code dossierId}), agency (with {@code agencyCode}, {@code from},
     * {@code to}), period ({@code from}, {@code to}: every agency) or all; {@code pinnedCheckpoint}, a signed checkpoint
     * kept earlier, which the log must extend.
     */
    public record Request(String scope, String dossierId, String agencyCode, String from, String to,
                          String pinnedCheckpoint) {
    }

    /** A verification: what it covers, where it is, and its outcome (the report) once done. */
    public record Job(String id, String scope, String dossierId, String agencyCode, Instant from, Instant to,
                      boolean pinned, String status, long done, long total, String requestedBy, Instant requestedAt,
                      Instant startedAt, Instant finishedAt, LogVerifier.Report report, String error) {
    }

    private final LogVerifier verifier;
    private final MongoCollection<Document> jobs;
    private final Clock clock;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(WAITING), vn.hoso.query.store.DaemonScheduler.threads("hoso-log-verification"));

    private final java.util.concurrent.ScheduledExecutorService heartbeat =
            vn.hoso.query.store.DaemonScheduler.named("hoso-log-verification-heartbeat");

    VerificationJobs(LogVerifier verifier, MongoDatabase readModelDatabase, Clock clock) {
        this.verifier = verifier;
        this.jobs = readModelDatabase.getCollection(COLLECTION);
        this.clock = clock;
        // the jobs waiting here are alive whoever asks, and whichever instance is asked
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                touchQueued();
            } catch (RuntimeException e) {
                log.warn("could not note the waiting verifications as alive: {}", e.getMessage());
            }
        }, 20, 20, TimeUnit.SECONDS);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        heartbeat.shutdownNow();
        worker.shutdownNow();
    }

    Job start(Request request, String requestedBy) {
        if (request == null) {
            throw new QueryProblem(QueryProblem.Code.MALFORMED_REQUEST, null, "malformed");
        }
        String scope = request.scope() == null ? "" : request.scope();
        String dossierId = null;
        String agencyCode = null;
        Instant from = null;
        Instant to = null;
        switch (scope) {
            case "dossier" -> dossierId = matching(request.dossierId(), "dossierId", "[A-Za-z0-9-]{1,64}");
            case "agency", "period" -> {
                if (scope.equals("agency")) {
                    agencyCode = matching(request.agencyCode(), "agencyCode", "[A-Za-z0-9.]{1,40}");
                }
                from = instant(request.from(), "from");
                to = instant(request.to(), "to");
                if (!from.isBefore(to)) {
                    throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "to", "afterFrom");
                }
            }
            case "all" -> {
            }
            default -> throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "scope", "verificationScope");
        }
        String pinned = request.pinnedCheckpoint();
        if (pinned != null && (pinned.length() > MAX_NOTE || pinned.isBlank())) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "pinnedCheckpoint", "pinnedCheckpoint", MAX_NOTE);
        }
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Document document = new Document("_id", id).append("scope", scope).append("dossierId", dossierId)
                .append("agencyCode", agencyCode).append("from", text(from)).append("to", text(to))
                .append("pinned", pinned != null).append("status", "QUEUED").append("done", 0L).append("total", -1L)
                .append("requestedBy", requestedBy).append("requestedAt", now.toString())
                .append("updatedAt", now.toString());
        jobs.insertOne(document);
        String dossier = dossierId;
        String agency = agencyCode;
        Instant start = from;
        Instant end = to;
        try {
            queued.add(id);
            worker.execute(() -> run(id, scope, dossier, agency, start, end, pinned));
        } catch (RejectedExecutionException busy) {
            queued.remove(id);
            jobs.deleteOne(new Document("_id", id));
            throw new QueryProblem(QueryProblem.Code.BUSY, null, "verificationsBusy", WAITING + 1);
        }
        log.info("log verification {} queued: scope {} by {}", id, scope, requestedBy);
        return job(document);
    }

    Optional<Job> find(String id) {
        if (id == null || id.length() > 64) {
            return Optional.empty();
        }
        return Optional.ofNullable(jobs.find(new Document("_id", id)).first()).map(this::job);
    }

    private void run(String id, String scope, String dossierId, String agencyCode, Instant from, Instant to,
                     String pinned) {
        queued.remove(id);
        Instant started = clock.instant();
        update(id, new Document("status", "RUNNING").append("startedAt", started.toString()));
        long[] lastNoted = {System.nanoTime()};
        LogVerifier.Progress progress = (done, total) -> {
            if (System.nanoTime() - lastNoted[0] >= PROGRESS_EVERY.toNanos()) {
                lastNoted[0] = System.nanoTime();
                update(id, new Document("done", done).append("total", total));
            }
        };
        try {
            LogVerifier.Report report = switch (scope) {
                case "dossier" -> verifier.verifyDossier(dossierId, pinned, progress);
                case "agency", "period" -> verifier.verifyPeriod(agencyCode, from, to, pinned, progress);
                default -> verifier.verifyAll(pinned, progress);
            };
            if (report == null) {
                update(id, new Document("status", "FAILED").append("error", "no such dossier in the store")
                        .append("finishedAt", clock.instant().toString()));
                return;
            }
            update(id, new Document("status", report.ok() ? "OK" : "BROKEN").append("report", report(report))
                    .append("done", report.checkedEvents() + report.pendingEvents())
                    .append("total", report.checkedEvents() + report.pendingEvents())
                    .append("finishedAt", clock.instant().toString()));
            if (report.ok()) {
                log.info("log verification {} ({}): OK, {} events proven against the checkpoint of {} events, {}"
                        + " newer", id, scope, report.checkedEvents(), report.checkpointSize(), report.pendingEvents());
            } else {
                LogVerifier.BrokenLink link = report.firstBroken();
                log.error("log verification {} ({}): BROKEN at dossier {}, event {}, position {}: {}: {}", id, scope,
                        link.dossier(), link.sequence(), link.position(), link.check(), link.detail());
            }
        } catch (RuntimeException e) {
            log.error("log verification {} ({}) failed", id, scope, e);
            update(id, new Document("status", "FAILED").append("error", String.valueOf(e.getMessage()))
                    .append("finishedAt", clock.instant().toString()));
        }
    }

    private void update(String id, Document fields) {
        fields.append("updatedAt", clock.instant().toString());
        jobs.updateOne(new Document("_id", id), new Document("$set", fields));
    }

    /** The jobs waiting here are alive: their time is noted, so that they do not read as interrupted. */
    private void touchQueued() {
        if (!queued.isEmpty()) {
            jobs.updateMany(new Document("_id", new Document("$in", java.util.List.copyOf(queued))),
                    new Document("$set", new Document("updatedAt", clock.instant().toString())));
        }
    }

    private Job job(Document d) {
        String status = d.getString("status");
        Instant updated = Instant.parse(d.getString("updatedAt"));
        if ((status.equals("QUEUED") || status.equals("RUNNING"))
                && Duration.between(updated, clock.instant()).compareTo(SILENT_FOR) > 0) {
            status = "INTERRUPTED";
        }
        Document r = d.get("report", Document.class);
        LogVerifier.Report report = null;
        if (r != null) {
            Document b = r.get("firstBroken", Document.class);
            report = new LogVerifier.Report(r.getBoolean("ok"), r.getLong("checkedEvents"), r.getLong("pendingEvents"),
                    r.getLong("checkpointSize"), r.getString("checkpointRoot"), b == null ? null
                    : new LogVerifier.BrokenLink(LogVerifier.Check.valueOf(b.getString("check")), b.getString("dossier"),
                    b.getLong("sequence"), b.getLong("position"), b.getLong("leaf"), b.getString("detail")));
        }
        return new Job(d.getString("_id"), d.getString("scope"), d.getString("dossierId"), d.getString("agencyCode"),
                parse(d.getString("from")), parse(d.getString("to")), Boolean.TRUE.equals(d.getBoolean("pinned")),
                status, d.get("done", Number.class).longValue(), d.get("total", Number.class).longValue(),
                d.getString("requestedBy"), parse(d.getString("requestedAt")), parse(d.getString("startedAt")),
                parse(d.getString("finishedAt")), report, d.getString("error"));
    }

    private static Document report(LogVerifier.Report report) {
        LogVerifier.BrokenLink link = report.firstBroken();
        return new Document("ok", report.ok()).append("checkedEvents", report.checkedEvents())
                .append("pendingEvents", report.pendingEvents()).append("checkpointSize", report.checkpointSize())
                .append("checkpointRoot", report.checkpointRoot())
                .append("firstBroken", link == null ? null : new Document("check", link.check().name())
                        .append("dossier", link.dossier()).append("sequence", link.sequence())
                        .append("position", link.position()).append("leaf", link.leaf())
                        .append("detail", link.detail()));
    }

    private static String matching(String value, String field, String pattern) {
        if (value == null || !value.matches(pattern)) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, field, "wrongType");
        }
        return value;
    }

    static Instant instant(String value, String field) {
        try {
            Instant instant = Instant.parse(value == null ? "" : value);
            if (instant.isBefore(Instant.parse("2000-01-01T00:00:00Z"))
                    || instant.isAfter(Instant.parse("2100-01-01T00:00:00Z"))) {
                throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, field, "between", "2000-01-01T00:00:00Z",
                        "2100-01-01T00:00:00Z");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, field, "wrongType");
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
