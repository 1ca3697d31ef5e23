package vn.hoso.query.statistics;

import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.events.ActorRole;
import vn.hoso.query.search.LateNow;
import vn.hoso.query.search.SearchIndex;
import vn.hoso.query.web.Caller;
import vn.hoso.query.web.QueryProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
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
    private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

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
                                          HttpServletRequest request) {
        authorise(request);
        Map<String, Aggregation> metrics = new LinkedHashMap<>();
        for (String level : LEVELS) {
            metrics.put("level_" + level, Aggregation.of(a -> a.filter(f -> f.term(t -> t.field("ratingLevel").value(level)))));
        }
        for (String criterion : CRITERIA) {
            metrics.put("criterion_" + criterion, Aggregation.of(a -> a.avg(v -> v.field("ratingCriteria." + criterion))));
        }
        metrics.put("points", Aggregation.of(a -> a.avg(v -> v.field("ratingPoints"))));
        List<Map<String, Object>> rows = report(groupBy, "ratedAt", from, to,
                b -> b.filter(f -> f.exists(e -> e.field("ratingLevel"))), metrics, (key, count, aggs) -> {
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
                });
        return answer(format, groupBy, rows);
    }

    @GetMapping("/timeliness")
    public ResponseEntity<?> timeliness(@RequestParam(defaultValue = "agency") String groupBy,
                                        @RequestParam(required = false) LocalDate from,
                                        @RequestParam(required = false) LocalDate to,
                                        @RequestParam(defaultValue = "json") String format,
                                        HttpServletRequest request) {
        authorise(request);
        Instant now = clock.instant();
        Map<String, Aggregation> metrics = new LinkedHashMap<>();
        metrics.put("issued", filter(Query.of(q -> q.exists(e -> e.field("resultIssuedAt")))));
        metrics.put("onTime", filter(Query.of(q -> q.term(t -> t.field("onTime").value(true)))));
        metrics.put("late", filter(Query.of(q -> q.term(t -> t.field("onTime").value(false)))));
        metrics.put("lateOpen", filter(LateNow.query(now)));
        metrics.put("online", filter(Query.of(q -> q.term(t -> t.field("channel").value("ONLINE")))));
        metrics.put("paid", filter(Query.of(q -> q.range(r -> r.number(n -> n.field("feesPaid").gt(0.0))))));
        metrics.put("paidOnline", filter(Query.of(q -> q.term(t -> t.field("paidOnline").value(true)))));
        metrics.put("toResult", Aggregation.of(a -> a.avg(v -> v.field("workingMinutesToResult"))));
        List<Map<String, Object>> rows = report(groupBy, "submittedAt", from, to, b -> b, metrics,
                (key, count, aggs) -> {
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
                });
        return answer(format, groupBy, rows);
    }

    @FunctionalInterface
    private interface RowBuilder {
        Map<String, Object> row(String key, long count, Map<String, Aggregate> aggregations);
    }

    private List<Map<String, Object>> report(String groupBy, String timeField, LocalDate from, LocalDate to,
                                             Function<BoolQuery.Builder, BoolQuery.Builder> scope,
                                             Map<String, Aggregation> metrics, RowBuilder rows) {
        BoolQuery.Builder bool = scope.apply(new BoolQuery.Builder());
        if (from != null || to != null) {
            bool.filter(f -> f.range(r -> r.date(d -> {
                d.field(timeField).timeZone("+07:00");
                if (from != null) {
                    d.gte(from.toString());
                }
                if (to != null) {
                    d.lt(to.plusDays(1).toString());
                }
                return d;
            })));
        }
        Aggregation grouping = switch (groupBy) {
            case "agency" -> Aggregation.of(a -> a.terms(t -> t.field("agencyCode").size(1000)).aggregations(metrics));
            case "procedure" -> Aggregation.of(a -> a.terms(t -> t.field("procedureCode").size(1000)).aggregations(metrics));
            case "month", "quarter", "year" -> Aggregation.of(a -> a.dateHistogram(h -> h.field(timeField)
                    .calendarInterval(switch (groupBy) {
                        case "month" -> CalendarInterval.Month;
                        case "quarter" -> CalendarInterval.Quarter;
                        default -> CalendarInterval.Year;
                    }).timeZone("+07:00").minDocCount(1)).aggregations(metrics));
            default -> throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "groupBy",
                    "agency, procedure, month, quarter or year");
        };
        BoolQuery query = bool.build();
        try {
            SearchResponse<Void> response = index.client().search(s -> s.index(index.alias()).size(0)
                    .query(q -> q.bool(query)).aggregations("groups", grouping), Void.class);
            Aggregate groups = response.aggregations().get("groups");
            List<Map<String, Object>> result = new ArrayList<>();
            if (groups.isSterms()) {
                groups.sterms().buckets().array().forEach(b ->
                        result.add(rows.row(b.key().stringValue(), b.docCount(), b.aggregations())));
            } else {
                groups.dateHistogram().buckets().array().forEach(b ->
                        result.add(rows.row(period(groupBy, b.key()), b.docCount(), b.aggregations())));
            }
            result.sort((a, b) -> String.valueOf(a.get("group")).compareTo(String.valueOf(b.get("group"))));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    private static void authorise(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        if (caller.role() != ActorRole.ANALYST && caller.role() != ActorRole.INSPECTOR) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "reports are for analysts and inspectors");
        }
    }

    private static ResponseEntity<?> answer(String format, String groupBy, List<Map<String, Object>> rows) {
        if (format.equals("json")) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("groupBy", groupBy, "rows", rows));
        }
        if (!format.equals("csv")) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "format", "json or csv");
        }
        StringBuilder csv = new StringBuilder();
        if (!rows.isEmpty()) {
            csv.append(String.join(",", rows.get(0).keySet())).append("\r\n");
            for (Map<String, Object> row : rows) {
                csv.append(String.join(",", row.values().stream().map(ReportController::csvCell).toList())).append("\r\n");
            }
        }
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Disposition", "attachment; filename=\"report-" + groupBy + ".csv\"")
                .body(csv.toString());
    }

    private static String csvCell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
