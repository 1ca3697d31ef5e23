/**
 * The sealed history on the query side: the sealer that makes every event a leaf of the Merkle log and signs its
 * checkpoints (one instance at a time), the public log API (checkpoints, keys, proofs), and the verifications that
 * operators and inspectors start ({@code vn.hoso.eventstore.SealedLog}, {@code LogSealer}, {@code LogVerifier}).
 */
package vn.hoso.query.log;
