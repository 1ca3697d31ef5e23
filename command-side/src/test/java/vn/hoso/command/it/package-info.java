/**
 * Integration tests: the real command side over HTTP, on the embedded MongoDB (mongo-java-server with the H2
 * backend, started in-process) or on the server {@code MONGODB_URI} names when it is set.
 */
package vn.hoso.command.it;
