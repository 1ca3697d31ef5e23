package vn.hoso.command.dossier;

import org.springframework.stereotype.Component;
import vn.hoso.command.dossier.DossierRequests.ApplicantBody;
import vn.hoso.command.dossier.DossierRequests.RatingBody;
import vn.hoso.command.dossier.RequestValidationException.Fault;
import vn.hoso.command.identity.Identifiers;
import vn.hoso.events.Actor;
import vn.hoso.events.ApplicantKind;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The checks of a request that need more than its shape: identifiers, time, the rating scheme. */
@Component
public class CommandRequestValidator {

    private final Clock clock;
    private final TimeRules rules;

    public CommandRequestValidator(Clock clock, TimeRules rules) {
        this.clock = clock;
        this.rules = rules;
    }

    /**
     * When the action happened: now, unless an officer or agency system reports an earlier time (an agency system
     * may report late, up to {@link TimeRules#maxReportLateness()}). Applicants act now: a reported time from them is
     * refused. The dossier checks the rest (never before its previous event).
     */
    public Instant occurredAt(Actor actor, Instant reported) {
        Instant now = clock.instant();
        if (reported == null) {
            return now;
        }
        if (!actor.role().actsForAgency()) {
            throw new RequestValidationException("occurredAt", "occurredAt.notAgency");
        }
        if (reported.isAfter(now.plus(rules.clockSkew()))) {
            throw new RequestValidationException("occurredAt", "occurredAt.future");
        }
        if (reported.isBefore(now.minus(rules.maxReportLateness()))) {
            throw new RequestValidationException("occurredAt", "occurredAt.tooOld", rules.maxReportLateness().toDays());
        }
        return reported;
    }

    public void checkApplicant(ApplicantBody applicant) {
        boolean valid = applicant.kind() == ApplicantKind.CITIZEN
                ? Identifiers.isValidCitizenId(applicant.idNumber(), Year.now(clock))
                : Identifiers.isValidTaxCode(applicant.idNumber());
        if (!valid) {
            throw new RequestValidationException("applicant.idNumber", applicant.kind() == ApplicantKind.CITIZEN
                    ? "idNumber.citizen" : "idNumber.taxCode");
        }
    }

    public void checkRating(RatingBody body, RatingScheme scheme) {
        List<Fault> problems = new ArrayList<>();
        for (String criterion : scheme.criteria()) {
            if (!body.criteria().containsKey(criterion)) {
                problems.add(new Fault("criteria." + criterion, "criteria.missing"));
            }
        }
        long unknown = 0;
        for (Map.Entry<String, Integer> entry : body.criteria().entrySet()) {
            if (!scheme.criteria().contains(entry.getKey())) {
                unknown++; // counted, never echoed: a key is whatever the client sent
            } else if (entry.getValue() == null || entry.getValue() < 0
                    || entry.getValue() > scheme.maxPointsPerCriterion()) {
                problems.add(new Fault("criteria." + entry.getKey(), "criteria.range", scheme.maxPointsPerCriterion()));
            }
        }
        if (unknown > 0) {
            problems.add(new Fault("criteria", "criteria.unknown", unknown, scheme.id(),
                    String.join(", ", scheme.criteria())));
        }
        if (!problems.isEmpty()) {
            throw new RequestValidationException(problems);
        }
    }

}
