package vn.hoso.tlog;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Merkle code against the published RFC 6962 test vectors (the reference implementations' leaves, tree heads,
 * inclusion and consistency proofs, as transparency-dev/merkle and certificate-transparency carry them), and against
 * every proof of every tree up to 70 leaves, each also corrupted in the ways those test suites corrupt them.
 */
class MerkleTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final List<byte[]> LEAVES = List.of(h(""), h("00"), h("10"), h("2021"), h("3031"), h("40414243"),
            h("5051525354555657"), h("606162636465666768696a6b6c6d6e6f"));
    private static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    private static byte[] h(String hex) {
        return HEX.parseHex(hex);
    }

    private static Merkle.LeafHashes reference() {
        return index -> Merkle.leafHash(LEAVES.get((int) index));
    }

    private static List<byte[]> hashes(String... hex) {
        List<byte[]> list = new ArrayList<>();
        for (String value : hex) {
            list.add(h(value));
        }
        return list;
    }

    @Test
    void treeHeadsAreThePublishedOnes() {
        for (int size = 0; size <= 8; size++) {
            assertThat(HEX.formatHex(Merkle.root(reference(), size))).as("tree of %d", size).isEqualTo(ROOTS.get(size));
        }
    }

    @Test
    void inclusionProofsAreThePublishedOnes() {
        // (leaf index, tree size, proof), the reference vectors (their leaves are counted from 1)
        record Vector(long index, long size, List<byte[]> proof) {
        }
        List<Vector> vectors = List.of(
                new Vector(0, 8, hashes("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
                new Vector(5, 8, hashes("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
                new Vector(2, 3, hashes("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
                new Vector(1, 5, hashes("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));
        for (Vector v : vectors) {
            List<byte[]> proof = Merkle.inclusionProof(reference(), v.index(), v.size());
            assertThat(proof).as("proof of %d in %d", v.index(), v.size()).usingElementComparator(MerkleTest::compare)
                    .containsExactlyElementsOf(v.proof());
            assertThat(Merkle.verifyInclusion(v.index(), v.size(), reference().at(v.index()), v.proof(),
                    h(ROOTS.get((int) v.size())))).isTrue();
        }
    }

    @Test
    void consistencyProofsAreThePublishedOnes() {
        record Vector(long size1, long size2, List<byte[]> proof) {
        }
        List<Vector> vectors = List.of(
                new Vector(1, 1, List.of()),
                new Vector(1, 8, hashes("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
                new Vector(6, 8, hashes("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
                new Vector(2, 5, hashes("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));
        for (Vector v : vectors) {
            List<byte[]> proof = Merkle.consistencyProof(reference(), v.size1(), v.size2());
            assertThat(proof).as("proof from %d to %d", v.size1(), v.size2())
                    .usingElementComparator(MerkleTest::compare).containsExactlyElementsOf(v.proof());
            assertThat(Merkle.verifyConsistency(v.size1(), v.size2(), h(ROOTS.get((int) v.size1())),
                    h(ROOTS.get((int) v.size2())), v.proof())).isTrue();
        }
    }

    /** Every leaf of every tree up to 70 leaves: its proof verifies, and no corruption of it does. */
    @Test
    void everyInclusionProofVerifiesAndNoCorruptedOneDoes() {
        Merkle.LeafHashes leaves = index -> Merkle.leafHash(new byte[]{(byte) index, (byte) (index >> 8), 7});
        byte[] someHash = h("abacaba000000000000000000000000000000000000000000060061e00123456");
        for (long size = 1; size <= 70; size++) {
            byte[] root = Merkle.root(leaves, size);
            for (long index = 0; index < size; index++) {
                List<byte[]> proof = Merkle.inclusionProof(leaves, index, size);
                byte[] leaf = leaves.at(index);
                assertThat(Merkle.verifyInclusion(index, size, leaf, proof, root)).as("%d in %d", index, size).isTrue();
                List<String> accepted = new ArrayList<>();
                check(accepted, "index - 1", Merkle.verifyInclusion(index - 1, size, leaf, proof, root));
                check(accepted, "index + 1", Merkle.verifyInclusion(index + 1, size, leaf, proof, root));
                check(accepted, "index ^ 2", (index ^ 2) != index && Merkle.verifyInclusion(index ^ 2, size, leaf, proof, root));
                check(accepted, "size * 2", Merkle.verifyInclusion(index, size * 2, leaf, proof, root));
                check(accepted, "size / 2", Merkle.verifyInclusion(index, size / 2, leaf, proof, root));
                check(accepted, "wrong leaf", Merkle.verifyInclusion(index, size, someHash, proof, root));
                check(accepted, "empty root", Merkle.verifyInclusion(index, size, leaf, proof, h(ROOTS.get(0))));
                check(accepted, "trailing root", Merkle.verifyInclusion(index, size, leaf, with(proof, root, false), root));
                check(accepted, "preceding root", Merkle.verifyInclusion(index, size, leaf, with(proof, root, true), root));
                for (int i = 0; i < proof.size(); i++) {
                    List<byte[]> flipped = new ArrayList<>(proof);
                    byte[] bit = flipped.get(i).clone();
                    bit[0] ^= 8;
                    flipped.set(i, bit);
                    check(accepted, "flipped " + i, Merkle.verifyInclusion(index, size, leaf, flipped, root));
                }
                if (!proof.isEmpty()) {
                    check(accepted, "removed", Merkle.verifyInclusion(index, size, leaf,
                            proof.subList(0, proof.size() - 1), root));
                }
                assertThat(accepted).as("corruptions of the proof of %d in %d accepted", index, size).isEmpty();
            }
        }
    }

    /** Every pair of tree sizes up to 70: the consistency proof verifies, and no corruption of it does. */
    @Test
    void everyConsistencyProofVerifiesAndNoCorruptedOneDoes() {
        Merkle.LeafHashes leaves = index -> Merkle.leafHash(new byte[]{(byte) index, 3});
        byte[][] roots = new byte[71][];
        for (int size = 0; size <= 70; size++) {
            roots[size] = Merkle.root(leaves, size);
        }
        for (int size1 = 0; size1 <= 70; size1++) {
            for (int size2 = size1; size2 <= 70; size2++) {
                List<byte[]> proof = Merkle.consistencyProof(leaves, size1, size2);
                assertThat(Merkle.verifyConsistency(size1, size2, roots[size1], roots[size2], proof))
                        .as("%d to %d", size1, size2).isTrue();
                if (proof.isEmpty()) {
                    continue;
                }
                List<String> accepted = new ArrayList<>();
                check(accepted, "size1 - 1", Merkle.verifyConsistency(size1 - 1, size2, roots[size1], roots[size2], proof));
                check(accepted, "size1 + 1", Merkle.verifyConsistency(size1 + 1, size2, roots[size1], roots[size2], proof));
                check(accepted, "size2 * 2", Merkle.verifyConsistency(size1, size2 * 2, roots[size1], roots[size2], proof));
                check(accepted, "size2 / 2", Merkle.verifyConsistency(size1, size2 / 2, roots[size1], roots[size2], proof));
                check(accepted, "swapped roots", Merkle.verifyConsistency(size1, size2, roots[size2], roots[size1], proof));
                check(accepted, "empty proof", Merkle.verifyConsistency(size1, size2, roots[size1], roots[size2], List.of()));
                check(accepted, "trailing root", Merkle.verifyConsistency(size1, size2, roots[size1], roots[size2],
                        with(proof, roots[size2], false)));
                check(accepted, "preceding root", Merkle.verifyConsistency(size1, size2, roots[size1], roots[size2],
                        with(proof, roots[size1], true)));
                check(accepted, "truncated", Merkle.verifyConsistency(size1, size2, roots[size1], roots[size2],
                        proof.subList(0, proof.size() - 1)));
                for (int i = 0; i < proof.size(); i++) {
                    List<byte[]> flipped = new ArrayList<>(proof);
                    byte[] bit = flipped.get(i).clone();
                    bit[0] ^= 16;
                    flipped.set(i, bit);
                    check(accepted, "flipped " + i, Merkle.verifyConsistency(size1, size2, roots[size1], roots[size2],
                            flipped));
                }
                assertThat(accepted).as("corruptions of the proof from %d to %d accepted", size1, size2).isEmpty();
            }
        }
    }

    @Test
    void untrustedInputIsRefusedNotThrown() {
        byte[] root = Merkle.root(reference(), 8);
        assertThat(Merkle.verifyInclusion(0, 8, reference().at(0), null, root)).isFalse();
        assertThat(Merkle.verifyInclusion(0, 8, new byte[5], List.of(), root)).isFalse();
        assertThat(Merkle.verifyInclusion(0, 0, reference().at(0), List.of(), root)).isFalse();
        assertThat(Merkle.verifyInclusion(-1, 8, reference().at(0), List.of(), root)).isFalse();
        assertThat(Merkle.verifyConsistency(8, 4, root, root, List.of())).isFalse();
        assertThat(Merkle.verifyConsistency(2, 4, root, root, java.util.Arrays.asList(new byte[3]))).isFalse();
    }

    private static void check(List<String> accepted, String what, boolean verified) {
        if (verified) {
            accepted.add(what);
        }
    }

    private static List<byte[]> with(List<byte[]> proof, byte[] extra, boolean first) {
        List<byte[]> changed = new ArrayList<>(proof);
        if (first) {
            changed.add(0, extra);
        } else {
            changed.add(extra);
        }
        return changed;
    }

    private static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compare(a, b);
    }
}
