package vn.hoso.access;

import vn.hoso.events.Actor;
import vn.hoso.events.ActorRole;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The authenticated caller, from the claims of its access token: its role, its opaque account id (the token's
 * subject: never a citizen ID), the agency an officer or agency system acts for, and the citizen ID or tax code
 * a citizen or business account holds ({@code applicantId}: personal data, used only to match the dossiers it
 * is the applicant of, never logged, never stored in an event; {@link #toString()} leaves it out).
 */
public record Caller(ActorRole role, String accountId, String agencyCode, String applicantId) {

    /** The token claims HoSo reads, besides the subject. */
    public static final String ROLE_CLAIM = "role";
    public static final String AGENCY_CLAIM = "agency";
    public static final String CITIZEN_ID_CLAIM = "citizen_id";
    public static final String TAX_CODE_CLAIM = "tax_code";

    /** Agency codes look like {@code 000.00.01.H22} (DOMAIN.md glossary). */
    public static final Pattern AGENCY_CODE = Pattern.compile("\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}");
    /** An opaque account or client id: no e-mail address (no {@code @}), never a citizen ID or tax code. */
    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final Pattern APPLICANT_ID = Pattern.compile("\\d{12}|\\d{10}(-\\d{3})?");
    private static final Pattern CITIZEN_ID = Pattern.compile("\\d{12}");
    private static final Pattern TAX_CODE = Pattern.compile("\\d{10}(-\\d{3})?");

    public Caller {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(accountId, "accountId");
    }

    /**
     * Reads a caller from a token's subject and claims ({@code claim} answers a claim's text, or null).
     *
     * @throws InvalidClaimException naming the claim that is missing or unusable
     */
    public static Caller fromClaims(String subject, Function<String, String> claim) {
        if (!isAccountId(subject)) {
            // an account is known by an opaque id; a subject that is a citizen ID or tax code would be logged
            throw new InvalidClaimException("sub");
        }
        String roleName = claim.apply(ROLE_CLAIM);
        ActorRole role;
        try {
            role = ActorRole.valueOf(String.valueOf(roleName).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidClaimException(ROLE_CLAIM);
        }
        String agency = null;
        if (role.actsForAgency()) {
            agency = claim.apply(AGENCY_CLAIM);
            if (agency == null || !AGENCY_CODE.matcher(agency).matches()) {
                throw new InvalidClaimException(AGENCY_CLAIM);
            }
        }
        String applicantId = null;
        if (role.canOwnDossiers()) {
            String name = role == ActorRole.CITIZEN ? CITIZEN_ID_CLAIM : TAX_CODE_CLAIM;
            applicantId = claim.apply(name);
            Pattern shape = role == ActorRole.CITIZEN ? CITIZEN_ID : TAX_CODE;
            if (applicantId != null && !shape.matcher(applicantId).matches()) {
                throw new InvalidClaimException(name);
            }
        }
        return new Caller(role, subject, agency, applicantId);
    }

    /** Whether {@code id} may name an account: opaque, never an e-mail address, a citizen ID or a tax code. */
    public static boolean isAccountId(String id) {
        return id != null && ACCOUNT_ID.matcher(id).matches() && !APPLICANT_ID.matcher(id).matches();
    }

    /** The caller as it is recorded in the events it causes: role, account id and agency; never its ID claim. */
    public Actor actor() {
        return new Actor(role, accountId, agencyCode);
    }

    @Override
    public String toString() {
        return role + " " + accountId + (agencyCode != null ? " of " + agencyCode : "");
    }

    /** A token was valid but one of HoSo's claims is missing or unusable (a misconfigured issuer or client). */
    public static class InvalidClaimException extends RuntimeException {
        private final String claim;

        public InvalidClaimException(String claim) {
            super("the access token's claim '" + claim + "' is missing or unusable");
            this.claim = claim;
        }

        public String claim() {
            return claim;
        }
    }
}
