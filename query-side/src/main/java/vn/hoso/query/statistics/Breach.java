package vn.hoso.query.statistics;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import vn.hoso.query.search.LateNow;

import java.time.Instant;

/**
 * The kinds of breach an inspector lists (DOMAIN.md, time rules), each one query on the search index, evaluated when
 * asked: the timeliness report counts with the same queries ({@link ReportController}), so that a breach list and the
 * report agree exactly for the same filters and instant.
 */
public enum Breach {
    /** Open, not paused, no result, and past its statutory due date now ({@link LateNow}): the report's openAndLateNow. */
    LATE_NOW,
    /** Its result was issued after its statutory due date: the report's late. */
    RESULT_LATE,
    /** An apology letter set a later due date (which never makes it on time). */
    EXTENDED,
    /** A supplement came after its reply-by date, or a supplement request still waits past it. */
    PAUSED_PAST_REPLY_BY,
    /** A second supplement request on one dossier (DOMAIN.md: listed for inspectors). */
    REPEATED_SUPPLEMENT_REQUEST,
    /** One of its events was recorded more than the threshold after it happened, as reported. */
    LATE_REPORT,
    /** Its result is on time as reported but was recorded after its statutory due date: the report's column of it. */
    RESULT_RECORDED_LATE;

    /** The dossiers in breach at {@code now}; a report is late past {@code lateReportMinutes}. */
    public Query query(Instant now, long lateReportMinutes) {
        return switch (this) {
            case LATE_NOW -> LateNow.query(now);
            case RESULT_LATE -> Query.of(q -> q.term(t -> t.field("onTime").value(false)));
            case EXTENDED -> Query.of(q -> q.term(t -> t.field("extended").value(true)));
            case PAUSED_PAST_REPLY_BY -> Query.of(q -> q.bool(b -> b.minimumShouldMatch("1")
                    .should(s -> s.range(r -> r.number(n -> n.field("pausesPastReplyBy").gte(1.0))))
                    // still waiting: the reply-by date ended at midnight in Vietnam before today there
                    .should(s -> s.bool(w -> w
                            .filter(f -> f.term(t -> t.field("status").value("SUPPLEMENT_REQUESTED")))
                            .filter(f -> f.range(r -> r.date(d -> d.field("replyBy")
                                    .lt(now.atZone(ReportController.VIETNAM).toLocalDate().toString()))))))));
            case REPEATED_SUPPLEMENT_REQUEST -> Query.of(q -> q.range(r -> r.number(n -> n.field("supplementRequests")
                    .gte(2.0))));
            case LATE_REPORT -> Query.of(q -> q.range(r -> r.number(n -> n.field("reportLatenessMinutes")
                    .gt((double) lateReportMinutes))));
            case RESULT_RECORDED_LATE -> Query.of(q -> q.term(t -> t.field("resultRecordedLate").value(true)));
        };
    }
}
