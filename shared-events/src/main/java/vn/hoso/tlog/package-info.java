/**
 * The verifiable log's mathematics, Spring-free and storage-free, so that the sealer, the services' proofs and the
 * inspectors' offline verifier share one definition: RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing,
 * tree heads, and inclusion and consistency proofs, produced and verified, checked against the published RFC 6962
 * test vectors. Where the leaf hashes live (tiles in MongoDB, a bundle on an inspector's disk) is the caller's.
 */
package vn.hoso.tlog;
