package vn.hoso.query.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.calendar.CalendarNotAvailableException;
import vn.hoso.calendar.Timeliness;
import vn.hoso.calendar.WorkingCalendar;
import vn.hoso.access.AccessPolicy;
import vn.hoso.access.AccessPolicy.Scope;
import vn.hoso.access.Caller;
import vn.hoso.events.DossierStatus;
import vn.hoso.query.web.Callers;
import vn.hoso.query.web.QueryProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Searching dossiers: free text over the applicant's name and the procedure (with or without Vietnamese
 * diacritics), an exact applicant ID (hashed, never stored raw), filters, sort, facet counts and stable cursor
 * pagination. Officers and agency systems search their own agency; inspectors and analysts all agencies. Citizens
 * and businesses list their own dossiers.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
public class SearchController {

    private static final java.util.regex.Pattern APPLICANT_ID = java.util.regex.Pattern.compile("\\d{12}|\\d{10}(-\\d{3})?");
    private static final Set<String> SORTS = Set.of("dueAt", "submittedAt", "lastEventAt", "receivedAt");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SearchIndex index;
    private final ApplicantIdHasher idHasher;
    private final WorkingCalendar calendar;
    private final Clock clock;

    public SearchController(SearchIndex index, ApplicantIdHasher idHasher, WorkingCalendar calendar, Clock clock) {
        this.index = index;
        this.idHasher = idHasher;
        this.calendar = calendar;
        this.clock = clock;
    }

    /** One dossier in a result list (no applicant ID, not even hashed). */
    public record Item(String dossierId, String dossierCode, String procedureCode, String procedureName,
                       String agencyCode, String applicantName, String status, int statusCode, String channel,
                       Instant submittedAt, Instant receivedAt, Instant dueAt, Instant statutoryDueAt,
                       boolean dueAtProvisional, boolean paused,
                       boolean late, String currentUnit, Instant resultIssuedAt, Boolean onTime, String ratingLevel,
                       long version) {
    }

    public record Page(long total, List<Item> items, Map<String, Map<String, Long>> facets, String nextCursor) {
    }

    /**
     * Search criteria in a body: the text searched for (a name, most often: personal data) never goes in a URL
     * (DOMAIN.md). Absent fields: no filter; {@code sort} lastEventAt, {@code order} desc, {@code size} 20.
     */
    public record SearchBody(String q, String agency, List<String> status, String procedure, Boolean open,
                             Boolean late, String sort, String order, String cursor, Integer size) {
    }

    /**
     * Search by filters that carry no personal data; to search by name or applicant ID, {@code POST} the criteria
     * (a {@code q} or {@code applicantId} in the URL is refused, so that no client keeps sending them there).
     */
    @GetMapping("/search/dossiers")
    public Page search(@RequestParam(required = false) String q,
                       @RequestParam(required = false) String applicantId,
                       @RequestParam(required = false) String agency,
                       @RequestParam(required = false) List<String> status,
                       @RequestParam(required = false) String procedure,
                       @RequestParam(required = false) Boolean open,
                       @RequestParam(required = false) Boolean late,
                       @RequestParam(defaultValue = "lastEventAt") String sort,
                       @RequestParam(defaultValue = "desc") String order,
                       @RequestParam(required = false) String cursor,
                       @RequestParam(defaultValue = "20") int size) {
        if (q != null || applicantId != null) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, q != null ? "q" : "applicantId",
                    "personalDataInUrl");
        }
        return searchByText(new SearchBody(null, agency, status, procedure, open, late, sort, order, cursor, size));
    }

    /** Search with free text ({@code q}: applicant and procedure names, with or without diacritics) and filters. */
    @PostMapping(path = "/search/dossiers", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Page searchByText(@RequestBody SearchBody criteria) {
        SearchBody c = criteria == null ? new SearchBody(null, null, null, null, null, null, null, null, null, null)
                : criteria;
        String q = c.q();
        String agency = c.agency();
        List<String> status = c.status();
        String procedure = c.procedure();
        Boolean open = c.open();
        Boolean late = c.late();
        String sort = c.sort() == null ? "lastEventAt" : c.sort();
        String order = c.order() == null ? "desc" : c.order();
        String cursor = c.cursor();
        int size = c.size() == null ? 20 : c.size();
        String scopedAgency = searchableAgency(Callers.current(), agency);
        BoolQuery.Builder bool = new BoolQuery.Builder();
        if (q != null && !q.isBlank()) {
            String folded = VietnameseText.fold(q);
            bool.must(m -> m.multiMatch(mm -> mm.query(folded)
                    .fields("applicantNameFolded^2", "procedureNameFolded").operator(Operator.And)));
        }
        if (scopedAgency != null) {
            bool.filter(f -> f.term(t -> t.field("agencyCode").value(scopedAgency)));
        }
        if (status != null && !status.isEmpty()) {
            List<FieldValue> states = status.stream().map(SearchController::statusName).map(FieldValue::of).toList();
            bool.filter(f -> f.terms(t -> t.field("status").terms(v -> v.value(states))));
        }
        if (procedure != null) {
            bool.filter(f -> f.term(t -> t.field("procedureCode").value(procedure)));
        }
        if (open != null) {
            bool.filter(f -> f.term(t -> t.field("open").value(open)));
        }
        Instant now = clock.instant();
        if (late != null) {
            if (late) {
                bool.filter(LateNow.query(now));
            } else {
                bool.mustNot(LateNow.query(now));
            }
        }
        return page(bool.build(), sort, order, cursor, size, now);
    }

    /** An applicant-ID lookup: the ID travels in the body, never in a URL (DOMAIN.md: personal data). */
    public record ApplicantLookup(String applicantId, String cursor, Integer size) {
    }

    /**
     * The dossiers of one applicant (a citizen ID or tax code, matched exactly through its keyed hash), within what
     * the caller may search: an officer its agency's, an inspector every agency's. Newest first.
     */
    @PostMapping(path = "/search/dossiers/by-applicant-id", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Page byApplicantId(@RequestBody ApplicantLookup lookup) {
        String scopedAgency = searchableAgency(Callers.current(), null);
        if (lookup == null || lookup.applicantId() == null || !APPLICANT_ID.matcher(lookup.applicantId()).matches()) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "applicantId", "applicantId");
        }
        BoolQuery.Builder bool = new BoolQuery.Builder()
                .filter(f -> f.term(t -> t.field("applicantIdHash").value(idHasher.hash(lookup.applicantId()))));
        if (scopedAgency != null) {
            bool.filter(f -> f.term(t -> t.field("agencyCode").value(scopedAgency)));
        }
        return page(bool.build(), "submittedAt", "desc", lookup.cursor(), lookup.size() == null ? 20 : lookup.size(),
                clock.instant());
    }

    /**
     * The agency a search is limited to ({@link AccessPolicy#dossiersVisibleTo}): an officer's or agency system's
     * own (asking for another is refused), the one an inspector names (or none: every agency). Citizens and
     * businesses list theirs at {@code /my/dossiers}; nobody else searches dossiers.
     */
    private static String searchableAgency(Caller caller, String agency) {
        Scope scope = AccessPolicy.dossiersVisibleTo(caller);
        if (scope instanceof Scope.Every) {
            return agency;
        }
        if (scope instanceof Scope.OfAgency own) {
            if (agency != null && !agency.equals(own.agencyCode())) {
                throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, "agency", "ownAgencyOnly");
            }
            return own.agencyCode();
        }
        if (scope instanceof Scope.OfApplicant) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "applicantsListTheirOwn");
        }
        throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "searchOfficersOnly");
    }

    /**
     * The officer queue: the caller's agency's open dossiers, soonest due first; filter by state, by "due within N
     * working days" (counted on the working calendar from now: a question about the future, not a recomputation of
     * history) and by "late" ({@link LateNow}: statutory due date passed, not paused, no result yet). Dossiers not yet received have no due date and come last.
     */
    @GetMapping("/queue")
    public Page queue(@RequestParam(required = false) List<String> status,
                      @RequestParam(required = false) Integer dueWithinWorkingDays,
                      @RequestParam(required = false) Boolean late,
                      @RequestParam(required = false) String cursor,
                      @RequestParam(defaultValue = "20") int size) {
        if (!(AccessPolicy.dossiersVisibleTo(Callers.current()) instanceof Scope.OfAgency own)) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "queueAgencyOnly");
        }
        BoolQuery.Builder bool = new BoolQuery.Builder()
                .filter(f -> f.term(t -> t.field("agencyCode").value(own.agencyCode())))
                .filter(f -> f.term(t -> t.field("open").value(true)));
        if (status != null && !status.isEmpty()) {
            List<FieldValue> states = status.stream().map(SearchController::statusName).map(FieldValue::of).toList();
            bool.filter(f -> f.terms(t -> t.field("status").terms(v -> v.value(states))));
        }
        Instant now = clock.instant();
        if (dueWithinWorkingDays != null) {
            if (dueWithinWorkingDays < 0 || dueWithinWorkingDays > 365) {
                throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "dueWithinWorkingDays", "between", 0, 365);
            }
            String cutoff;
            try {
                cutoff = calendar.addWorkingDays(now, dueWithinWorkingDays).toString();
            } catch (CalendarNotAvailableException beyond) {
                throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "dueWithinWorkingDays",
                        "beyondCalendar", String.valueOf(calendar.lastYear()));
            }
            bool.filter(f -> f.range(r -> r.date(d -> d.field("dueAt").lte(cutoff))));
        }
        if (late != null) {
            if (late) {
                bool.filter(LateNow.query(now));
            } else {
                bool.mustNot(LateNow.query(now));
            }
        }
        return page(bool.build(), "dueAt", "asc", cursor, size, now);
    }

    @GetMapping("/my/dossiers")
    public Page mine(@RequestParam(required = false) String cursor, @RequestParam(defaultValue = "20") int size) {
        if (!(AccessPolicy.dossiersVisibleTo(Callers.current()) instanceof Scope.OfApplicant mine)) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "applicantsOnly");
        }
        // the dossiers it submitted, and those it is the applicant of (registered for it at a desk, for instance)
        BoolQuery.Builder owned = new BoolQuery.Builder().minimumShouldMatch("1")
                .should(f -> f.term(t -> t.field("ownerId").value(mine.accountId())));
        if (mine.applicantId() != null) {
            owned.should(f -> f.term(t -> t.field("applicantIdHash").value(idHasher.hash(mine.applicantId()))));
        }
        return page(owned.build(), "submittedAt", "desc", cursor, size, clock.instant());
    }

    private Page page(BoolQuery query, String sort, String order, String cursor, int size, Instant now) {
        if (!SORTS.contains(sort)) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "sort", "oneOf", String.join(", ", SORTS));
        }
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "order", "oneOf", "asc, desc");
        }
        if (size < 1 || size > 200) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "size", "between", 1, 200);
        }
        SortOrder direction = order.equals("asc") ? SortOrder.Asc : SortOrder.Desc;
        List<FieldValue> after = decodeCursor(cursor);
        try {
            SearchResponse<DossierDocument> response = index.client().search(s -> {
                s.index(index.alias()).query(qb -> qb.bool(query)).size(size).trackTotalHits(t -> t.enabled(true))
                        .sort(so -> so.field(f -> f.field(sort).order(direction).missing("_last")))
                        .sort(so -> so.field(f -> f.field("dossierId").order(SortOrder.Asc)))
                        .aggregations("status", a -> a.terms(t -> t.field("status").size(10)))
                        .aggregations("procedureCode", a -> a.terms(t -> t.field("procedureCode").size(50)))
                        .aggregations("agencyCode", a -> a.terms(t -> t.field("agencyCode").size(100)));
                if (!after.isEmpty()) {
                    s.searchAfter(after);
                }
                return s;
            }, DossierDocument.class);
            List<Item> items = new ArrayList<>();
            List<FieldValue> lastSort = List.of();
            for (Hit<DossierDocument> hit : response.hits().hits()) {
                DossierDocument d = hit.source();
                items.add(new Item(d.dossierId, d.dossierCode, d.procedureCode, d.procedureName, d.agencyCode,
                        d.applicantName, d.status, d.statusCode, d.channel, d.submittedAt, d.receivedAt, d.dueAt,
                        d.statutoryDueAt, d.dueAtProvisional, d.paused,
                        Timeliness.lateNow(d.status, d.statutoryDueAt, now),
                        d.currentUnit, d.resultIssuedAt, d.onTime, d.ratingLevel, d.lastSequence));
                lastSort = hit.sort();
            }
            Map<String, Map<String, Long>> facets = new LinkedHashMap<>();
            for (String facet : List.of("status", "procedureCode", "agencyCode")) {
                Map<String, Long> counts = new LinkedHashMap<>();
                for (StringTermsBucket bucket : response.aggregations().get(facet).sterms().buckets().array()) {
                    counts.put(bucket.key().stringValue(), bucket.docCount());
                }
                facets.put(facet, counts);
            }
            long total = response.hits().total() == null ? items.size() : response.hits().total().value();
            String next = items.size() == size ? encodeCursor(lastSort) : null;
            return new Page(total, items, facets, next);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String statusName(String value) {
        if (value == null) {
            // a null member of the status array
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "status", "status");
        }
        try {
            int code = Integer.parseInt(value);
            return DossierStatus.ofCode(code).map(Enum::name).orElseThrow(
                    () -> new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "status", "status"));
        } catch (NumberFormatException notACode) {
            try {
                return DossierStatus.valueOf(value).name();
            } catch (IllegalArgumentException e) {
                throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "status", "status");
            }
        }
    }

    private static String encodeCursor(List<FieldValue> sortValues) {
        List<Object> plain = sortValues.stream().map(FieldValue::_get).toList();
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(plain));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<FieldValue> decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return List.of();
        }
        if (cursor.length() > 1000) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "cursor", "cursor");
        }
        try {
            List<Object> values = JSON.readValue(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8),
                    new TypeReference<>() { });
            // exactly what page() issues: the sort date (epoch milliseconds; missing dates sort as a number too)
            // and the dossier id; anything else (null members above all) would reach Elasticsearch as a bad request
            if (values == null || values.size() != 2 || !(values.get(0) instanceof Number date)
                    || !(values.get(1) instanceof String dossierId)) {
                throw new IllegalArgumentException("not a search cursor");
            }
            return List.of(FieldValue.of(date.longValue()), FieldValue.of(dossierId));
        } catch (IllegalArgumentException | IOException e) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "cursor", "cursor");
        }
    }

}
