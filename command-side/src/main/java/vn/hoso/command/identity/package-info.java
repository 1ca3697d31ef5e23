/**
 * Who is calling (the {@link vn.hoso.access.Caller} of a validated access token), and the identifiers citizens and
 * businesses are known by. What a caller may do is decided by {@link vn.hoso.access.AccessPolicy}.
 */
package vn.hoso.command.identity;
