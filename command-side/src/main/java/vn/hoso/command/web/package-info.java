/**
 * HTTP plumbing shared by every endpoint: RFC 9457 problem documents with stable error codes and localised details,
 * and the request correlation id carried into logs, commands and events.
 */
package vn.hoso.command.web;
