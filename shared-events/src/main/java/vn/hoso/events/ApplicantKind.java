package vn.hoso.events;

/** Whether the applicant is a person (identified by a citizen ID) or a business (identified by a tax code). */
public enum ApplicantKind {
    CITIZEN,
    BUSINESS
}
