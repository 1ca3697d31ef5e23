package vn.hoso.events;

/** When a procedure's fee falls due. */
public enum FeeDue {
    /** Paid with the submission; a dossier with such fees unpaid cannot have its result returned. */
    AT_SUBMISSION,
    /** Requested by the agency during processing (a payment request). */
    ON_REQUEST
}
