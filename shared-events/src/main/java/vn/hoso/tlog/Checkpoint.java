package vn.hoso.tlog;

import java.util.Base64;
import java.util.Optional;

/**
 * A checkpoint (C2SP {@code tlog-checkpoint}): the log's origin line, its tree size in decimal and its root hash in
 * base64, each on a line of its own, as the text of a {@link SignedNote}. Whoever holds a signed checkpoint holds the
 * log's history up to that size: any later one must be proven consistent with it ({@link Merkle#verifyConsistency}).
 */
public record Checkpoint(String origin, long size, byte[] root) {

    public Checkpoint {
        if (origin == null || origin.isBlank() || origin.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a checkpoint's origin is one line, not empty");
        }
        if (size < 0 || root == null || root.length != Merkle.HASH_SIZE) {
            throw new IllegalArgumentException("a checkpoint has a size of 0 or more and a 32-byte root");
        }
    }

    /** The note text: origin, size and root, each ending in a newline. */
    public String text() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    /** Reads a checkpoint's text (extension lines after the root are allowed, and ignored); empty if malformed. */
    public static Optional<Checkpoint> parse(String text) {
        if (text == null || text.length() > 10_000 || !text.endsWith("\n")) {
            return Optional.empty();
        }
        String[] lines = text.split("\n", -1);
        if (lines.length < 4 || lines[0].isEmpty() || !lines[1].matches("0|[1-9][0-9]{0,18}")) {
            return Optional.empty();
        }
        try {
            long size = Long.parseLong(lines[1]);
            byte[] root = Base64.getDecoder().decode(lines[2]);
            if (root.length != Merkle.HASH_SIZE
                    || !Base64.getEncoder().encodeToString(root).equals(lines[2])) {
                return Optional.empty();
            }
            return Optional.of(new Checkpoint(lines[0], size, root));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /**
     * A log's checkpoint: its content when one of {@code keys} whose name is the checkpoint's origin signed it (a log
     * signs with a key named for itself; a valid signature by a key of another name does not make it that log's).
     */
    public static Optional<Checkpoint> openByLog(String note, java.util.Collection<SignedNote.VerifierKey> keys) {
        for (SignedNote.VerifierKey key : keys) {
            Optional<Checkpoint> opened = open(note, key).filter(c -> c.origin().equals(key.name()));
            if (opened.isPresent()) {
                return opened;
            }
        }
        return Optional.empty();
    }

    /** A signed checkpoint's content, when {@code note} carries a valid signature by {@code key}. */
    public static Optional<Checkpoint> open(String note, SignedNote.VerifierKey key) {
        return SignedNote.open(note, key).flatMap(Checkpoint::parse);
    }
}
