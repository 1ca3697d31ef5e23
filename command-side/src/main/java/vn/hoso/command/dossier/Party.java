package vn.hoso.command.dossier;

/** The parties of DOMAIN.md's table: who may give a command. */
enum Party {
    /** The account that submitted the dossier. */
    OWNER,
    /** An officer of the dossier's agency, or that agency's own system. */
    AGENCY,
    /** The owner or the agency (submit, supplement). */
    OWNER_OR_AGENCY,
    /** The owner paying online, or the agency recording a payment made at the desk. */
    PAYMENT
}
