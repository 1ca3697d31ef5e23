/**
 * The dossier events (past tense, one immutable record per fact) and the value types they carry. (The working-time
 * calendar both sides count with lives beside it, in {@code vn.hoso.calendar}.)
 * <p>
 * Every event is self-contained: it carries what read models and auditors need, so nobody recomputes history
 * from a calendar or a catalogue that may have changed since. Events are evolved by upcasters, never edited in
 * place; each starts at {@code @Revision("1")}. No Spring, and no Axon beyond {@code @Revision}.
 */
package vn.hoso.events;
