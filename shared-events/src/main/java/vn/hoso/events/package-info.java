/**
 * The dossier events (past tense, one immutable record per fact) and the value types they carry. (The working-time
 * calendar both sides count with lives beside it, in {@code vn.hoso.calendar}.)
 * <p>
 * Every event is self-contained: it carries what read models and auditors need, so nobody recomputes history
 * from a calendar or a catalogue that may have changed since; a fact that decides behaviour or a report is a typed
 * field of the payload, never metadata. <b>The rule for every change:</b> no code rewrites a stored event document
 * (the erasure of personal data aside, which deletes values kept apart for it); an event evolves by a new
 * {@code @Revision}, an upcaster from the one before in {@code vn.hoso.events.upcasting}, and a document of the new
 * revision in the golden corpus ({@code src/test/resources/golden/}). Every event is at revision 2: the facts the dossier
 * measures as it records an event moved from metadata into the payload. No Spring, and no Axon beyond
 * {@code @Revision}.
 */
package vn.hoso.events;
