/**
 * Who may see and do what: the one access policy of HoSo ({@link vn.hoso.access.AccessPolicy}), used by the command
 * side (before dispatch and in the dossier) and inside every query of the query side, and the authenticated caller
 * it decides about ({@link vn.hoso.access.Caller}). Framework-free, so that both sides and their tests share it.
 */
package vn.hoso.access;
