package vn.hoso.events;

/** The outcome of processing: the request is granted, or refused with reasons. */
public enum ResultDecision {
    APPROVED,
    REFUSED
}
