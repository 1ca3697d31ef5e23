/**
 * A development OAuth2 authorization server for the local stack (Spring Authorization Server): demo people sign in
 * through the portal's public client (authorization code with PKCE), agency systems and the payment platform with
 * client credentials, and every access token is a JWT for the audience {@code hoso-api} that carries the opaque
 * account id, the role and the identifiers the API services decide with.
 *
 * <p>In production the national identity provider (VNeID) issues the tokens; the API services only need its issuer
 * URI and JWK set, so nothing here is used beyond development and demonstrations.
 */
package vn.hoso.auth;
