package vn.hoso.query.deadletter;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.access.Caller;
import vn.hoso.query.web.Callers;
import vn.hoso.query.web.QueryProblem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The operators' API for parked dossiers: list, retry one or all, evict one with a reason. Operators only. */
@RestController
@RequestMapping(path = "/api/v1/operator/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
public class DeadLetterController {

    private static final Pattern DOSSIER_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
    private static final int MAX_LIMIT = 1000;

    private final DeadLetters deadLetters;
    private final ParkedRetries retries;

    public DeadLetterController(DeadLetters deadLetters, ParkedRetries retries) {
        this.deadLetters = deadLetters;
        this.retries = retries;
    }

    public record Listing(Map<String, Map<String, Long>> readModels, List<DeadLetters.Letter> letters) {
    }

    public record Eviction(String reason) {
    }

    @Operation(summary = "Parked events per read model (no payloads)")
    @GetMapping
    public Listing list(@RequestParam(required = false) String readModel,
                        @RequestParam(defaultValue = "200") int limit) {
        Callers.operator();
        if (readModel != null) {
            checkReadModel(readModel);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "limit", "between", 1, MAX_LIMIT);
        }
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        for (String group : deadLetters.readModels()) {
            var queue = deadLetters.queue(group);
            counts.put(group, Map.of("events", queue.size(), "dossiers", queue.amountOfSequences()));
        }
        return new Listing(counts, deadLetters.list(readModel, limit).stream()
                .map(letter -> letter.withPlan(retries.planned(letter.readModel(), letter.dossierId()))).toList());
    }

    @Operation(summary = "Apply one dossier's parked events again, after a fix")
    @PostMapping("/{readModel}/{dossierId}/retry")
    public Map<String, Object> retry(@PathVariable String readModel, @PathVariable String dossierId) {
        Callers.operator();
        checkReadModel(readModel);
        checkDossier(readModel, dossierId);
        boolean free = deadLetters.retry(readModel, dossierId);
        return Map.of("readModel", readModel, "dossierId", dossierId, "parked", !free);
    }

    @Operation(summary = "Apply every parked dossier's events again, once each")
    @PostMapping("/retry")
    public Map<String, Object> retryAll() {
        Callers.operator();
        return Map.of("stillParked", deadLetters.retryAll());
    }

    @Operation(summary = "Drop one dossier's parked events from a read model, with a reason that is logged")
    @PostMapping("/{readModel}/{dossierId}/eviction")
    public Map<String, Object> evict(@PathVariable String readModel, @PathVariable String dossierId,
                                     @RequestBody(required = false) Eviction body) {
        Caller caller = Callers.operator();
        checkReadModel(readModel);
        checkDossier(readModel, dossierId);
        if (body == null || body.reason() == null || body.reason().isBlank() || body.reason().length() > 500) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "reason", "reason");
        }
        int evicted = deadLetters.evict(readModel, dossierId, body.reason().strip(), caller.accountId());
        return Map.of("readModel", readModel, "dossierId", dossierId, "evicted", evicted);
    }

    private void checkReadModel(String readModel) {
        if (!deadLetters.readModels().contains(readModel)) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "readModel", "oneOf",
                    String.join(", ", deadLetters.readModels()));
        }
    }

    private void checkDossier(String readModel, String dossierId) {
        if (!DOSSIER_ID.matcher(dossierId).matches() || !deadLetters.queue(readModel).contains(dossierId)) {
            throw new QueryProblem(QueryProblem.Code.DOSSIER_NOT_FOUND, "dossierId", "nothingParked");
        }
    }
}
