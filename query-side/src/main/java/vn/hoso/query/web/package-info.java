/**
 * HTTP plumbing of the query side: who is calling (the development headers, until the identity issue), RFC 9457
 * problem documents with stable codes, and the request id in the logs.
 */
package vn.hoso.query.web;
