package vn.hoso.tlog;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compact range's tree head is the one computed from all the leaves, at every size, and survives storing. */
class CompactRangeTest {

    @Test
    void itsHeadIsTheTreeHeadAtEverySize() {
        Merkle.LeafHashes leaves = index -> Merkle.leafHash(new byte[]{(byte) index, (byte) (index >> 8), 1});
        CompactRange range = CompactRange.empty();
        assertThat(range.root()).isEqualTo(Merkle.root(leaves, 0));
        for (long size = 1; size <= 600; size++) {
            range.append(leaves.at(size - 1));
            assertThat(range.size()).isEqualTo(size);
            assertThat(range.heads()).hasSize(Long.bitCount(size));
            assertThat(range.root()).as("head at %d", size).isEqualTo(Merkle.root(leaves, size));
            // stored and read back (the sealer keeps it in its state), it goes on the same way
            range = CompactRange.of(range.size(), range.heads());
        }
    }

    @Test
    void thePublishedTreeHeadOfEightLeaves() {
        byte[][] data = {new byte[0], {0x00}, {0x10}, {0x20, 0x21}, {0x30, 0x31}, {0x40, 0x41, 0x42, 0x43},
                {0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57}, HexFormat.of().parseHex("606162636465666768696a6b6c6d6e6f")};
        CompactRange range = CompactRange.empty();
        for (byte[] leaf : data) {
            range.append(Merkle.leafHash(leaf));
        }
        assertThat(HexFormat.of().formatHex(range.root()))
                .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    }

    @Test
    void aStoredRangeThatDoesNotFitItsSizeIsRefused() {
        assertThatThrownBy(() -> CompactRange.of(3, java.util.List.of(new byte[32])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompactRange.of(1, java.util.List.of(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompactRange.empty().append(new byte[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
