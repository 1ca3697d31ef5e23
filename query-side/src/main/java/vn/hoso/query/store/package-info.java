/**
 * The event stream the projections track: axon-mongo's storage engine on the command side's event collection,
 * Mongo tracking tokens, a propagating error handler (a failing handler never skips its event), and gap repair for
 * events a timestamp-based tracking token can skip.
 */
package vn.hoso.query.store;
