package vn.hoso.access;

/** The parties of DOMAIN.md's table (who may give a command), plus the two machine and staff roles that address one. */
public enum Party {
    /** The account that submitted the dossier. */
    OWNER,
    /** An officer of the dossier's agency, or that agency's own system. */
    AGENCY,
    /** The owner or the agency (submit, supplement). */
    OWNER_OR_AGENCY,
    /** The payment platform recording an online payment, or the agency recording a payment made at the desk. */
    PAYMENT,
    /** The dossier's agency's own system, reporting in the portal's status codes. */
    AGENCY_SYSTEM,
    /** An operator (skipping a report number that will never come). */
    OPERATOR
}
