package vn.hoso.query.web;

import jakarta.servlet.http.HttpServletRequest;
import vn.hoso.events.ActorRole;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who is calling, from the development headers {@code X-Dev-Role}, {@code X-Dev-Actor} and {@code X-Dev-Agency}
 * (the same ones the command side reads), until real authentication lands.
 */
public record Caller(ActorRole role, String id, String agencyCode) {

    private static final Pattern AGENCY_CODE = Pattern.compile("\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}");
    private static final Pattern ACTOR_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,100}");

    public static Caller of(HttpServletRequest request) {
        String role = request.getHeader("X-Dev-Role");
        String id = request.getHeader("X-Dev-Actor");
        if (role == null || role.isBlank() || id == null || id.isBlank()) {
            throw new QueryProblem(QueryProblem.Code.UNAUTHENTICATED, null, "send X-Dev-Role and X-Dev-Actor");
        }
        ActorRole actorRole;
        try {
            actorRole = ActorRole.valueOf(role.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "X-Dev-Role", "unknown role");
        }
        if (!ACTOR_ID.matcher(id.trim()).matches()) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "X-Dev-Actor", "1-100 letters, digits, . _ : @ -");
        }
        String agency = request.getHeader("X-Dev-Agency");
        if (actorRole.actsForAgency()) {
            if (agency == null || !AGENCY_CODE.matcher(agency.trim()).matches()) {
                throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "X-Dev-Agency",
                        "an agency code like 000.00.01.H22");
            }
            return new Caller(actorRole, id.trim(), agency.trim());
        }
        return new Caller(actorRole, id.trim(), null);
    }

    /** Refuses anyone but an operator: the operator endpoints are theirs alone. */
    public void requireOperator() {
        if (role != ActorRole.OPERATOR) {
            throw new QueryProblem(QueryProblem.Code.NOT_ALLOWED, null, "only operators may do this");
        }
    }

    /** Whether this caller may read one dossier of {@code agencyCode} owned by {@code ownerId}. */
    public boolean mayRead(String agencyCode, String ownerId) {
        return switch (role) {
            case CITIZEN, BUSINESS -> id.equals(ownerId);
            case OFFICER, AGENCY_SYSTEM -> this.agencyCode.equals(agencyCode);
            case INSPECTOR -> true;
            case ANALYST, OPERATOR -> false;
        };
    }
}
