package vn.hoso.events;

/** How a dossier was submitted, or how its result was returned. */
public enum Channel {
    ONLINE,
    DESK,
    POST
}
