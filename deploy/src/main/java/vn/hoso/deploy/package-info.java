/**
 * The embedded MongoDB of the local stack: {@code mongo-java-server} with its H2 backend, run as a small process of
 * its own that the command side (and later the query side) reach over the normal {@code mongodb://} protocol.
 */
package vn.hoso.deploy;
