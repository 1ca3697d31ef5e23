package vn.hoso.query.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import vn.hoso.calendar.Timeliness;

import java.time.Instant;
import java.util.List;

/**
 * {@link Timeliness}'s "late now" as a search-index query, evaluated at query time: in a state that can be late
 * ({@link Timeliness#CAN_BE_LATE}) and past the statutory due date. The search filter, the officer queue and the
 * timeliness report use this query; result items and timelines use {@link Timeliness#lateNow} on the same fields.
 */
public final class LateNow {

    private LateNow() {
    }

    public static Query query(Instant now) {
        List<FieldValue> states = Timeliness.CAN_BE_LATE.stream().map(Enum::name).sorted().map(FieldValue::of).toList();
        return Query.of(q -> q.bool(b -> b
                .filter(f -> f.terms(t -> t.field("status").terms(v -> v.value(states))))
                .filter(f -> f.range(r -> r.date(d -> d.field("statutoryDueAt").lt(now.toString()))))));
    }
}
