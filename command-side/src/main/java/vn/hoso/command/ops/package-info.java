/**
 * Operability: the MongoDB health check that readiness depends on, and the OpenAPI description of the API.
 */
package vn.hoso.command.ops;
