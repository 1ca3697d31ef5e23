/** Proof that the read models hold every event: the completeness check and its operator endpoint. */
package vn.hoso.query.completeness;
