package vn.hoso.query.statistics;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import vn.hoso.access.AccessPolicy;
import vn.hoso.calendar.Timeliness;
import vn.hoso.query.search.SearchIndex;
import vn.hoso.query.web.Callers;
import vn.hoso.query.web.QueryProblem;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/v1/audit/breaches?kind=}: the dossiers in one kind of breach ({@link Breach}), for inspectors,
 * filtered by agency, procedure and period (submission days, as in the timeliness report, so that for the same
 * filters and instant a list's total equals the report's count), newest submission first, paged by a cursor with the
 * exact total however many there are; as JSON, or as CSV with every row, streamed as it is read, then a last line
 * {@code TOTAL,<rows>} (a list cut short by a failure lacks it). Each row names the dossier by its id and
 * code, with its agency, procedure and times: never its applicant.
 */
@RestController
@RequestMapping(path = "/api/v1/audit")
public class BreachController {

    /** What a row shows: no applicant name, ID or owner, ever. */
    static final List<String> COLUMNS = List.of("dossierId", "dossierCode", "agencyCode", "procedureCode", "status",
            "submittedAt", "receivedAt", "statutoryDueAt", "dueAt", "extended", "resultIssuedAt", "resultRecordedAt",
            "onTime", "supplementRequests", "replyBy", "pausesPastReplyBy", "reportLatenessMinutes");
    private static final int MAX_CODE = 100;
    /** The longest threshold of a late report a caller may ask for: the most a report may be late (30 days) is less. */
    private static final long MAX_THRESHOLD_MINUTES = 366L * 24 * 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SearchIndex index;
    private final Clock clock;
    private final TimeProperties time;
    /** The API's own JSON writer (dates as ISO text, no nulls dropped that the client reads). */
    private final ObjectMapper json;

    public BreachController(SearchIndex index, Clock clock, TimeProperties time, ObjectMapper json) {
        this.index = index;
        this.clock = clock;
        this.time = time;
        this.json = json;
    }

    /** A filtered list: the kind, its query, and the threshold it applied to late reports. */
    private record Listing(Breach kind, BoolQuery query, long lateReportThresholdMinutes, Instant at) {
    }

    private record Page(List<Map<String, Object>> items, long total, String next) {
    }

    @GetMapping("/breaches")
    public ResponseEntity<StreamingResponseBody> breaches(@RequestParam(required = false) String kind,
                                      @RequestParam(required = false) String agency,
                                      @RequestParam(required = false) String procedure,
                                      @RequestParam(required = false) LocalDate from,
                                      @RequestParam(required = false) LocalDate to,
                                      @RequestParam(required = false) Long lateReportThresholdMinutes,
                                      @RequestParam(defaultValue = "json") String format,
                                      @RequestParam(defaultValue = "100") int size,
                                      @RequestParam(required = false) String after) {
        if (!AccessPolicy.mayAudit(Callers.current())) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "inspectorsOnly");
        }
        Breach breach;
        try {
            // required, and told only to an inspector: the list's existence is no one else's business
            breach = Breach.valueOf(String.valueOf(kind).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "kind", "oneOf",
                    Arrays.toString(Breach.values()));
        }
        checkCode("agency", agency);
        checkCode("procedure", procedure);
        ReportController.checkPeriod(from, to);
        long threshold = lateReportThresholdMinutes == null ? time.lateReportThreshold().toMinutes()
                : lateReportThresholdMinutes;
        if (threshold < 0 || threshold > MAX_THRESHOLD_MINUTES) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "lateReportThresholdMinutes", "between", 0,
                    MAX_THRESHOLD_MINUTES);
        }
        if (!format.equals("json") && !format.equals("csv")) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "format", "format");
        }
        if (size < 1 || size > ReportController.MAX_PAGE) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "size", "between", 1, ReportController.MAX_PAGE);
        }
        List<FieldValue> start = decode(after);
        Instant now = clock.instant();
        BoolQuery.Builder bool = new BoolQuery.Builder().filter(breach.query(now, threshold));
        if (agency != null) {
            bool.filter(f -> f.term(t -> t.field("agencyCode").value(agency)));
        }
        if (procedure != null) {
            bool.filter(f -> f.term(t -> t.field("procedureCode").value(procedure)));
        }
        var period = ReportController.period("submittedAt", from, to);
        if (period != null) {
            bool.filter(period);
        }
        Listing listing = new Listing(breach, bool.build(), threshold, now);
        if (format.equals("json")) {
            Page page = page(listing, size, start, true);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("kind", breach);
            body.put("at", now);
            body.put("lateReportThresholdMinutes", threshold);
            body.put("total", page.total());
            body.put("items", page.items());
            body.put("next", page.next());
            // one return type for both formats: Spring streams a StreamingResponseBody only when declared as one
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(out -> json.writeValue(out, body));
        }
        // every row, page after page, written as it is read: a list of a million dossiers is never held whole
        Page first = page(listing, ReportController.MAX_PAGE, start, true);
        StreamingResponseBody csv = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write(String.join(",", COLUMNS) + "\r\n");
            Page page = first;
            long rows = 0;
            while (true) {
                for (Map<String, Object> item : page.items()) {
                    rows++;
                    List<String> cells = new ArrayList<>();
                    COLUMNS.forEach(c -> cells.add(ReportController.csvCell(item.get(c))));
                    writer.write(String.join(",", cells) + "\r\n");
                }
                if (page.next() == null) {
                    break;
                }
                page = page(listing, ReportController.MAX_PAGE, decode(page.next()), false);
            }
            // the last line says the list is whole: a list cut short (a failure while it streams) lacks it
            writer.write("TOTAL," + rows + "\r\n");
            writer.flush();
        };
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header("Content-Disposition", "attachment; filename=\"breaches-" + breach.name().toLowerCase(
                        Locale.ROOT) + ".csv\"")
                .header("X-Total-Count", String.valueOf(first.total()))
                .body(csv);
    }

    /** One page; the exact total only when asked ({@code total}: the CSV's later pages do not count again). */
    private Page page(Listing listing, int size, List<FieldValue> after, boolean total) {
        try {
            SearchResponse<JsonNode> response = index.client().search(s -> {
                s.index(index.alias()).size(size).trackTotalHits(t -> t.enabled(total))
                        .query(q -> q.bool(listing.query()))
                        .source(src -> src.filter(f -> f.includes(COLUMNS)))
                        .sort(o -> o.field(f -> f.field("submittedAt").order(SortOrder.Desc)))
                        .sort(o -> o.field(f -> f.field("dossierId").order(SortOrder.Desc)));
                if (after != null) {
                    s.searchAfter(after);
                }
                return s;
            }, JsonNode.class);
            List<Map<String, Object>> items = new ArrayList<>();
            List<FieldValue> last = null;
            for (Hit<JsonNode> hit : response.hits().hits()) {
                JsonNode source = hit.source();
                Map<String, Object> item = new LinkedHashMap<>();
                for (String column : COLUMNS) {
                    JsonNode value = source == null ? null : source.get(column);
                    item.put(column, value == null || value.isNull() ? null
                            : value.isBoolean() ? value.asBoolean() : value.isNumber() ? value.numberValue()
                            : value.asText());
                }
                String status = (String) item.get("status");
                String statutory = (String) item.get("statutoryDueAt");
                item.put("lateNow", Timeliness.lateNow(status, statutory == null ? null : Instant.parse(statutory),
                        listing.at()));
                items.add(item);
                last = hit.sort();
            }
            long count = response.hits().total() == null ? -1 : response.hits().total().value();
            String next = items.size() == size && last != null ? encode(last) : null;
            return new Page(items, count, next);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkCode(String field, String code) {
        if (code != null && (code.isBlank() || code.length() > MAX_CODE)) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, field, "between", 1, MAX_CODE);
        }
    }

    private static String encode(List<FieldValue> sort) {
        List<Object> plain = sort.stream().map(FieldValue::_get).toList();
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(plain));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cursor this service issued: [submission time in epoch milliseconds, dossier id]. */
    private static List<FieldValue> decode(String after) {
        if (after == null || after.isBlank()) {
            return null;
        }
        try {
            JsonNode node = after.length() > 400 ? null : JSON.readTree(Base64.getUrlDecoder().decode(after));
            if (node == null || !node.isArray() || node.size() != 2 || !node.get(0).isIntegralNumber()
                    || !node.get(1).isTextual() || node.get(1).asText().length() > 200) {
                throw new IllegalArgumentException("not a breach-list cursor");
            }
            return List.of(FieldValue.of(node.get(0).asLong()), FieldValue.of(node.get(1).asText()));
        } catch (IllegalArgumentException | IOException e) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "after", "cursor");
        }
    }
}
