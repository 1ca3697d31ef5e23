package vn.hoso.events;

/** The overall level the owner chooses: rất hài lòng / hài lòng / không hài lòng. */
public enum RatingLevel {
    VERY_SATISFIED,
    SATISFIED,
    DISSATISFIED
}
