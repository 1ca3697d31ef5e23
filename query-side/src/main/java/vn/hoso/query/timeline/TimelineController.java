package vn.hoso.query.timeline;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.calendar.Timeliness;
import vn.hoso.access.AccessPolicy;
import vn.hoso.access.Caller;
import vn.hoso.query.search.ApplicantIdHasher;
import vn.hoso.query.web.Callers;
import vn.hoso.query.web.QueryProblem;
import vn.hoso.query.web.ReadYourWrites;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** A dossier's timeline, by id or by dossier code: for its owner, its agency and inspectors. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
public class TimelineController {

    private final TimelineStore store;
    private final ApplicantIdHasher idHasher;
    private final ReadYourWrites readYourWrites;
    private final Clock clock;

    public TimelineController(TimelineStore store, ApplicantIdHasher idHasher, ReadYourWrites readYourWrites,
                              Clock clock) {
        this.store = store;
        this.readYourWrites = readYourWrites;
        this.idHasher = idHasher;
        this.clock = clock;
    }

    /** A timeline as its reader gets it: with whether the dossier is late now ({@link Timeliness}), asked now. */
    public record TimelineView(@JsonUnwrapped Timeline timeline, boolean lateNow) {
    }

    /**
     * A dossier's timeline, for whoever may see the dossier ({@link AccessPolicy#maySee}); anyone else gets the answer
     * for an absent dossier, and a {@code minVersion} wait sees only what the caller may see.
     */
    @GetMapping("/dossiers/{dossierId}/timeline")
    public Object byId(@PathVariable String dossierId, @RequestParam(required = false) Long minVersion) {
        Caller caller = Callers.current();
        return readYourWrites.answer(dossierId, minVersion, () -> visible(caller, dossierId),
                read -> read.map(Timeline::lastSequence).orElse(-1L), read -> {
                    Timeline timeline = read.orElseThrow(TimelineController::notFound);
                    return new TimelineView(timeline.forReader(), Timeliness.lateNow(timeline.status(),
                            timeline.statutoryDueAt(), clock.instant()));
                });
    }

    /** One page of a timeline's archived steps: its earliest, {@code TimelineStore.PAGE} to a page. */
    public record ArchivedSteps(String dossierId, int page, int archivedSteps, List<Timeline.Step> steps) {
    }

    /**
     * The earliest steps of a long timeline, which the timeline itself no longer holds ({@code archivedSteps} of
     * them): page 0 the earliest; a page past the last is empty. Whoever may read the timeline may read its pages.
     * A page the timeline archived but the store lacks is damage: an error, never a page shown empty.
     */
    @GetMapping("/dossiers/{dossierId}/timeline/archived-steps")
    public ArchivedSteps archivedSteps(@PathVariable String dossierId, @RequestParam(defaultValue = "0") int page) {
        Caller caller = Callers.current();
        String version = store.readVersion(); // the timeline and its page from one version, whatever a rebuild does
        Timeline timeline = visible(caller, version, dossierId).orElseThrow(TimelineController::notFound);
        if (page < 0) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "page", "notNegative");
        }
        List<Timeline.Step> steps = page < timeline.archivedSteps() / TimelineStore.PAGE
                ? store.archivedPage(version, dossierId, page) : List.of();
        return new ArchivedSteps(dossierId, page, timeline.archivedSteps(), steps);
    }

    @GetMapping("/dossier-codes/{dossierCode}/timeline")
    public TimelineView byCode(@PathVariable String dossierCode) {
        Caller caller = Callers.current(); // who asks, before anything is looked up
        String dossierId = store.dossierIdForCode(dossierCode).orElseThrow(TimelineController::notFound);
        Timeline timeline = visible(caller, dossierId).orElseThrow(TimelineController::notFound);
        return new TimelineView(timeline.forReader(), Timeliness.lateNow(timeline.status(), timeline.statutoryDueAt(),
                clock.instant()));
    }

    private Optional<Timeline> visible(Caller caller, String dossierId) {
        return visible(caller, store.readVersion(), dossierId);
    }

    private Optional<Timeline> visible(Caller caller, String version, String dossierId) {
        return store.find(version, dossierId).filter(t -> AccessPolicy.maySee(caller, new AccessPolicy.DossierFacts(
                t.agencyCode(), t.ownerId(), claim -> t.applicantIdHash() != null
                && t.applicantIdHash().equals(idHasher.hash(claim)))));
    }

    private static QueryProblem notFound() {
        return new QueryProblem(QueryProblem.Code.DOSSIER_NOT_FOUND, null, "noDossier");
    }
}
