package vn.hoso.query.log;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.access.AccessPolicy;
import vn.hoso.access.Caller;
import vn.hoso.eventstore.SealedLog;
import vn.hoso.query.web.Callers;
import vn.hoso.query.web.QueryProblem;

import java.net.URI;
import java.util.List;

/**
 * Verifications of the sealed history, for operators and inspectors: started here, run in the background on the
 * instance that took them (one at a time), followed by their id; and the anomalies the sealer found.
 */
@RestController
@RequestMapping(path = "/api/v1/log", produces = MediaType.APPLICATION_JSON_VALUE)
public class VerificationController {

    private static final int ANOMALIES_SHOWN = 100;

    private final VerificationJobs jobs;
    private final SealedLog log;
    private final vn.hoso.eventstore.PositionedMongoEventStorageEngine engine;
    private final LogConfiguration.LogSigningKey key;

    VerificationController(VerificationJobs jobs, SealedLog log, vn.hoso.eventstore.PositionedMongoEventStorageEngine engine,
                           LogConfiguration.LogSigningKey key) {
        this.jobs = jobs;
        this.log = log;
        this.engine = engine;
        this.key = key;
    }

    @Operation(summary = "A dossier's evidence bundle (hoso-evidence/1): its events as stored (without personal values),"
            + " their leaves and inclusion proofs, the checkpoint they are proven against and the log's keys; with"
            + " pinnedSize, also a consistency proof from the inspector's pinned checkpoint. Verify it offline with"
            + " deploy/verifier (java -jar hoso-verifier.jar bundle)")
    @GetMapping("/evidence/dossiers/{dossierId}")
    public ResponseEntity<String> evidence(@PathVariable String dossierId,
                                           @org.springframework.web.bind.annotation.RequestParam(required = false)
                                           Long pinnedSize) {
        auditor();
        if (!dossierId.matches("[A-Za-z0-9-]{1,64}")) {
            throw new QueryProblem(QueryProblem.Code.DOSSIER_NOT_FOUND, null, "notFound");
        }
        if (pinnedSize != null && (pinnedSize < 0 || pinnedSize > log.size())) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "pinnedSize", "between", 0, log.size());
        }
        String bundle = vn.hoso.eventstore.Evidence.dossierBundle(engine, log, dossierId, pinnedSize, key.trusted())
                .orElseThrow(() -> new QueryProblem(QueryProblem.Code.DOSSIER_NOT_FOUND, null, "notFound"));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"evidence-" + dossierId + ".json\"").body(bundle);
    }

    private static Caller auditor() {
        Caller caller = Callers.current();
        if (!AccessPolicy.mayAuditTheLog(caller)) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "auditorsOnly");
        }
        return caller;
    }

    @Operation(summary = "Start a verification of one dossier (scope dossier), an agency's events in a period (scope"
            + " agency), every agency's in a period (scope period) or the whole store (scope all), optionally against a"
            + " checkpoint kept earlier (pinnedCheckpoint): 202 with the job to follow")
    @PostMapping(path = "/verifications", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<VerificationJobs.Job> start(@RequestBody VerificationJobs.Request request) {
        Caller caller = auditor();
        VerificationJobs.Job job = jobs.start(request, caller.accountId());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/log/verifications/" + job.id()))
                .body(job);
    }

    @Operation(summary = "An agency's evidence bundle for a period: every dossier of the agency (by its first event) with"
            + " an event recorded in [from, to), each with all its events, proven against one checkpoint (at most 2,000"
            + " dossiers: ask for a larger period in parts). Verify it offline with deploy/verifier")
    @GetMapping("/evidence/agencies/{agencyCode}")
    public ResponseEntity<String> agencyEvidence(@PathVariable String agencyCode,
                                                 @org.springframework.web.bind.annotation.RequestParam(required = false)
                                                 String from,
                                                 @org.springframework.web.bind.annotation.RequestParam(required = false)
                                                 String to,
                                                 @org.springframework.web.bind.annotation.RequestParam(required = false)
                                                 Long pinnedSize) {
        auditor();
        if (!agencyCode.matches("[A-Za-z0-9.]{1,40}")) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "agencyCode", "wrongType");
        }
        java.time.Instant start = VerificationJobs.instant(from, "from");
        java.time.Instant end = VerificationJobs.instant(to, "to");
        if (!start.isBefore(end)) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "to", "afterFrom");
        }
        if (pinnedSize != null && (pinnedSize < 0 || pinnedSize > log.size())) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "pinnedSize", "between", 0, log.size());
        }
        String bundle;
        try {
            bundle = vn.hoso.eventstore.Evidence.agencyBundle(engine, log, agencyCode, start, end, pinnedSize,
                    key.trusted());
        } catch (vn.hoso.eventstore.Evidence.TooManyDossiersException tooMany) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "to", "tooManyDossiers",
                    vn.hoso.eventstore.Evidence.MAX_DOSSIERS);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"evidence-" + agencyCode + ".json\"").body(bundle);
    }

    @Operation(summary = "A verification: its progress, then OK or the first broken link (dossier, event, check)")
    @GetMapping("/verifications/{id}")
    public VerificationJobs.Job job(@PathVariable String id) {
        auditor();
        return jobs.find(id).orElseThrow(() -> new QueryProblem(QueryProblem.Code.NOT_FOUND, "id", "notFound"));
    }

    public record Anomalies(long count, List<SealedLog.Anomaly> latest) {
    }

    @Operation(summary = "Events the sealer refused to seal (they do not chain to their dossier's sealed head, or are"
            + " malformed): the count and the latest 100")
    @GetMapping("/anomalies")
    public Anomalies anomalies() {
        auditor();
        return new Anomalies(log.anomalyCount(), log.anomalies(ANOMALIES_SHOWN));
    }
}
