package vn.hoso.query.lookup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.calendar.Timeliness;
import vn.hoso.events.DossierStatus;
import vn.hoso.lookup.LookupSecrets;
import vn.hoso.query.timeline.Timeline;
import vn.hoso.query.timeline.TimelineStore;
import vn.hoso.query.web.QueryProblem;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The public status lookup: anyone holding a dossier's receipt (its code and lookup secret) reads where the dossier
 * stands, without an account: the procedure, the agency, the status in words, the receipt and due dates, whether it
 * is late or paused and whether its result is ready. Nothing personal (no names, no applicant, no events). A wrong code
 * and a wrong secret get the same answer through the same steps (a code that matches nothing is checked against a
 * throw-away digest); lookups are limited per client, and misses per code (past them the code is not checked at all
 * until the window ends), across instances ({@code 429} with {@code Retry-After}), and counted by outcome
 * ({@code hoso.lookup.requests}).
 */
@RestController
@RequestMapping(path = "/api/v1/public", produces = MediaType.APPLICATION_JSON_VALUE)
public class StatusLookupController {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9.\\-_/]{1,60}");
    /** No timeline has this id: what a code that matches nothing is read as, so that it costs what a match costs. */
    private static final String NO_DOSSIER = "-";
    private static final Map<DossierStatus, String> ENGLISH = new EnumMap<>(Map.of(
            DossierStatus.SUBMITTED, "Submitted", DossierStatus.RECEIVED, "Received",
            DossierStatus.INTAKE_REFUSED, "Not accepted", DossierStatus.PROCESSING, "Being processed",
            DossierStatus.SUPPLEMENT_REQUESTED, "Supplement requested",
            DossierStatus.PAYMENT_REQUESTED, "Fees to be paid", DossierStatus.WITHDRAWN, "Withdrawn",
            DossierStatus.STOPPED, "Processing stopped", DossierStatus.RESULT_READY, "Result ready",
            DossierStatus.RESULT_RETURNED, "Result returned"));

    private final TimelineStore timelines;
    private final LookupSecrets secrets;
    private final LookupRateLimit limit;
    private final LookupProperties properties;
    private final Clock clock;
    private final Counter found;
    private final Counter missed;
    private final Counter limited;
    private final Counter malformed;

    public StatusLookupController(TimelineStore timelines, LookupSecrets secrets, LookupRateLimit limit,
                                  LookupProperties properties, Clock clock, MeterRegistry meters) {
        this.timelines = timelines;
        this.secrets = secrets;
        this.limit = limit;
        this.properties = properties;
        this.clock = clock;
        this.found = counter(meters, "found");
        this.missed = counter(meters, "miss");
        this.limited = counter(meters, "limited");
        this.malformed = counter(meters, "malformed");
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("hoso.lookup.requests").tag("outcome", outcome)
                .description("public status lookups by outcome: found, miss (no dossier matches the code and secret:"
                        + " many are a guessing attempt), limited (refused by the rate limit), malformed")
                .register(meters);
    }

    /** What a lookup sends: the code and the secret printed on the receipt. */
    public record LookupBody(String dossierCode, String secret) {
        @Override
        public String toString() {
            return "LookupBody[dossierCode=" + dossierCode + "]"; // never the secret
        }
    }

    /**
     * Where a dossier stands, as its receipt's holder may read it.
     *
     * @param statusVi         the status in Vietnamese words, {@code statusEn} in English
     * @param late             past its statutory due date and not finished
     * @param paused           its time is paused: a supplement or a fee is awaited from the applicant
     * @param resultReady      its result is ready to be collected (or sent)
     * @param finished         nothing more will happen to it (result returned, refused, withdrawn or stopped)
     */
    public record DossierStatusAnswer(String dossierCode, String procedureCode, String procedureName,
                                      String agencyCode, String status, int statusCode, String statusVi,
                                      String statusEn, Instant receivedAt, Instant dueAt, boolean dueAtProvisional,
                                      boolean late, boolean paused, boolean resultReady, boolean finished) {
    }

    @PostMapping(path = "/dossier-status", consumes = MediaType.APPLICATION_JSON_VALUE)
    public DossierStatusAnswer lookUp(@RequestBody LookupBody body, HttpServletRequest request) {
        if (body == null || body.dossierCode() == null || !CODE.matcher(body.dossierCode()).matches()) {
            malformed.increment();
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "dossierCode", "lookupCodeFormat");
        }
        Optional<String> secret = LookupSecrets.normalise(body.secret());
        if (secret.isEmpty()) {
            malformed.increment();
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "secret", "lookupSecretFormat");
        }
        // the client first (one over its limit counts against no code), then the code's misses
        long wait = limit.admitClient(ClientAddress.of(request, properties.trustedProxies()));
        if (wait == 0) {
            wait = limit.codeBlocked(body.dossierCode());
        }
        if (wait > 0) {
            limited.increment();
            throw new QueryProblem.RateLimited("lookupLimited", wait);
        }
        // the same steps whether the code matches a dossier or not: one key read of the codes, one of the timelines,
        // one MAC
        String dossierId = timelines.dossierIdForCode(body.dossierCode()).orElse(NO_DOSSIER);
        Optional<Timeline> timeline = timelines.find(timelines.readVersion(), dossierId);
        boolean matches = secrets.matches(timeline.map(Timeline::lookupDigest).orElse(null), secret.get());
        if (!matches || timeline.isEmpty()) {
            limit.missed(body.dossierCode());
            missed.increment();
            throw new QueryProblem(QueryProblem.Code.DOSSIER_NOT_FOUND, null, "lookupNoMatch");
        }
        found.increment();
        return answer(timeline.get());
    }

    private DossierStatusAnswer answer(Timeline t) {
        DossierStatus status = DossierStatus.valueOf(t.status());
        return new DossierStatusAnswer(t.dossierCode(), t.procedureCode(), t.procedureName(), t.agencyCode(),
                status.name(), status.code(), status.vietnameseName(), ENGLISH.get(status), t.receivedAt(),
                status.isFinal() ? null : t.dueAt(), t.dueAtProvisional(),
                Timeliness.lateNow(status, t.statutoryDueAt(), clock.instant()),
                status == DossierStatus.SUPPLEMENT_REQUESTED || status == DossierStatus.PAYMENT_REQUESTED,
                status == DossierStatus.RESULT_READY, status.isFinal());
    }
}
