package vn.hoso.events;

/** Who acts on the portal. Citizens and businesses own dossiers; officers and agency systems act for an agency. */
public enum ActorRole {
    CITIZEN,
    BUSINESS,
    OFFICER,
    AGENCY_SYSTEM,
    /** The national payment platform (a machine client): records online payments, reads nothing. */
    PAYMENT_PLATFORM,
    INSPECTOR,
    ANALYST,
    /** Runs the system (dead letters, integrity checks); sees no dossier and no personal data. */
    OPERATOR;

    public boolean actsForAgency() {
        return this == OFFICER || this == AGENCY_SYSTEM;
    }

    public boolean canOwnDossiers() {
        return this == CITIZEN || this == BUSINESS;
    }
}
