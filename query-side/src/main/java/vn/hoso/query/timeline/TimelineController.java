package vn.hoso.query.timeline;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.calendar.Timeliness;
import vn.hoso.query.web.Caller;
import vn.hoso.query.web.QueryProblem;
import vn.hoso.query.web.ReadYourWrites;

import java.time.Clock;

/** A dossier's timeline, by id or by dossier code: for its owner, its agency and inspectors. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
public class TimelineController {

    private final TimelineStore store;
    private final Clock clock;

    public TimelineController(TimelineStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A timeline as its reader gets it: with whether the dossier is late now ({@link Timeliness}), asked now. */
    public record TimelineView(@JsonUnwrapped Timeline timeline, boolean lateNow) {
    }

    @GetMapping("/dossiers/{dossierId}/timeline")
    public TimelineView byId(@PathVariable String dossierId, @RequestParam(required = false) Long minVersion,
                         HttpServletRequest request) {
        Caller caller = Caller.of(request);
        ReadYourWrites.await(minVersion, () -> store.find(dossierId).map(Timeline::lastSequence).orElse(-1L));
        Timeline timeline = store.find(dossierId).orElseThrow(() -> notFound());
        if (!caller.mayRead(timeline.agencyCode(), timeline.ownerId())) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "this dossier is not yours to read");
        }
        return new TimelineView(timeline, Timeliness.lateNow(timeline.status(), timeline.statutoryDueAt(),
                clock.instant()));
    }

    @GetMapping("/dossier-codes/{dossierCode}/timeline")
    public TimelineView byCode(@PathVariable String dossierCode, HttpServletRequest request) {
        String dossierId = store.dossierIdForCode(dossierCode).orElseThrow(() -> notFound());
        return byId(dossierId, null, request);
    }

    private static QueryProblem notFound() {
        return new QueryProblem(QueryProblem.Code.DOSSIER_NOT_FOUND, null, "there is no such dossier (yet)");
    }
}
