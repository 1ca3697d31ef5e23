package vn.hoso.events;

/** The points given for one criterion of a rating scheme, out of that criterion's maximum. */
public record CriterionScore(String criterion, int points, int maxPoints) {
}
