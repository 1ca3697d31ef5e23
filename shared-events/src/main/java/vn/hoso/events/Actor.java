package vn.hoso.events;

import java.util.Objects;

/**
 * The acting party of an event: its role, its account or system id (an opaque identifier, never a citizen ID
 * number) and, for officers and agency systems, the agency code it acts for.
 */
public record Actor(ActorRole role, String id, String agencyCode) {
    public Actor {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(id, "id");
    }
}
