/**
 * Who is calling, and the identifiers citizens and businesses are known by. Until the identity issue lands, the
 * acting party comes from the documented development headers ({@link vn.hoso.command.identity.DevActorResolver}).
 */
package vn.hoso.command.identity;
