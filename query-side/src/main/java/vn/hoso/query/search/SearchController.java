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
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.calendar.CalendarNotAvailableException;
import vn.hoso.calendar.Timeliness;
import vn.hoso.calendar.WorkingCalendar;
import vn.hoso.events.DossierStatus;
import vn.hoso.query.web.Caller;
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
                       @RequestParam(defaultValue = "20") int size,
                       HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (caller.role().canOwnDossiers()) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "citizens list their own dossiers at /api/v1/my/dossiers");
        }
        String scopedAgency = caller.role().actsForAgency() ? caller.agencyCode() : agency;
        if (caller.role().actsForAgency() && agency != null && !agency.equals(caller.agencyCode())) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, "agency", "officers search their own agency only");
        }
        BoolQuery.Builder bool = new BoolQuery.Builder();
        if (q != null && !q.isBlank()) {
            String folded = VietnameseText.fold(q);
            bool.must(m -> m.multiMatch(mm -> mm.query(folded)
                    .fields("applicantNameFolded^2", "procedureNameFolded").operator(Operator.And)));
        }
        if (applicantId != null && !applicantId.isBlank()) {
            bool.filter(f -> f.term(t -> t.field("applicantIdHash").value(idHasher.hash(applicantId))));
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
                      @RequestParam(defaultValue = "20") int size,
                      HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (!caller.role().actsForAgency()) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "the queue is an agency's: officers and agency systems");
        }
        BoolQuery.Builder bool = new BoolQuery.Builder()
                .filter(f -> f.term(t -> t.field("agencyCode").value(caller.agencyCode())))
                .filter(f -> f.term(t -> t.field("open").value(true)));
        if (status != null && !status.isEmpty()) {
            List<FieldValue> states = status.stream().map(SearchController::statusName).map(FieldValue::of).toList();
            bool.filter(f -> f.terms(t -> t.field("status").terms(v -> v.value(states))));
        }
        Instant now = clock.instant();
        if (dueWithinWorkingDays != null) {
            if (dueWithinWorkingDays < 0 || dueWithinWorkingDays > 365) {
                throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "dueWithinWorkingDays", "between 0 and 365");
            }
            String cutoff;
            try {
                cutoff = calendar.addWorkingDays(now, dueWithinWorkingDays).toString();
            } catch (CalendarNotAvailableException beyond) {
                throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "dueWithinWorkingDays",
                        "the working calendar does not reach that far (it ends with " + calendar.lastYear() + ")");
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
    public Page mine(@RequestParam(required = false) String cursor, @RequestParam(defaultValue = "20") int size,
                     HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (!caller.role().canOwnDossiers()) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "only citizens and businesses own dossiers");
        }
        BoolQuery owned = new BoolQuery.Builder().filter(f -> f.term(t -> t.field("ownerId").value(caller.id()))).build();
        return page(owned, "submittedAt", "desc", cursor, size, clock.instant());
    }

    private Page page(BoolQuery query, String sort, String order, String cursor, int size, Instant now) {
        if (!SORTS.contains(sort)) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "sort", "one of " + SORTS);
        }
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "order", "asc or desc");
        }
        if (size < 1 || size > 200) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "size", "between 1 and 200");
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
        try {
            int code = Integer.parseInt(value);
            return DossierStatus.ofCode(code).map(Enum::name).orElseThrow(
                    () -> new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "status", "a state name or code 1-10"));
        } catch (NumberFormatException notACode) {
            try {
                return DossierStatus.valueOf(value).name();
            } catch (IllegalArgumentException e) {
                throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "status", "a state name or code 1-10");
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
        try {
            List<Object> values = JSON.readValue(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8),
                    new TypeReference<>() { });
            return values.stream().map(v -> v == null ? FieldValue.NULL : v instanceof Number n
                    ? FieldValue.of(n.longValue()) : FieldValue.of(v.toString())).toList();
        } catch (IllegalArgumentException | IOException e) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "cursor", "not a cursor this service issued");
        }
    }

}
