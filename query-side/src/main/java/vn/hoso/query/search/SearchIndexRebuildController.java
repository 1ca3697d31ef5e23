package vn.hoso.query.search;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.access.AccessPolicy;
import vn.hoso.query.web.Callers;
import vn.hoso.query.web.QueryProblem;

/**
 * Operators rebuild the search index beside the live one ({@link SearchIndexRebuild}):
 * {@code POST /api/v1/operator/rebuilds/search-index} starts one (202; 409 while one is under way),
 * {@code GET} the same follows it (events done and in the store, rate, time left, the check, the switch),
 * {@code POST .../rollback} switches back to the previous version while it is kept.
 */
@RestController
@RequestMapping(path = "/api/v1/operator/rebuilds/search-index", produces = MediaType.APPLICATION_JSON_VALUE)
public class SearchIndexRebuildController {

    private final SearchIndexRebuild rebuild;

    public SearchIndexRebuildController(SearchIndexRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @PostMapping
    public ResponseEntity<SearchIndexRebuild.Progress> start() {
        authorise();
        try {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(rebuild.start());
        } catch (SearchIndexRebuild.AlreadyRunning running) {
            throw new QueryProblem(QueryProblem.Code.CONFLICT, null, "rebuildRunning", running.getMessage());
        }
    }

    @GetMapping
    public SearchIndexRebuild.Progress progress() {
        authorise();
        return rebuild.progress().orElseThrow(() -> new QueryProblem(QueryProblem.Code.NOT_FOUND, null, "noRebuild"));
    }

    @PostMapping("/rollback")
    public SearchIndexRebuild.Progress rollBack() {
        authorise();
        try {
            return rebuild.rollBack();
        } catch (SearchIndexRebuild.NothingToRollBack nothing) {
            throw new QueryProblem(QueryProblem.Code.CONFLICT, null, "nothingToRollBack");
        }
    }

    private static void authorise() {
        if (!AccessPolicy.mayOperate(Callers.current())) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "operatorsOnly");
        }
    }
}
