package vn.hoso.query.it;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.TestIssuer;
import vn.hoso.command.it.TestIssuer.BadToken;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may call what: every endpoint of both running services (listed from their handler mappings: an endpoint
 * without a row in {@link #EXPECTED} fails the test) times every role and every kind of bad token, over the
 * caller's own dossier, another agency's and an absent one. The expected statuses are the literal table below,
 * written from DOMAIN.md, not computed from the access policy. A refused command appends nothing (raw event
 * count), and the answers for another's dossier and for an absent one are the same document.
 *
 * <p>"Own" is, for a citizen, the dossier it submitted online; for a business, a dossier an officer registered at
 * the desk for the business's tax code (it sees it, it does not own it); for officers and agency systems, one of
 * their agency; for the other roles, the same dossier as the citizen's. "Other" is another citizen's dossier at
 * another agency. A command a caller may give is sent to a dossier brought to a state that allows it.
 */
class AuthorisationMatrixIT {

    private static final String AGENCY = "000.00.01.H22";
    private static final String OTHER_AGENCY = "000.00.02.H22";
    private static final String CITIZEN_ID = "001089012345";
    private static final String TAX_CODE = "0100109106";

    /** The callers, in the table's column order. */
    private static final Map<String, String[]> CALLERS = new LinkedHashMap<>();

    static {
        CALLERS.put("CITIZEN", TestIssuer.bearer("CITIZEN", "matrix-citizen", null, CITIZEN_ID));
        CALLERS.put("BUSINESS", TestIssuer.bearer("BUSINESS", "matrix-business", null, TAX_CODE));
        CALLERS.put("OFFICER", TestIssuer.bearer("OFFICER", "matrix-officer", AGENCY));
        CALLERS.put("AGENCY_SYSTEM", TestIssuer.bearer("AGENCY_SYSTEM", "matrix-system", AGENCY));
        CALLERS.put("PAYMENT", TestIssuer.bearer("PAYMENT_PLATFORM", "payment-platform", null));
        CALLERS.put("INSPECTOR", TestIssuer.bearer("INSPECTOR", "matrix-inspector", null));
        CALLERS.put("ANALYST", TestIssuer.bearer("ANALYST", "matrix-analyst", null));
        CALLERS.put("OPERATOR", TestIssuer.bearer("OPERATOR", "matrix-operator", null));
        CALLERS.put("NO_TOKEN", new String[0]);
        CALLERS.put("EXPIRED", BadToken.EXPIRED.bearer("INSPECTOR", "matrix-inspector", null));
        CALLERS.put("NO_EXPIRY", BadToken.NO_EXPIRY.bearer("INSPECTOR", "matrix-inspector", null));
        CALLERS.put("OTHER_ISSUER", BadToken.OTHER_ISSUER.bearer("INSPECTOR", "matrix-inspector", null));
        CALLERS.put("TAMPERED", BadToken.TAMPERED_SIGNATURE.bearer("CITIZEN", "matrix-citizen", null));
        CALLERS.put("WRONG_AUDIENCE", BadToken.WRONG_AUDIENCE.bearer("INSPECTOR", "matrix-inspector", null));
        CALLERS.put("OTHER_KEY", BadToken.OTHER_KEY.bearer("INSPECTOR", "matrix-inspector", null));
    }

    /**
     * Side ({@code C}ommand, {@code Q}uery), method, path pattern, then one cell per caller above: a status, or
     * own/other/absent statuses for an endpoint that addresses one dossier.
     */
    private static final String EXPECTED = """
            # side method path  CITIZEN BUSINESS OFFICER AGENCY_SYSTEM PAYMENT INSPECTOR ANALYST OPERATOR NO_TOKEN EXPIRED
            #                   NO_EXPIRY OTHER_ISSUER TAMPERED WRONG_AUDIENCE OTHER_KEY   (dossier: own/other/absent)
            # The command side's whole health is 503 in this JVM only: with the query side's classes on the class path
            # it also checks an Elasticsearch of its own, which tests do not run (readiness does not include it).
            # GET /error asked for directly: nothing there (404); the error page answers requests refused elsewhere.
            C GET    /actuator                                                  403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            C GET    /actuator/health                                           403 403 403 403 403 403 403 503 401 401 401 401 401 401 401
            C GET    /actuator/health/**                                        200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            C GET    /actuator/info                                             403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            C GET    /actuator/metrics                                          403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            C GET    /actuator/metrics/{requiredMetricName}                     403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            C GET    /actuator/prometheus                                       403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            C GET    /api/v1/dossiers/{dossierId}/audit                         403/404/404 403/404/404 403/404/404 403/404/404 404/404/404 200/200/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C GET    /api/v1/dossiers/{dossierId}/events                        200/404/404 200/404/404 200/404/404 200/404/404 404/404/404 200/200/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C GET    /api/v1/dossiers/{dossierId}/state                         403/404/404 403/404/404 403/404/404 403/404/404 404/404/404 200/200/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C GET    /error                                                     404 404 404 404 404 404 404 404 404 401 401 401 401 401 401
            C GET    /swagger-ui.html                                           302 302 302 302 302 302 302 302 302 401 401 401 401 401 401
            C GET    /v3/api-docs                                               200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            C GET    /v3/api-docs.yaml                                          200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            C GET    /v3/api-docs/swagger-config                                200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            C POST   /api/v1/dossiers                                           201 201 201 201 403 403 403 403 401 401 401 401 401 401 401
            C POST   /api/v1/dossiers/{dossierId}/deadline-extensions           403/404/404 403/404/404 200/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/intake-refusal                403/404/404 403/404/404 200/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/payment-requests              403/404/404 403/404/404 200/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/payments                      403/404/404 403/404/404 403/404/404 403/404/404 200/200/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/processing                    403/404/404 403/404/404 200/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/rating                        200/404/404 403/404/404 403/404/404 403/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/receipt                       403/403/403 403/403/403 200/404/404 200/404/404 403/403/403 403/403/403 403/403/403 403/403/403 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/result                        403/404/404 403/404/404 200/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/result-return                 403/404/404 403/404/404 200/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/steps                         403/404/404 403/404/404 200/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/stop                          403/404/404 403/404/404 200/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/supplement-requests           403/404/404 403/404/404 200/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/supplements                   200/404/404 403/404/404 200/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/transfers                     403/404/404 403/404/404 200/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/dossiers/{dossierId}/withdrawal                    200/404/404 403/404/404 403/404/404 403/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/sync/dossiers/{dossierId}/skipped-numbers          403/404/404 403/404/404 403/404/404 403/404/404 404/404/404 403/403/404 404/404/404 200/200/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            C POST   /api/v1/sync/dossiers/{dossierId}/status                   403/404/404 403/404/404 403/404/404 200/404/404 404/404/404 403/403/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            Q GET    /actuator                                                  403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            Q GET    /actuator/health                                           403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            Q GET    /actuator/health/**                                        200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            Q GET    /actuator/info                                             403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            Q GET    /actuator/metrics                                          403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            Q GET    /actuator/metrics/{requiredMetricName}                     403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            Q GET    /actuator/prometheus                                       403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            Q GET    /api/v1/audit/breaches                                     403 403 403 403 403 400 403 403 401 401 401 401 401 401 401
            Q GET    /api/v1/dossier-codes/{dossierCode}/timeline               200/404/404 200/404/404 200/404/404 200/404/404 404/404/404 200/200/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            Q GET    /api/v1/dossiers/{dossierId}/timeline                      200/404/404 200/404/404 200/404/404 200/404/404 404/404/404 200/200/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            Q GET    /api/v1/dossiers/{dossierId}/timeline/archived-steps       200/404/404 200/404/404 200/404/404 200/404/404 404/404/404 200/200/404 404/404/404 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            Q GET    /api/v1/my/dossiers                                        200 200 403 403 403 403 403 403 401 401 401 401 401 401 401
            Q GET    /api/v1/operator/dead-letters                              403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            Q GET    /api/v1/queue                                              403 403 200 200 403 403 403 403 401 401 401 401 401 401 401
            Q GET    /api/v1/reports/satisfaction                               403 403 403 403 403 200 200 403 401 401 401 401 401 401 401
            Q GET    /api/v1/reports/timeliness                                 403 403 403 403 403 200 200 403 401 401 401 401 401 401 401
            Q GET    /api/v1/search/dossiers                                    403 403 200 200 403 200 403 403 401 401 401 401 401 401 401
            Q POST   /api/v1/search/dossiers                                    403 403 200 200 403 200 403 403 401 401 401 401 401 401 401
            Q GET    /error                                                     404 404 404 404 404 404 404 404 404 401 401 401 401 401 401
            Q GET    /swagger-ui.html                                           302 302 302 302 302 302 302 302 302 401 401 401 401 401 401
            Q GET    /v3/api-docs                                               200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            Q GET    /v3/api-docs.yaml                                          200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            Q GET    /v3/api-docs/swagger-config                                200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            Q POST   /api/v1/operator/completeness-checks                       403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            Q GET    /api/v1/operator/completeness-checks/last                  403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            Q GET    /api/v1/operator/rebuilds/{readModel}                      403 403 403 403 403 403 403 404 401 401 401 401 401 401 401
            Q POST   /api/v1/operator/dead-letters/retry                        403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            Q POST   /api/v1/operator/rebuilds/{readModel}                      403 403 403 403 403 403 403 202 401 401 401 401 401 401 401
            Q POST   /api/v1/operator/rebuilds/{readModel}/abandon              403 403 403 403 403 403 403 200 401 401 401 401 401 401 401
            Q POST   /api/v1/operator/rebuilds/{readModel}/rollback             403 403 403 403 403 403 403 409 401 401 401 401 401 401 401
            Q POST   /api/v1/operator/rebuilds/{readModel}/retire               403 403 403 403 403 403 403 409 401 401 401 401 401 401 401
            Q POST   /api/v1/operator/dead-letters/{readModel}/{dossierId}/eviction 403/403/403 403/403/403 403/403/403 403/403/403 403/403/403 403/403/403 403/403/403 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            Q POST   /api/v1/operator/dead-letters/{readModel}/{dossierId}/retry 403/403/403 403/403/403 403/403/403 403/403/403 403/403/403 403/403/403 403/403/403 404/404/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            Q POST   /api/v1/search/dossiers/by-applicant-id                    403 403 200 200 403 200 403 403 401 401 401 401 401 401 401
            # The public status lookup needs no account (a code and secret that match nothing here: 404 for anyone)
            Q POST   /api/v1/public/dossier-status                              404 404 404 404 404 404 404 404 404 401 401 401 401 401 401
            Q GET    /portal/config.json                                        200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            # The sealed log: checkpoints, keys and proofs are public (a bad token is still refused); the path variable
            # here is "x" and the proofs lack their parameters, hence 400. Verifications and anomalies: auditors.
            Q GET    /api/v1/log                                                200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            Q GET    /api/v1/log/anomalies                                      403 403 403 403 403 200 403 200 401 401 401 401 401 401 401
            Q GET    /api/v1/log/checkpoint                                     200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            Q POST   /api/v1/log/checkpoints/{treeSize}/cosignatures            415 415 415 415 415 415 415 415 415 401 401 401 401 401 401
            Q GET    /api/v1/log/checkpoints/{treeSize}                         400 400 400 400 400 400 400 400 400 401 401 401 401 401 401
            Q GET    /api/v1/log/evidence/agencies/{agencyCode}                 403 403 403 403 403 400 403 400 401 401 401 401 401 401 401
            Q GET    /api/v1/log/evidence/dossiers/{dossierId}                  403/403/403 403/403/403 403/403/403 403/403/403 403/403/403 200/200/404 403/403/403 200/200/404 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401 401/401/401
            Q GET    /api/v1/log/keys                                           200 200 200 200 200 200 200 200 200 401 401 401 401 401 401
            Q GET    /api/v1/log/proofs/consistency                             400 400 400 400 400 400 400 400 400 401 401 401 401 401 401
            Q GET    /api/v1/log/proofs/inclusion                               400 400 400 400 400 400 400 400 400 401 401 401 401 401 401
            Q GET    /api/v1/log/verifications/{id}                             403 403 403 403 403 404 403 404 401 401 401 401 401 401 401
            Q POST   /api/v1/log/verifications                                  403 403 403 403 403 202 403 202 401 401 401 401 401 401 401
            """;

    private static final String[] OFFICER = TestIssuer.bearer("OFFICER", "matrix-officer", AGENCY);
    private static final String[] OTHER_OFFICER = TestIssuer.bearer("OFFICER", "matrix-officer-2", OTHER_AGENCY);
    private static final String[] CITIZEN = CALLERS.get("CITIZEN");
    private static final String[] STRANGER = TestIssuer.bearer("CITIZEN", "matrix-stranger", null, "079190001234");
    private static final Pattern DOSSIER_VARIABLE = Pattern.compile("\\{dossier(Id|Code)}");
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        // a rebuild an operator starts here stays where it is (the loop does not turn): the table is the same every run
        stack = new Stack(false, "--hoso.rebuild.poll=1h");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** A dossier the table addresses: its id and code, and its raw event count before a request. */
    private record Target(String id, String code) {
    }

    @Test
    void everyEndpointTimesEveryCallerAnswersAsTheTableSays() {
        Map<String, String> expected = parse(EXPECTED);
        List<String> endpoints = stack.endpoints();
        List<String> missing = endpoints.stream().filter(e -> !expected.containsKey(e)).toList();

        // the dossiers read requests address: received (so that they have a code), their events projected
        Target citizensRead = received(submitOnline(CITIZEN, AGENCY), OFFICER);
        Target businessRead = received(submitAtDesk(OFFICER, AGENCY, "BUSINESS", TAX_CODE), OFFICER);
        Target othersRead = received(submitOnline(STRANGER, OTHER_AGENCY), OTHER_OFFICER);
        Target absent = new Target(UUID.randomUUID().toString(), AGENCY + "-260302-9999");
        awaitProjected(citizensRead, businessRead, othersRead);

        StringBuilder observedTable = new StringBuilder();
        List<String> mismatches = new ArrayList<>();
        int requests = 0;
        int prepared = 0;
        for (String endpoint : endpoints) {
            String[] parts = endpoint.split(" ");
            String side = parts[0];
            String method = parts[1];
            String pattern = parts[2];
            boolean addressesDossier = DOSSIER_VARIABLE.matcher(pattern).find();
            String command = side.equals("C") && method.equals("POST") && addressesDossier ? pattern : null;
            // a command's dossiers, prepared in the state the command needs: a caller refused without a change leaves
            // them as they were for the next caller; one that changed them gets fresh ones for the next
            Map<String, Target> untouched = new HashMap<>();
            List<String> cells = new ArrayList<>();
            for (Map.Entry<String, String[]> caller : CALLERS.entrySet()) {
                if (!addressesDossier) {
                    cells.add(String.valueOf(call(side, method, concrete(pattern, null), body(pattern),
                            caller.getValue()).status()));
                    requests++;
                    continue;
                }
                Target own = caller.getKey().equals("BUSINESS") ? businessRead : citizensRead;
                Target other = othersRead;
                String ownKind = caller.getKey().equals("BUSINESS") ? "own business" : "own citizen";
                if (command != null) {
                    boolean business = caller.getKey().equals("BUSINESS");
                    own = untouched.remove(ownKind);
                    if (own == null) {
                        own = prepared(pattern, business);
                        prepared++;
                    }
                    other = untouched.remove("other");
                    if (other == null) {
                        other = prepared(pattern, false, STRANGER, OTHER_AGENCY, OTHER_OFFICER);
                        prepared++;
                    }
                }
                List<String> statuses = new ArrayList<>();
                Http.Answer otherAnswer = null;
                Http.Answer absentAnswer = null;
                for (Target target : List.of(own, other, absent)) {
                    long before = eventCount(target.id());
                    Http.Answer answer = call(side, method, concrete(pattern, target), body(pattern), caller.getValue());
                    requests++;
                    statuses.add(String.valueOf(answer.status()));
                    boolean changed = eventCount(target.id()) != before;
                    if (answer.status() >= 400 && changed) {
                        mismatches.add(endpoint + " " + caller.getKey() + ": refused with " + answer.status()
                                + " yet appended events");
                    }
                    if (command != null && target != absent && answer.status() >= 400 && !changed) {
                        untouched.put(target == other ? "other" : ownKind, target);
                    }
                    if (target == other) {
                        otherAnswer = answer;
                    } else if (target == absent) {
                        absentAnswer = answer;
                    }
                }
                if (otherAnswer.status() == 404 && absentAnswer.status() == 404
                        && !sameProblem(otherAnswer, absentAnswer)) {
                    mismatches.add(endpoint + " " + caller.getKey() + ": another's dossier and an absent one"
                            + " answer differently: " + otherAnswer.body() + " / " + absentAnswer.body());
                }
                cells.add(String.join("/", statuses));
            }
            String observed = String.join(" ", cells);
            observedTable.append(String.format("%s %-6s %-58s %s%n", side, method, pattern, observed));
            String wanted = expected.get(endpoint);
            if (wanted != null && !wanted.equals(observed)) {
                mismatches.add(endpoint + "\n    expected " + wanted + "\n    observed " + observed);
            }
        }
        System.out.printf("authorisation matrix: %d endpoints (%d on the command side, %d on the query side) x %d"
                        + " callers (8 roles, no token, 6 bad tokens); %d requests, own/other-agency/absent dossiers"
                        + " for %d dossier endpoints; %d dossiers prepared for the commands%n", endpoints.size(),
                endpoints.stream().filter(e -> e.startsWith("C ")).count(),
                endpoints.stream().filter(e -> e.startsWith("Q ")).count(), CALLERS.size(), requests,
                endpoints.stream().filter(e -> DOSSIER_VARIABLE.matcher(e).find()).count(), prepared);
        if (!missing.isEmpty() || !mismatches.isEmpty()) {
            System.out.println("observed matrix (" + String.join(" ", CALLERS.keySet()) + "):\n" + observedTable);
        }
        assertThat(missing).as("endpoints without a row in the table").isEmpty();
        assertThat(mismatches).as("cells that differ from the table").isEmpty();
        assertThat(expected.keySet()).as("rows of endpoints that no longer exist").containsExactlyInAnyOrderElementsOf(endpoints);
    }

    /**
     * What each caller gets to see: a business sees (in its list and by timeline) a dossier an officer registered at
     * the desk for its tax code, without owning it; a citizen's list holds its own dossiers only; the applicant-ID
     * lookup takes the ID in a POST body and stays within the officer's agency; the ID is no longer a URL parameter.
     */
    @Test
    void eachCallerSeesItsOwnDossiersAndNothingElse() {
        String[] business = CALLERS.get("BUSINESS");
        Target desk = submitAtDesk(OFFICER, AGENCY, "BUSINESS", TAX_CODE);
        Target mine = submitOnline(CITIZEN, AGENCY);
        Target strangers = submitOnline(STRANGER, OTHER_AGENCY);
        awaitProjected(desk, mine, strangers);

        assertThat(ids(stack.queries().get("/api/v1/my/dossiers?size=200", business))).contains(desk.id())
                .doesNotContain(mine.id(), strangers.id());
        assertThat(stack.queries().get("/api/v1/dossiers/" + desk.id() + "/timeline", business).status()).isEqualTo(200);
        assertThat(ids(stack.queries().get("/api/v1/my/dossiers?size=200", CITIZEN))).contains(mine.id())
                .doesNotContain(desk.id(), strangers.id());
        assertThat(ids(stack.queries().get("/api/v1/my/dossiers?size=200", STRANGER))).contains(strangers.id())
                .doesNotContain(desk.id(), mine.id());
        // the timeline shown never carries the applicant-ID hash it is checked with
        assertThat(stack.queries().get("/api/v1/dossiers/" + desk.id() + "/timeline", business).body()
                .has("applicantIdHash")).isFalse();

        Http.Answer lookup = stack.queries().post("/api/v1/search/dossiers/by-applicant-id",
                "{\"applicantId\":\"" + TAX_CODE + "\"}", OFFICER);
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(ids(lookup)).contains(desk.id()).doesNotContain(mine.id());
        String[] otherOfficer = OTHER_OFFICER;
        assertThat(ids(stack.queries().post("/api/v1/search/dossiers/by-applicant-id",
                "{\"applicantId\":\"" + TAX_CODE + "\"}", otherOfficer))).doesNotContain(desk.id());
        Http.Answer badId = stack.queries().post("/api/v1/search/dossiers/by-applicant-id",
                "{\"applicantId\":\"Nguyễn Văn Dũng\"}", OFFICER);
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.body().toString()).doesNotContain("Nguyễn");
        // personal data in the URL is refused, the value not echoed
        for (String parameter : List.of("applicantId=" + TAX_CODE, "q=Nguy%E1%BB%85n")) {
            Http.Answer refused = stack.queries().get("/api/v1/search/dossiers?" + parameter, OFFICER);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body().toString()).doesNotContain(TAX_CODE).doesNotContain("Nguyễn");
        }
    }

    /**
     * The payment platform may record a payment on any dossier without seeing it: it learns that its payment was
     * taken or refused, never the dossier's state, version, code or the amounts owed; what is not its to do (a desk
     * payment) is, for it, a dossier that does not exist. An officer naming a dossier code on another agency's
     * dossier learns nothing either, not even whether the code is taken.
     */
    @Test
    void whoMayAddressADossierWithoutSeeingItLearnsNothingOfIt() {
        String[] platform = CALLERS.get("PAYMENT");
        Target dossier = prepared("/api/v1/dossiers/{dossierId}/payments", false); // a payment is requested
        String payments = "/api/v1/dossiers/" + dossier.id() + "/payments";
        Http.Answer taken = stack.commands().post(payments,
                "{\"paymentReference\":\"BLIND-1\",\"method\":\"ONLINE\",\"amount\":50000}", platform);
        assertThat(taken.status()).as("%s", taken.body()).isEqualTo(200);
        assertThat(taken.body().has("version")).isFalse();
        assertThat(taken.body().has("dossierCode")).isFalse();
        assertThat(taken.header("ETag")).isNull();

        // nothing is owed any more: refused, without the state, a version or an amount
        Http.Answer refused = stack.commands().post(payments,
                "{\"paymentReference\":\"BLIND-2\",\"method\":\"ONLINE\",\"amount\":50000}", platform);
        assertThat(refused.status()).isBetween(400, 499);
        assertThat(refused.body().has("currentState")).isFalse();
        assertThat(refused.body().toString()).doesNotContain("50000").doesNotContain("50.000")
                .doesNotContain("PROCESSING");
        Http.Answer stale = stack.commands().post(payments,
                "{\"paymentReference\":\"BLIND-3\",\"method\":\"ONLINE\",\"amount\":50000}",
                with(platform, "If-Match", "\"0\""));
        assertThat(stale.body().toString()).doesNotContain("version 0 (").doesNotContain("\"currentState\"");

        // a desk payment is not the platform's: for it, the dossier does not exist
        String desk = "{\"paymentReference\":\"BLIND-4\",\"method\":\"AT_DESK\",\"amount\":1000}";
        Http.Answer atDesk = stack.commands().post(payments, desk, platform);
        Http.Answer absent = stack.commands().post("/api/v1/dossiers/" + UUID.randomUUID() + "/payments", desk, platform);
        assertThat(atDesk.status()).isEqualTo(404);
        assertThat(sameProblem(atDesk, absent)).isTrue();

        // another agency's officer naming a code that is taken, or one that is free, on a receipt: the same 404
        Target received = received(submitOnline(CITIZEN, AGENCY), OFFICER);
        Target waiting = submitOnline(CITIZEN, AGENCY);
        Http.Answer takenCode = stack.commands().post("/api/v1/dossiers/" + waiting.id() + "/receipt",
                "{\"dossierCode\":\"" + received.code() + "\"}", OTHER_OFFICER);
        Http.Answer freeCode = stack.commands().post("/api/v1/dossiers/" + waiting.id() + "/receipt",
                "{\"dossierCode\":\"FREE-CODE-" + UUID.randomUUID().toString().substring(0, 8) + "\"}",
                OTHER_OFFICER);
        assertThat(takenCode.status()).isEqualTo(404);
        assertThat(sameProblem(takenCode, freeCode)).isTrue();
    }

    private static String[] with(String[] headers, String name, String value) {
        String[] more = java.util.Arrays.copyOf(headers, headers.length + 2);
        more[headers.length] = name;
        more[headers.length + 1] = value;
        return more;
    }

    private static List<String> ids(Http.Answer page) {
        assertThat(page.status()).as("%s", page.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.body().path("items").forEach(item -> ids.add(item.path("dossierId").asText()));
        return ids;
    }

    private static String concrete(String pattern, Target target) {
        String path = pattern
                .replace("{dossierId}", target == null ? "" : target.id())
                .replace("{dossierCode}", target == null || target.code() == null ? "" : target.code())
                .replace("{readModel}", "timelines")
                .replace("{requiredMetricName}", "jvm.memory.used")
                .replace("{*path}", "readiness")
                .replace("/**", "/readiness");
        return path.replaceAll("\\{[^}]+}", "x");
    }

    private static String body(String pattern) {
        int n = UNIQUE.incrementAndGet();
        String tail = pattern.substring(pattern.lastIndexOf('/') + 1);
        if (pattern.equals("/api/v1/dossiers")) {
            return submitBody(AGENCY, "CITIZEN", CITIZEN_ID);
        }
        return switch (tail) {
            case "receipt", "retry" -> "{}";
            case "intake-refusal", "stop" -> "{\"reasons\":[\"Hồ sơ chưa hợp lệ\"]}";
            case "supplement-requests" -> "{\"missingItems\":[\"Ảnh 3x4\"],\"replyBy\":\"2026-03-20\",\"reason\":\"Thiếu\"}";
            case "supplements" -> "{\"documents\":[" + DOCUMENT + "]}";
            case "processing" -> "{\"unit\":\"Phòng A\"}";
            case "transfers" -> "{\"fromUnit\":\"Phòng A\",\"toUnit\":\"Phòng B\"}";
            case "steps" -> "{\"unit\":\"Phòng A\",\"step\":\"Thẩm định\"}";
            case "payment-requests" -> "{\"feeItems\":[{\"code\":\"PHI\",\"name\":\"Phí thẩm định\",\"amount\":50000}]}";
            case "payments" -> "{\"paymentReference\":\"MATRIX-" + n + "\",\"method\":\"ONLINE\",\"amount\":50000}";
            case "deadline-extensions" -> "{\"reason\":\"Cần xác minh thêm\",\"newDueAt\":\"2026-04-30T10:00:00Z\"}";
            case "result" -> "{\"decision\":\"APPROVED\",\"documents\":[]}";
            case "result-return" -> "{\"channel\":\"ONLINE\"}";
            case "withdrawal" -> "{\"reason\":\"Không cần nữa\"}";
            case "rating" -> """
                    {"level":"SATISFIED","criteria":{"TOTAL_TIME_AGAINST_LIMIT":2,"TIME_AT_EACH_UNIT":2,
                    "NUMBER_OF_CONTACTS":2,"NUMBER_OF_AGENCIES_CONTACTED":2,"HANDLED_AT_ONE_STOP_DESK":2,
                    "PROCEDURE_PUBLISHED":2,"STAFF_ATTITUDE":2,"FEEDBACK_HANDLING":2,"ONLINE_SERVICE_QUALITY":2}}""";
            case "status" -> "{\"messageId\":\"matrix-" + n + "\",\"statusCode\":4,\"unit\":\"Phòng A\"}";
            case "skipped-numbers" -> "{\"sequence\":1,\"reason\":\"Báo cáo bị mất ở hệ thống một cửa\"}";
            case "by-applicant-id" -> "{\"applicantId\":\"" + CITIZEN_ID + "\"}";
            case "dossier-status" -> "{\"dossierCode\":\"X-1\",\"secret\":\"AAAA-BBBB-CCCC-DDDD\"}";
            case "dossiers" -> "{\"q\":\"Nguyễn Văn Dũng\"}";
            case "eviction" -> "{\"reason\":\"kiểm tra quyền\"}";
            case "verifications" -> "{\"scope\":\"dossier\",\"dossierId\":\"" + UUID.randomUUID() + "\"}";
            default -> "";
        };
    }

    private static final String DOCUMENT = "{\"name\":\"Đơn đề nghị\",\"kind\":\"FORM\",\"contentHash\":\"sha256:"
            + "ab".repeat(32) + "\",\"sizeBytes\":2048}";

    private static String submitBody(String agency, String kind, String idNumber) {
        return """
                {"procedureCode":"2.000116","agencyCode":"%s",
                 "applicant":{"kind":"%s","idNumber":"%s","fullName":"Nguyễn Văn Dũng","phone":"0912345678"},
                 "documents":[%s]}""".formatted(agency, kind, idNumber, DOCUMENT);
    }

    // ---- requests and dossiers ---------------------------------------------------------------------------------------

    private static Http.Answer call(String side, String method, String path, String body, String[] headers) {
        Http http = side.equals("C") ? stack.commands() : stack.queries();
        return switch (method) {
            case "GET" -> http.get(path, headers);
            case "POST" -> http.post(path, body, headers);
            case "PUT" -> http.put(path, body, headers);
            case "DELETE" -> http.delete(path, headers);
            default -> throw new IllegalStateException("no request for " + method + " " + path);
        };
    }

    private static boolean sameProblem(Http.Answer a, Http.Answer b) {
        Document one = Document.parse(a.body().toString());
        Document two = Document.parse(b.body().toString());
        one.remove("requestId");
        two.remove("requestId");
        one.remove("instance");
        two.remove("instance");
        return one.equals(two);
    }

    /**
     * A dossier's stored events, counted by key: one lookup on the unique (aggregateIdentifier, sequenceNumber) key per
     * event and one for the first missing number (a count by dossier scans the whole store on the emulator).
     */
    private static long eventCount(String dossierId) {
        var events = stack.database().getCollection("events");
        long count = 0;
        while (events.find(new Document("aggregateIdentifier", dossierId).append("sequenceNumber", count)).first()
                != null) {
            count++;
        }
        return count;
    }

    private static Target submitOnline(String[] citizen, String agency) {
        Http.Answer answer = stack.commands().post("/api/v1/dossiers", submitBody(agency, "CITIZEN",
                citizen == CITIZEN ? CITIZEN_ID : "079190001234"), citizen);
        assertThat(answer.status()).as("submit %s", answer.body()).isEqualTo(201);
        return new Target(answer.body().path("dossierId").asText(), null);
    }

    private static Target submitAtDesk(String[] officer, String agency, String kind, String idNumber) {
        Http.Answer answer = stack.commands().post("/api/v1/dossiers", submitBody(agency, kind, idNumber), officer);
        assertThat(answer.status()).as("desk submission %s", answer.body()).isEqualTo(201);
        return new Target(answer.body().path("dossierId").asText(), null);
    }

    private static Target received(Target dossier, String[] officer) {
        Http.Answer answer = stack.commands().post("/api/v1/dossiers/" + dossier.id() + "/receipt", "{}", officer);
        assertThat(answer.status()).as("receipt %s", answer.body()).isEqualTo(200);
        return new Target(dossier.id(), answer.body().path("dossierCode").asText());
    }

    /** A fresh dossier in a state where the command of {@code pattern} is allowed. */
    private static Target prepared(String pattern, boolean forBusiness) {
        return prepared(pattern, forBusiness, CITIZEN, AGENCY, OFFICER);
    }

    private static Target prepared(String pattern, boolean forBusiness, String[] citizen, String agency,
                                   String[] officer) {
        Target dossier = forBusiness ? submitAtDesk(officer, agency, "BUSINESS", TAX_CODE)
                : submitOnline(citizen, agency);
        String base = "/api/v1/dossiers/" + dossier.id();
        String tail = pattern.substring(pattern.lastIndexOf('/') + 1);
        List<String[]> steps = new ArrayList<>();
        String[] receive = {"/receipt", "{}"};
        String[] process = {"/processing", body("/processing")};
        switch (tail) {
            case "receipt", "intake-refusal", "skipped-numbers" -> {
            }
            case "supplement-requests", "processing", "status" -> steps.add(receive);
            case "supplements" -> {
                steps.add(receive);
                steps.add(new String[]{"/supplement-requests", body("/supplement-requests")});
            }
            case "transfers", "steps", "payment-requests", "deadline-extensions", "stop", "result", "withdrawal" -> {
                steps.add(receive);
                steps.add(process);
            }
            case "payments" -> {
                steps.add(receive);
                steps.add(process);
                steps.add(new String[]{"/payment-requests", body("/payment-requests")});
            }
            case "result-return" -> {
                steps.add(receive);
                steps.add(process);
                steps.add(new String[]{"/result", body("/result")});
            }
            case "rating" -> {
                steps.add(receive);
                steps.add(process);
                steps.add(new String[]{"/result", body("/result")});
                steps.add(new String[]{"/result-return", body("/result-return")});
            }
            default -> throw new IllegalStateException("no preparation for the command " + pattern);
        }
        String code = null;
        for (String[] step : steps) {
            Http.Answer answer = stack.commands().post(base + step[0], step[1], officer);
            assertThat(answer.status()).as("%s %s", step[0], answer.body()).isEqualTo(200);
            if (step == receive) {
                code = answer.body().path("dossierCode").asText();
            }
        }
        return new Target(dossier.id(), code);
    }

    private static void awaitProjected(Target... dossiers) {
        List<String> ids = java.util.Arrays.stream(dossiers).map(Target::id).toList();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> stack.assertReadModelsMatchTheStore(ids));
        stack.elasticsearchRefresh();
    }

    private static Map<String, String> parse(String table) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : table.strip().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            rows.put(fields[0] + " " + fields[1] + " " + fields[2],
                    String.join(" ", java.util.Arrays.copyOfRange(fields, 3, fields.length)));
        }
        return rows;
    }
}
