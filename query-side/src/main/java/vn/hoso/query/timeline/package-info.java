/**
 * Dossier timelines: the ordered history a citizen reads, one MongoDB document per dossier keyed by its id, each
 * step with its time, the acting role and unit, Vietnamese and English labels, reasons, missing items and the due
 * date at that moment.
 */
package vn.hoso.query.timeline;
