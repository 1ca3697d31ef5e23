package vn.hoso.events;

/** How a fee was paid: online by the owner, or at the desk and recorded by the agency. */
public enum PaymentMethod {
    ONLINE,
    AT_DESK
}
