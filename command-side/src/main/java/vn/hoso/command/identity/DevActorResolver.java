package vn.hoso.command.identity;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;
import vn.hoso.events.Actor;
import vn.hoso.events.ActorRole;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the acting party from the development headers, until the identity issue brings real authentication:
 * <ul>
 *     <li>{@code X-Dev-Role}: CITIZEN, BUSINESS, OFFICER, AGENCY_SYSTEM, INSPECTOR or ANALYST;</li>
 *     <li>{@code X-Dev-Actor}: the account or system id (opaque; never a citizen ID number);</li>
 *     <li>{@code X-Dev-Agency}: the agency code an officer or agency system acts for, e.g. {@code 000.00.01.H22}.</li>
 * </ul>
 */
@Component
public class DevActorResolver {

    public static final String ROLE_HEADER = "X-Dev-Role";
    public static final String ACTOR_HEADER = "X-Dev-Actor";
    public static final String AGENCY_HEADER = "X-Dev-Agency";

    /** Agency codes look like {@code 000.00.01.H22} (DOMAIN.md glossary). */
    public static final String AGENCY_CODE_REGEX = "\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}";
    private static final Pattern AGENCY_CODE = Pattern.compile(AGENCY_CODE_REGEX);
    private static final Pattern ACTOR_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,100}");

    public Actor resolve(HttpServletRequest request) {
        String role = request.getHeader(ROLE_HEADER);
        String id = request.getHeader(ACTOR_HEADER);
        if (role == null || role.isBlank() || id == null || id.isBlank()) {
            throw new UnauthenticatedException();
        }
        ActorRole actorRole;
        try {
            actorRole = ActorRole.valueOf(role.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidActorException(ROLE_HEADER, "unknown role");
        }
        if (!ACTOR_ID.matcher(id.trim()).matches()) {
            throw new InvalidActorException(ACTOR_HEADER, "1-100 characters: letters, digits, . _ : @ -");
        }
        String agency = request.getHeader(AGENCY_HEADER);
        if (actorRole.actsForAgency()) {
            if (agency == null || !AGENCY_CODE.matcher(agency.trim()).matches()) {
                throw new InvalidActorException(AGENCY_HEADER, "an agency code like 000.00.01.H22");
            }
            agency = agency.trim();
        } else {
            agency = null;
        }
        return new Actor(actorRole, id.trim(), agency);
    }

    /** No acting party was given. */
    public static class UnauthenticatedException extends RuntimeException {
        UnauthenticatedException() {
            super("no acting party: send " + ROLE_HEADER + " and " + ACTOR_HEADER);
        }
    }

    /** A development header is present but unusable. */
    public static class InvalidActorException extends RuntimeException {
        private final String header;

        InvalidActorException(String header, String expected) {
            super(header + ": expected " + expected);
            this.header = header;
        }

        public String header() {
            return header;
        }
    }
}
