package vn.hoso.command.dossier;

import java.time.LocalDate;

/**
 * Where a receipt gets its dossier code (unique system-wide): {@link DossierCodeRegistry} on MongoDB, an in-memory
 * one in the aggregate tests. The dossier reserves its code while it decides a receipt, and the reservation follows
 * the receipt's unit of work: confirmed once the receipt's event is stored, released if it is not.
 */
public interface DossierCodes {

    /** Reserves the next default code of the agency for the day of receipt. */
    DossierCodeRegistry.Reservation reserveNext(String agencyCode, LocalDate receivedOn, String dossierId);

    /** Reserves an agency system's own code; refused with DOSSIER_CODE_TAKEN when another dossier holds it. */
    DossierCodeRegistry.Reservation reserveOwn(String code, String dossierId);

    void confirm(DossierCodeRegistry.Reservation reservation);

    void release(DossierCodeRegistry.Reservation reservation);
}
