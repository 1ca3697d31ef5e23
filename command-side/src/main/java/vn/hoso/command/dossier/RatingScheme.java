package vn.hoso.command.dossier;

import java.util.List;

/**
 * A satisfaction rating scheme: a set of criteria and the points each is worth. The default follows the public
 * provincial implementation DOMAIN.md describes: 9 criteria worth up to 2 points each (18 in total).
 */
public record RatingScheme(String id, int version, List<String> criteria, int maxPointsPerCriterion) {

    public static final RatingScheme PROVINCIAL_9X2 = new RatingScheme("provincial-9x2", 1, List.of(
            "TOTAL_TIME_AGAINST_LIMIT",
            "TIME_AT_EACH_UNIT",
            "NUMBER_OF_CONTACTS",
            "NUMBER_OF_AGENCIES_CONTACTED",
            "HANDLED_AT_ONE_STOP_DESK",
            "PROCEDURE_PUBLISHED",
            "STAFF_ATTITUDE",
            "FEEDBACK_HANDLING",
            "ONLINE_SERVICE_QUALITY"), 2);
}
