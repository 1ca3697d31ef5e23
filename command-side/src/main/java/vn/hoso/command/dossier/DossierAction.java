package vn.hoso.command.dossier;

import vn.hoso.access.Party;

import vn.hoso.events.DossierStatus;

import java.util.EnumSet;
import java.util.Set;

import static vn.hoso.events.DossierStatus.*;

/**
 * DOMAIN.md's "who may do what, from which state" table: for each action, the party that may take it and the
 * states it is allowed in. The target state is decided by the aggregate (some actions return to the state before a
 * pause).
 */
public enum DossierAction {
    SUBMIT(Party.OWNER_OR_AGENCY, EnumSet.noneOf(DossierStatus.class)),
    RECEIVE(Party.AGENCY, EnumSet.of(SUBMITTED)),
    REFUSE_INTAKE(Party.AGENCY, EnumSet.of(SUBMITTED)),
    REQUEST_SUPPLEMENT(Party.AGENCY, EnumSet.of(SUBMITTED, RECEIVED, PROCESSING)),
    SUPPLEMENT(Party.OWNER_OR_AGENCY, EnumSet.of(SUPPLEMENT_REQUESTED)),
    START_PROCESSING(Party.AGENCY, EnumSet.of(RECEIVED)),
    TRANSFER(Party.AGENCY, EnumSet.of(PROCESSING)),
    COMPLETE_STEP(Party.AGENCY, EnumSet.of(PROCESSING)),
    REQUEST_PAYMENT(Party.AGENCY, EnumSet.of(RECEIVED, PROCESSING, RESULT_READY)),
    PAY_FEE(Party.PAYMENT, EnumSet.of(PAYMENT_REQUESTED, SUBMITTED)),
    EXTEND_DEADLINE(Party.AGENCY, EnumSet.of(RECEIVED, PROCESSING)),
    STOP_PROCESSING(Party.AGENCY, EnumSet.of(RECEIVED, PROCESSING, SUPPLEMENT_REQUESTED, PAYMENT_REQUESTED)),
    ISSUE_RESULT(Party.AGENCY, EnumSet.of(PROCESSING)),
    RETURN_RESULT(Party.AGENCY, EnumSet.of(RESULT_READY)),
    WITHDRAW(Party.OWNER, EnumSet.of(SUBMITTED, RECEIVED, PROCESSING, SUPPLEMENT_REQUESTED, PAYMENT_REQUESTED)),
    RATE(Party.OWNER, EnumSet.of(RESULT_RETURNED, INTAKE_REFUSED));

    private final Party party;
    private final Set<DossierStatus> allowedIn;

    DossierAction(Party party, Set<DossierStatus> allowedIn) {
        this.party = party;
        this.allowedIn = allowedIn;
    }

    Party party() {
        return party;
    }

    public boolean allowedIn(DossierStatus status) {
        return allowedIn.contains(status);
    }
}
