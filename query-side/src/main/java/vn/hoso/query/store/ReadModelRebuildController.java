package vn.hoso.query.store;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.access.AccessPolicy;
import vn.hoso.query.web.Callers;
import vn.hoso.query.web.QueryProblem;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Operators rebuild a read model beside the live one ({@link ReadModelRebuild}; {@code search-index} or
 * {@code timelines}): {@code POST /api/v1/operator/rebuilds/{readModel}} starts one (202; 409 while one is under way),
 * {@code GET} the same follows it (events done and in the store, rate, time left, the check, the switch),
 * {@code POST .../rollback} switches back to the previous version while it is kept, {@code POST .../retire} deletes the
 * version not in use now instead of at the end of {@code hoso.rebuild.retain-previous}, {@code POST .../abandon} gives up
 * one that is still building (its new version is deleted; the live one never changed).
 */
@RestController
@RequestMapping(path = "/api/v1/operator/rebuilds/{readModel}", produces = MediaType.APPLICATION_JSON_VALUE)
public class ReadModelRebuildController {

    private final Map<String, ReadModelRebuild<?>> rebuilds;

    public ReadModelRebuildController(List<ReadModelRebuild<?>> rebuilds) {
        this.rebuilds = rebuilds.stream().collect(Collectors.toMap(ReadModelRebuild::readModel, Function.identity()));
    }

    @PostMapping
    public ResponseEntity<ReadModelRebuild.Progress> start(@PathVariable String readModel) {
        ReadModelRebuild<?> rebuild = rebuild(readModel);
        try {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(rebuild.start());
        } catch (ReadModelRebuild.AlreadyRunning running) {
            throw new QueryProblem(QueryProblem.Code.CONFLICT, null, "rebuildRunning", running.getMessage());
        } catch (ReadModelRebuild.RefusedHere refused) {
            throw new QueryProblem(QueryProblem.Code.CONFLICT, null, "rebuildRefusedHere", refused.getMessage());
        }
    }

    @GetMapping
    public ReadModelRebuild.Progress progress(@PathVariable String readModel) {
        return rebuild(readModel).progress().orElseThrow(() ->
                new QueryProblem(QueryProblem.Code.NOT_FOUND, null, "noRebuild"));
    }

    @PostMapping("/rollback")
    public ReadModelRebuild.Progress rollBack(@PathVariable String readModel) {
        ReadModelRebuild<?> rebuild = rebuild(readModel);
        try {
            return rebuild.rollBack();
        } catch (ReadModelRebuild.NothingToRollBack nothing) {
            throw new QueryProblem(QueryProblem.Code.CONFLICT, null, "nothingToRollBack");
        } catch (ReadModelRebuild.PreviousNotKept notKept) {
            throw new QueryProblem(QueryProblem.Code.CONFLICT, null, "previousNotKept", notKept.getMessage());
        }
    }

    @PostMapping("/retire")
    public ReadModelRebuild.Progress retire(@PathVariable String readModel) {
        ReadModelRebuild<?> rebuild = rebuild(readModel);
        try {
            return rebuild.retire();
        } catch (ReadModelRebuild.NothingToRetire nothing) {
            throw new QueryProblem(QueryProblem.Code.CONFLICT, null, "nothingToRetire");
        }
    }

    @PostMapping("/abandon")
    public ReadModelRebuild.Progress abandon(@PathVariable String readModel) {
        ReadModelRebuild<?> rebuild = rebuild(readModel);
        try {
            return rebuild.abandon();
        } catch (ReadModelRebuild.NothingToAbandon nothing) {
            throw new QueryProblem(QueryProblem.Code.CONFLICT, null, "nothingToAbandon");
        }
    }

    /** Operators only (checked first, whatever the read model named); an unknown read model is 404. */
    private ReadModelRebuild<?> rebuild(String readModel) {
        if (!AccessPolicy.mayOperate(Callers.current())) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "operatorsOnly");
        }
        ReadModelRebuild<?> rebuild = rebuilds.get(readModel);
        if (rebuild == null) {
            throw new QueryProblem(QueryProblem.Code.NOT_FOUND, "readModel", "noSuchReadModel",
                    String.join(", ", new java.util.TreeSet<>(rebuilds.keySet())));
        }
        return rebuild;
    }
}
