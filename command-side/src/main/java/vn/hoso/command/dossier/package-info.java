/**
 * The dossier: its commands, the {@link vn.hoso.command.dossier.Dossier} aggregate that alone decides what may happen
 * (DOMAIN.md's "who may do what, from which state" table), dossier codes, and the HTTP command API.
 */
package vn.hoso.command.dossier;
