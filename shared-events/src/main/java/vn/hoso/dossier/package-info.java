/**
 * The one fold of a dossier's state: a pure function of its events ({@link vn.hoso.dossier.DossierFold}), used by
 * the dossier aggregate on the command side to decide and by the inspectors' audit to rebuild a dossier as it stood at
 * any moment, so that the two can never disagree on what a history means. Spring-free, and free of any clock or
 * calendar: every measurement it adds up was made when the event was recorded and travels in the event.
 */
package vn.hoso.dossier;
