/**
 * The inspectors' audit of one dossier, rebuilt from the event store (never from a read model) with the one fold of a
 * dossier's state ({@link vn.hoso.dossier.DossierFold}): its state at any moment, by the time events were recorded or
 * by the time they were reported to have happened, with the last folded event's inclusion proof in the sealed log;
 * its stages with their working time against the statutory due date; late reports flagged.
 */
package vn.hoso.command.audit;
