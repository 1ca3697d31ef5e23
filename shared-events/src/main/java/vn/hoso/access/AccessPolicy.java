package vn.hoso.access;

import vn.hoso.events.ActorRole;
import vn.hoso.events.PaymentMethod;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Who may see and do what (DOMAIN.md: actors, "who may do what", personal data). Every rule is here; the command
 * side asks it before dispatch and in the dossier, the query side inside every query.
 * <ul>
 *     <li>A citizen or business sees a dossier it submitted, or whose applicant ID equals its citizen-ID or
 *     tax-code claim (desk submissions included); only the owner (the account that submitted) acts on it.</li>
 *     <li>Officers and agency systems see and act on their own agency's dossiers.</li>
 *     <li>The payment platform records online payments and reads nothing.</li>
 *     <li>Inspectors read everything (dossiers, names, raw histories, reports) and change nothing.</li>
 *     <li>Analysts read reports only: aggregates, never a dossier or a name.</li>
 *     <li>Operators use the operator endpoints only (dead letters, integrity checks, skipped report numbers,
 *     the management endpoints) and see no personal data.</li>
 * </ul>
 * A caller who may not see a dossier cannot learn that it exists: every refusal over an unseen dossier is the
 * answer for an absent one.
 */
public final class AccessPolicy {

    private AccessPolicy() {
    }

    /**
     * What a decision about one dossier needs: its agency, its owner (the account that submitted it) and a test
     * of a caller's ID claim against its applicant (the raw ID on the command side, a keyed hash on the query side).
     */
    public record DossierFacts(String agencyCode, String ownerId, Predicate<String> applicantIs) {
    }

    /** Whether {@code caller} may see the dossier: that it exists, its state, its history and its applicant. */
    public static boolean maySee(Caller caller, DossierFacts dossier) {
        return switch (caller.role()) {
            case CITIZEN, BUSINESS -> caller.accountId().equals(dossier.ownerId())
                    || caller.applicantId() != null && dossier.applicantIs() != null
                    && dossier.applicantIs().test(caller.applicantId());
            case OFFICER, AGENCY_SYSTEM -> Objects.equals(caller.agencyCode(), dossier.agencyCode());
            case INSPECTOR -> true;
            case PAYMENT_PLATFORM, ANALYST, OPERATOR -> false;
        };
    }

    /**
     * Whether {@code caller} may address the dossier with a command for {@code party} at all (else the dossier is,
     * for it, absent): those who see it, the payment platform recording a payment, an operator skipping a number.
     */
    public static boolean mayAddress(Caller caller, DossierFacts dossier, Party party) {
        return maySee(caller, dossier)
                || party == Party.PAYMENT && caller.role() == ActorRole.PAYMENT_PLATFORM
                || party == Party.OPERATOR && caller.role() == ActorRole.OPERATOR;
    }

    /**
     * Whether {@code caller} is the party that may give a command for {@code party} on the dossier ({@code method}:
     * of a payment, else null).
     */
    public static boolean mayAct(Caller caller, Party party, DossierFacts dossier, PaymentMethod method) {
        boolean owner = caller.role().canOwnDossiers() && caller.accountId().equals(dossier.ownerId());
        boolean agency = caller.role().actsForAgency() && Objects.equals(caller.agencyCode(), dossier.agencyCode());
        return switch (party) {
            case OWNER -> owner;
            case AGENCY -> agency;
            case OWNER_OR_AGENCY -> owner || agency;
            case PAYMENT -> method == PaymentMethod.ONLINE ? caller.role() == ActorRole.PAYMENT_PLATFORM
                    : method == PaymentMethod.AT_DESK && agency;
            case AGENCY_SYSTEM -> agency && caller.role() == ActorRole.AGENCY_SYSTEM;
            case OPERATOR -> caller.role() == ActorRole.OPERATOR;
        };
    }

    /** Whether {@code caller} may submit a dossier to {@code agencyCode}: an applicant online, the agency at its desk. */
    public static boolean maySubmit(Caller caller, String agencyCode) {
        return caller.role().canOwnDossiers()
                || caller.role().actsForAgency() && Objects.equals(caller.agencyCode(), agencyCode);
    }

    /** Which dossiers {@code caller} may list or search (each query filters by it). */
    public sealed interface Scope {
        /** Every dossier (inspectors). */
        record Every() implements Scope {
        }

        /** One agency's dossiers (officers and agency systems). */
        record OfAgency(String agencyCode) implements Scope {
        }

        /** The dossiers an account submitted or is the applicant of (citizens and businesses). */
        record OfApplicant(String accountId, String applicantId) implements Scope {
        }

        /** None at all (the payment platform, analysts, operators). */
        record None() implements Scope {
        }
    }

    public static Scope dossiersVisibleTo(Caller caller) {
        return switch (caller.role()) {
            case CITIZEN, BUSINESS -> new Scope.OfApplicant(caller.accountId(), caller.applicantId());
            case OFFICER, AGENCY_SYSTEM -> new Scope.OfAgency(caller.agencyCode());
            case INSPECTOR -> new Scope.Every();
            case PAYMENT_PLATFORM, ANALYST, OPERATOR -> new Scope.None();
        };
    }

    /** Satisfaction and timeliness reports (aggregates): analysts and inspectors. */
    public static boolean mayReadReports(Caller caller) {
        return caller.role() == ActorRole.ANALYST || caller.role() == ActorRole.INSPECTOR;
    }

    /**
     * The operator endpoints (dead letters, completeness checks, skipped report numbers) and the management
     * endpoints (metrics, health details): operators only.
     */
    public static boolean mayOperate(Caller caller) {
        return caller.role() == ActorRole.OPERATOR;
    }

    /**
     * The inspectors' audit: a dossier's state at a past moment, its stages measured against its statutory time, and
     * the breach lists of agencies and procedures. Inspectors only (officers, applicants and analysts read their own
     * views: the timeline, the reports).
     */
    public static boolean mayAudit(Caller caller) {
        return caller.role() == ActorRole.INSPECTOR;
    }

    /** Verifications of the sealed history and the sealer's anomalies: operators and inspectors. */
    public static boolean mayAuditTheLog(Caller caller) {
        return caller.role() == ActorRole.OPERATOR || caller.role() == ActorRole.INSPECTOR;
    }

    /** The role Spring Security grants the operator, for the management endpoints. */
    public static final String OPERATOR_AUTHORITY = "ROLE_OPERATOR";
}
