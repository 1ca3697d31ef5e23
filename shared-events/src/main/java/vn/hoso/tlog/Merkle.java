package vn.hoso.tlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 section 2.1: a Merkle tree over leaf hashes {@code SHA-256(0x00 || data)}, whose interior nodes are
 * {@code SHA-256(0x01 || left || right)}, split at the largest power of two smaller than the range; the head of an
 * empty tree is {@code SHA-256("")}. Proofs are produced from any source of leaf hashes ({@link LeafHashes}) and verified
 * from hashes alone. A proof that does not verify is {@code false}, never an exception: its input is untrusted.
 */
public final class Merkle {

    /** The leaf hashes of a tree, by index (0-based). */
    @FunctionalInterface
    public interface LeafHashes {
        byte[] at(long index);
    }

    /**
     * The heads of a tree's perfect subtrees: {@code perfect(level, index)} is the head of the {@code 2^level} leaves
     * from {@code index * 2^level}. Every head and proof of RFC 9162 is made of such subtrees (its left halves are
     * always perfect and aligned), so a store that keeps them (tiles: {@code vn.hoso.eventstore.SealedLog}) answers a
     * proof with O(log size) lookups instead of reading every leaf.
     */
    @FunctionalInterface
    public interface Subtrees {
        byte[] perfect(int level, long index);
    }

    public static final int HASH_SIZE = 32;

    private Merkle() {
    }

    /** {@code SHA-256(0x00 || data)}. */
    public static byte[] leafHash(byte[] data) {
        MessageDigest digest = sha256();
        digest.update((byte) 0x00);
        digest.update(data);
        return digest.digest();
    }

    /** {@code SHA-256(0x01 || left || right)}. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest digest = sha256();
        digest.update((byte) 0x01);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    /** The head of the tree of the first {@code size} leaves (MTH). */
    public static byte[] root(LeafHashes leaves, long size) {
        return root(over(leaves), size);
    }

    /** The head of the tree of the first {@code size} leaves, from its perfect subtrees. */
    public static byte[] root(Subtrees subtrees, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("a tree size is not negative: " + size);
        }
        return size == 0 ? sha256().digest() : subtree(subtrees, 0, size);
    }

    /** The perfect subtrees of a tree given by its leaf hashes (each computed from its leaves). */
    public static Subtrees over(LeafHashes leaves) {
        return new Subtrees() {
            @Override
            public byte[] perfect(int level, long index) {
                return level == 0 ? leaves.at(index)
                        : nodeHash(perfect(level - 1, 2 * index), perfect(level - 1, 2 * index + 1));
            }
        };
    }

    /** The inclusion proof (audit path) of leaf {@code index} in the tree of the first {@code size} leaves. */
    public static List<byte[]> inclusionProof(LeafHashes leaves, long index, long size) {
        return inclusionProof(over(leaves), index, size);
    }

    /** The inclusion proof of leaf {@code index} in the tree of the first {@code size} leaves, from its subtrees. */
    public static List<byte[]> inclusionProof(Subtrees leaves, long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(leaves, index, 0, size, path);
        return path;
    }

    /** The consistency proof between the trees of the first {@code size1} and {@code size2} leaves. */
    public static List<byte[]> consistencyProof(LeafHashes leaves, long size1, long size2) {
        return consistencyProof(over(leaves), size1, size2);
    }

    /** The consistency proof between the trees of the first {@code size1} and {@code size2} leaves, from subtrees. */
    public static List<byte[]> consistencyProof(Subtrees leaves, long size1, long size2) {
        if (size1 < 0 || size1 > size2) {
            throw new IllegalArgumentException("no consistency proof from " + size1 + " to " + size2);
        }
        List<byte[]> proof = new ArrayList<>();
        if (size1 > 0 && size1 < size2) {
            subproof(leaves, size1, 0, size2, true, proof);
        }
        return proof;
    }

    /** RFC 9162 2.1.3.2: whether {@code proof} shows the leaf with this hash at {@code index} under {@code root}. */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size || !sized(leafHash) || !sized(root) || proof == null) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0 || !sized(p)) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /** RFC 9162 2.1.4.2: whether {@code proof} shows the tree of {@code size2} extends the tree of {@code size1}. */
    public static boolean verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        if (size1 < 0 || size2 < size1 || proof == null || !sized(root1) || !sized(root2)) {
            return false;
        }
        if (size1 == size2) {
            return proof.isEmpty() && MessageDigest.isEqual(root1, root2);
        }
        if (size1 == 0) {
            // the empty tree is a prefix of every tree, and its head is SHA-256 of nothing: no other claims size 0
            return proof.isEmpty() && MessageDigest.isEqual(root1, sha256().digest());
        }
        if (proof.isEmpty() || proof.stream().anyMatch(p -> !sized(p))) {
            return false;
        }
        List<byte[]> path = new ArrayList<>();
        if (Long.bitCount(size1) == 1) {
            path.add(root1);
        }
        path.addAll(proof);
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, root1) && MessageDigest.isEqual(sr, root2);
    }

    // ---- RFC 9162 2.1.1 to 2.1.4: the recursive definitions, over leaves [from, to) ------------------------------

    private static byte[] subtree(Subtrees leaves, long from, long to) {
        long n = to - from;
        if (Long.bitCount(n) == 1) {
            int level = Long.numberOfTrailingZeros(n);
            return leaves.perfect(level, from >>> level); // (a perfect range here always starts at a multiple of n)
        }
        long k = split(n);
        return nodeHash(subtree(leaves, from, from + k), subtree(leaves, from + k, to));
    }

    private static void path(Subtrees leaves, long m, long from, long to, List<byte[]> out) {
        long n = to - from;
        if (n == 1) {
            return;
        }
        long k = split(n);
        if (m < k) {
            path(leaves, m, from, from + k, out);
            out.add(subtree(leaves, from + k, to));
        } else {
            path(leaves, m - k, from + k, to, out);
            out.add(subtree(leaves, from, from + k));
        }
    }

    private static void subproof(Subtrees leaves, long m, long from, long to, boolean complete, List<byte[]> out) {
        long n = to - from;
        if (m == n) {
            if (!complete) {
                out.add(subtree(leaves, from, to));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(leaves, m, from, from + k, complete, out);
            out.add(subtree(leaves, from + k, to));
        } else {
            subproof(leaves, m - k, from + k, to, false, out);
            out.add(subtree(leaves, from, from + k));
        }
    }

    /** The largest power of two smaller than {@code n} (n > 1). */
    private static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static boolean sized(byte[] hash) {
        return hash != null && hash.length == HASH_SIZE;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
