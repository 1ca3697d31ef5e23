package vn.hoso.query.statistics;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.Time;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.query.search.SearchIndex;
import vn.hoso.access.AccessPolicy;
import vn.hoso.query.web.Callers;
import vn.hoso.query.web.QueryProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code GET /api/v1/reports/satisfaction} and {@code /timeliness}, grouped by {@code agency}, {@code procedure},
 * {@code month}, {@code quarter} or {@code year} (periods in Vietnam's time zone), as JSON or ({@code format=csv})
 * CSV. Satisfaction counts ratings by the time they were given; timeliness counts dossiers by submission time.
 */
@RestController
@RequestMapping(path = "/api/v1/reports")
public class ReportController {

    /** The criteria of the default rating scheme (provincial-9x2), reported as average points. */
    static final List<String> CRITERIA = List.of("TOTAL_TIME_AGAINST_LIMIT", "TIME_AT_EACH_UNIT", "NUMBER_OF_CONTACTS",
            "NUMBER_OF_AGENCIES_CONTACTED", "HANDLED_AT_ONE_STOP_DESK", "PROCEDURE_PUBLISHED", "STAFF_ATTITUDE",
            "FEEDBACK_HANDLING", "ONLINE_SERVICE_QUALITY");
    static final List<String> LEVELS = List.of("VERY_SATISFIED", "SATISFIED", "DISSATISFIED");
    /** The periods a report may ask about: the portal's years, with room on both sides. */
    private static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);
    private static final LocalDate LATEST = LocalDate.of(2100, 12, 31);

    private static LocalDate orEpoch(LocalDate date) {
        return date == null ? EARLIEST : date;
    }

    /** The most groups in one page of a JSON report (and per request to Elasticsearch for a CSV one). */
    static final int MAX_PAGE = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** DOMAIN.md: every date is in Vietnam's time zone (reports' periods, breach lists' reply-by dates). */
    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

    private final SearchIndex index;
    private final Clock clock;

    public ReportController(SearchIndex index, Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    @GetMapping("/satisfaction")
    public ResponseEntity<?> satisfaction(@RequestParam(defaultValue = "agency") String groupBy,
                                          @RequestParam(required = false) LocalDate from,
                                          @RequestParam(required = false) LocalDate to,
                                          @RequestParam(defaultValue = "json") String format,
                                          @RequestParam(defaultValue = "1000") int size,
                                          @RequestParam(required = false) String after) {
        authorise();
        Map<String, Aggregation> metrics = new LinkedHashMap<>();
        for (String level : LEVELS) {
            metrics.put("level_" + level, Aggregation.of(a -> a.filter(f -> f.term(t -> t.field("ratingLevel").value(level)))));
        }
        for (String criterion : CRITERIA) {
            metrics.put("criterion_" + criterion, Aggregation.of(a -> a.avg(v -> v.field("ratingCriteria." + criterion))));
        }
        metrics.put("points", Aggregation.of(a -> a.avg(v -> v.field("ratingPoints"))));
        RowBuilder rowBuilder = (key, count, aggs) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("group", key);
                    row.put("ratings", count);
                    for (String level : LEVELS) {
                        long n = aggs.get("level_" + level).filter().docCount();
                        row.put(level, n);
                        row.put(level + "_share", share(n, count));
                    }
                    row.put("averagePoints", round(aggs.get("points").avg().value()));
                    for (String criterion : CRITERIA) {
                        row.put(criterion, round(aggs.get("criterion_" + criterion).avg().value()));
                    }
                    return row;
                };
        return answer(new Report(groupBy, "ratedAt", from, to, b -> b.filter(f -> f.exists(e -> e.field("ratingLevel"))),
                metrics, rowBuilder), format, size, after);
    }

    @GetMapping("/timeliness")
    public ResponseEntity<?> timeliness(@RequestParam(defaultValue = "agency") String groupBy,
                                        @RequestParam(required = false) LocalDate from,
                                        @RequestParam(required = false) LocalDate to,
                                        @RequestParam(defaultValue = "json") String format,
                                        @RequestParam(defaultValue = "1000") int size,
                                        @RequestParam(required = false) String after) {
        authorise();
        Instant now = clock.instant();
        Map<String, Aggregation> metrics = new LinkedHashMap<>();
        metrics.put("issued", filter(Query.of(q -> q.exists(e -> e.field("resultIssuedAt")))));
        metrics.put("onTime", filter(Query.of(q -> q.term(t -> t.field("onTime").value(true)))));
        metrics.put("late", filter(Breach.RESULT_LATE.query(now, 0)));
        metrics.put("lateOpen", filter(Breach.LATE_NOW.query(now, 0)));
        metrics.put("recordedLate", filter(Breach.RESULT_RECORDED_LATE.query(now, 0)));
        metrics.put("online", filter(Query.of(q -> q.term(t -> t.field("channel").value("ONLINE")))));
        metrics.put("paid", filter(Query.of(q -> q.range(r -> r.number(n -> n.field("feesPaid").gt(0.0))))));
        metrics.put("paidOnline", filter(Query.of(q -> q.term(t -> t.field("paidOnline").value(true)))));
        metrics.put("toResult", Aggregation.of(a -> a.avg(v -> v.field("workingMinutesToResult"))));
        RowBuilder rowBuilder = (key, count, aggs) -> {
                    long issued = aggs.get("issued").filter().docCount();
                    long onTime = aggs.get("onTime").filter().docCount();
                    long paid = aggs.get("paid").filter().docCount();
                    long online = aggs.get("online").filter().docCount();
                    long paidOnline = aggs.get("paidOnline").filter().docCount();
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("group", key);
                    row.put("dossiers", count);
                    row.put("resultsIssued", issued);
                    row.put("onTime", onTime);
                    row.put("late", aggs.get("late").filter().docCount());
                    // on time as reported, recorded after the statutory due date: counted on time, listed as a breach
                    row.put("onTimeRecordedLate", aggs.get("recordedLate").filter().docCount());
                    row.put("onTimeRate", share(onTime, issued));
                    Double minutes = round(aggs.get("toResult").avg().value());
                    row.put("averageWorkingHoursToResult", minutes == null ? null : Math.round(minutes / 60.0 * 10) / 10.0);
                    row.put("openAndLateNow", aggs.get("lateOpen").filter().docCount());
                    row.put("submittedOnline", online);
                    row.put("onlineSubmissionRate", share(online, count));
                    row.put("dossiersWithPayments", paid);
                    row.put("paidOnline", paidOnline);
                    row.put("onlinePaymentRate", share(paidOnline, paid));
                    return row;
                };
        return answer(new Report(groupBy, "submittedAt", from, to, b -> b, metrics, rowBuilder), format, size, after);
    }

    @FunctionalInterface
    private interface RowBuilder {
        Map<String, Object> row(String key, long count, Map<String, Aggregate> aggregations);
    }

    /** One report: its grouping, the time field its period filters, its scope, metrics and how a row reads them. */
    private record Report(String groupBy, String timeField, LocalDate from, LocalDate to,
                          Function<BoolQuery.Builder, BoolQuery.Builder> scope, Map<String, Aggregation> metrics,
                          RowBuilder rows) {
    }

    /** A page of groups and the cursor of the next page (null: last). */
    private record Page(List<Map<String, Object>> rows, String next) {
    }

    private BoolQuery query(Report report) {
        BoolQuery.Builder bool = report.scope().apply(new BoolQuery.Builder());
        Query period = period(report.timeField(), report.from(), report.to());
        if (period != null) {
            bool.filter(period);
        }
        return bool.build();
    }

    /**
     * The dossiers whose {@code field} falls in the days from {@code from} to {@code to} (both included, Vietnam's
     * days; either may be absent); null when neither is given. The reports and the breach lists filter alike.
     */
    static Query period(String field, LocalDate from, LocalDate to) {
        if (from == null && to == null) {
            return null;
        }
        return Query.of(f -> f.range(r -> r.date(d -> {
            d.field(field).timeZone("+07:00");
            if (from != null) {
                d.gte(from.toString());
            }
            if (to != null) {
                d.lt(to.plusDays(1).toString());
            }
            return d;
        })));
    }

    /** Refuses a period no dossier can have: the caller's mistake, never a query Elasticsearch must refuse. */
    static void checkPeriod(LocalDate from, LocalDate to) {
        for (Map.Entry<String, LocalDate> date : java.util.Arrays.asList(Map.entry("from", orEpoch(from)),
                Map.entry("to", orEpoch(to)))) {
            if (date.getValue().isBefore(EARLIEST) || date.getValue().isAfter(LATEST)) {
                throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, date.getKey(), "dateRange", EARLIEST,
                        LATEST);
            }
        }
    }

    /**
     * One page of groups, exactly: a composite aggregation walks every group in key order (agency or procedure code,
     * or period), {@code size} at a time, so that no group is ever dropped however many there are; dossiers without
     * the grouping field form a group of their own (null), so that the rows always add up to the total.
     */
    private Page page(Report report, int size, Map<String, FieldValue> after) {
        CompositeAggregationSource source = switch (report.groupBy()) {
            case "agency" -> CompositeAggregationSource.of(c -> c.terms(t -> t.field("agencyCode").missingBucket(true)));
            case "procedure" -> CompositeAggregationSource.of(c -> c.terms(t -> t.field("procedureCode")
                    .missingBucket(true)));
            case "month", "quarter", "year" -> CompositeAggregationSource.of(c -> c.dateHistogram(h -> h
                    .field(report.timeField()).timeZone("+07:00").missingBucket(true)
                    .calendarInterval(Time.of(t -> t.time(switch (report.groupBy()) {
                        case "month" -> "1M";
                        case "quarter" -> "1q";
                        default -> "1y";
                    })))));
            default -> throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "groupBy", "groupBy");
        };
        BoolQuery query = query(report);
        try {
            SearchResponse<Void> response = index.client().search(s -> s.index(index.alias()).size(0)
                    .query(q -> q.bool(query)).aggregations("groups", a -> a.composite(c -> {
                        c.size(size).sources(List.of(Map.of("group", source)));
                        if (after != null) {
                            c.after(after);
                        }
                        return c;
                    }).aggregations(report.metrics())), Void.class);
            CompositeAggregate groups = response.aggregations().get("groups").composite();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (CompositeBucket bucket : groups.buckets().array()) {
                FieldValue key = bucket.key().get("group");
                String group = key == null || key.isNull() ? null
                        : key.isString() ? key.stringValue() : period(report.groupBy(), key.longValue());
                rows.add(report.rows().row(group, bucket.docCount(), bucket.aggregations()));
            }
            Map<String, FieldValue> afterKey = groups.afterKey();
            String next = rows.size() == size && afterKey != null && !afterKey.isEmpty() ? encode(afterKey) : null;
            return new Page(rows, next);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report's metrics over all its dossiers, as one row: equal to the sum of every group's row. */
    private Map<String, Object> total(Report report) {
        BoolQuery query = query(report);
        SearchResponse<Void> response;
        try {
            response = index.client().search(s -> s.index(index.alias()).size(0)
                    .trackTotalHits(t -> t.enabled(true)).query(q -> q.bool(query))
                    .aggregations(report.metrics()), Void.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long count = response.hits().total() == null ? 0 : response.hits().total().value();
        Map<String, Object> total = report.rows().row("TOTAL", count, response.aggregations());
        total.remove("group");
        return total;
    }

    private static String encode(Map<String, FieldValue> afterKey) {
        FieldValue key = afterKey.get("group");
        Object plain = key == null || key.isNull() ? null : key._get();
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(
                    java.util.Collections.singletonMap("group", plain)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, FieldValue> decode(String after) {
        if (after == null || after.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(after));
            JsonNode group = node == null ? null : node.get("group");
            if (group == null || node.size() != 1) {
                throw new IllegalArgumentException("not a report cursor");
            }
            FieldValue value = group.isNull() ? FieldValue.NULL : group.isIntegralNumber() ? FieldValue.of(group.asLong())
                    : group.isTextual() && group.asText().length() <= 200 ? FieldValue.of(group.asText()) : null;
            if (value == null) {
                throw new IllegalArgumentException("not a report cursor");
            }
            return Map.of("group", value);
        } catch (IllegalArgumentException | IOException e) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "after", "cursor");
        }
    }

    private static Aggregation filter(Query query) {
        return Aggregation.of(a -> a.filter(query));
    }

    private static String period(String groupBy, long epochMillis) {
        ZonedDateTime start = Instant.ofEpochMilli(epochMillis).atZone(VIETNAM);
        return switch (groupBy) {
            case "month" -> String.format("%d-%02d", start.getYear(), start.getMonthValue());
            case "quarter" -> start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1);
            default -> String.valueOf(start.getYear());
        };
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : Math.round(1000.0 * part / whole) / 10.0;
    }

    private static Double round(Double value) {
        return value == null || value.isNaN() ? null : Math.round(value * 100.0) / 100.0;
    }

    private static void authorise() {
        if (!AccessPolicy.mayReadReports(Callers.current())) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "reportsOnly");
        }
    }

    /**
     * JSON: one page of groups ({@code size}, at most {@value #MAX_PAGE}; {@code after}: the previous page's
     * {@code next}) with the total over all groups. CSV: every group, page after page, then the total as the last line.
     */
    private ResponseEntity<?> answer(Report report, String format, int size, String after) {
        checkPeriod(report.from(), report.to());
        if (!format.equals("json") && !format.equals("csv")) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "format", "format");
        }
        if (size < 1 || size > MAX_PAGE) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "size", "between", 1, MAX_PAGE);
        }
        Map<String, FieldValue> start = decode(after);
        if (format.equals("json")) {
            Page page = page(report, size, start);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("groupBy", report.groupBy());
            body.put("rows", page.rows());
            body.put("total", total(report));
            body.put("next", page.next());
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
        }
        StringBuilder csv = new StringBuilder();
        Page page = page(report, MAX_PAGE, start);
        Map<String, Object> total = total(report);
        boolean header = false;
        while (true) {
            for (Map<String, Object> row : page.rows()) {
                if (!header) {
                    csv.append(String.join(",", row.keySet())).append("\r\n");
                    header = true;
                }
                csv.append(String.join(",", row.values().stream().map(ReportController::csvCell).toList())).append("\r\n");
            }
            if (page.next() == null) {
                break;
            }
            page = page(report, MAX_PAGE, decode(page.next()));
        }
        if (header) {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("group", "TOTAL");
            last.putAll(total);
            csv.append(String.join(",", last.values().stream().map(ReportController::csvCell).toList())).append("\r\n");
        }
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Disposition", "attachment; filename=\"report-" + report.groupBy() + ".csv\"")
                .body(csv.toString());
    }

    /**
     * One CSV cell: quoted when it holds a comma, a quote or a line break; text that a spreadsheet would run as a
     * formula (starting with =, +, -, @, a tab or a carriage return; codes come from agency systems) is prefixed with
     * an apostrophe.
     */
    static String csvCell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!(value instanceof Number) && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
