package vn.hoso.tlog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The right edge of a Merkle tree: for a tree of {@code size} leaves, the heads of its perfect subtrees from the left,
 * one per set bit of the size (at most 64 hashes). Enough to append the next leaf and to compute the tree head in
 * O(log size), without the leaves: what the sealer keeps, so that sealing costs the same at a thousand events as at a
 * billion. The same heads as {@link Merkle#root} computes from all the leaves.
 */
public final class CompactRange {

    private long size;
    private final List<byte[]> heads; // left (largest subtree) to right (smallest)

    private CompactRange(long size, List<byte[]> heads) {
        this.size = size;
        this.heads = heads;
    }

    /** The range of an empty tree. */
    public static CompactRange empty() {
        return new CompactRange(0, new ArrayList<>());
    }

    /** A stored range: its size and its subtree heads, left to right (one per set bit of the size). */
    public static CompactRange of(long size, List<byte[]> heads) {
        if (size < 0 || heads == null || heads.size() != Long.bitCount(size)
                || heads.stream().anyMatch(h -> h == null || h.length != Merkle.HASH_SIZE)) {
            throw new IllegalArgumentException("a compact range has one 32-byte head per set bit of its size");
        }
        List<byte[]> copy = new ArrayList<>();
        heads.forEach(h -> copy.add(h.clone()));
        return new CompactRange(size, copy);
    }

    /** Appends a leaf by its leaf hash ({@link Merkle#leafHash}). */
    public void append(byte[] leafHash) {
        if (leafHash == null || leafHash.length != Merkle.HASH_SIZE) {
            throw new IllegalArgumentException("a leaf hash has 32 bytes");
        }
        byte[] hash = leafHash.clone();
        // every trailing set bit of the size closes a perfect subtree with the new one: merge them, right to left
        for (long bits = size; (bits & 1) == 1; bits >>= 1) {
            hash = Merkle.nodeHash(heads.remove(heads.size() - 1), hash);
        }
        heads.add(hash);
        size++;
    }

    public long size() {
        return size;
    }

    /** The subtree heads, left to right. */
    public List<byte[]> heads() {
        List<byte[]> copy = new ArrayList<>();
        heads.forEach(h -> copy.add(h.clone()));
        return Collections.unmodifiableList(copy);
    }

    /** The tree head (RFC 9162 MTH): the subtree heads folded from the right. */
    public byte[] root() {
        if (size == 0) {
            return Merkle.root(index -> {
                throw new IllegalStateException("no leaves");
            }, 0);
        }
        byte[] root = heads.get(heads.size() - 1);
        for (int i = heads.size() - 2; i >= 0; i--) {
            root = Merkle.nodeHash(heads.get(i), root);
        }
        return root;
    }
}
