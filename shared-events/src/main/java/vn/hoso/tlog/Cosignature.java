package vn.hoso.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * C2SP {@code tlog-cosignature}, Ed25519 v1: a witness's statement that, at a time, the checkpoint is the largest
 * consistent tree head it has seen of the log. A cosignature is one more signature line on the checkpoint's note,
 * {@code "— <witness name> base64(key id || timestamp || signature)"}: the key id is the first 4 bytes of
 * {@code SHA-256(name || "\n" || 0x04 || public key)}, the timestamp 8 bytes big-endian (POSIX seconds), and the
 * Ed25519 signature is over {@code "cosignature/v1\ntime <timestamp>\n"} followed by the checkpoint's body. A witness
 * key is written as a verifier key with type 0x04: {@code <name>+<key id hex>+<base64(0x04 || public key)>}; its
 * private half {@code PRIVATE+KEY+<name>+<key id hex>+<base64(0x04 || seed)>}. Everything read here is untrusted:
 * malformed input is refused, never a crash.
 */
public final class Cosignature {

    private static final byte COSIGNATURE_V1 = 0x04;
    private static final String DASH = "\u2014 ";

    private Cosignature() {
    }

    /** A witness's public key. */
    public record WitnessKey(String name, int id, byte[] publicKey) {

        public static WitnessKey parse(String text) {
            String[] parts = text == null ? new String[0] : text.trim().split("\\+", 3);
            if (parts.length != 3 || !SignedNote.validName(parts[0]) || !parts[1].matches("[0-9a-f]{8}")) {
                throw new IllegalArgumentException("not a witness key <name>+<id>+<key>");
            }
            byte[] typed = SignedNote.decode(parts[2]);
            if (typed.length != 33 || typed[0] != COSIGNATURE_V1) {
                throw new IllegalArgumentException("not an Ed25519 cosignature (0x04) key");
            }
            byte[] publicKey = Arrays.copyOfRange(typed, 1, 33);
            int id = keyId(parts[0], publicKey);
            if (id != Integer.parseUnsignedInt(parts[1], 16)) {
                throw new IllegalArgumentException("the witness key's id does not match its name and key");
            }
            return new WitnessKey(parts[0], id, publicKey);
        }

        @Override
        public String toString() {
            return name + "+" + String.format("%08x", id) + "+" + Base64.getEncoder().encodeToString(typed(publicKey));
        }
    }

    /** A witness's signing key (it stays with the witness). */
    public record WitnessSigner(String name, int id, byte[] seed, byte[] publicKey) {

        public static WitnessSigner generate(String name, java.security.SecureRandom random) {
            if (!SignedNote.validName(name)) {
                throw new IllegalArgumentException("a witness name has no space, newline or '+'");
            }
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            byte[] publicKey = SignedNote.publicKeyOf(seed);
            return new WitnessSigner(name, keyId(name, publicKey), seed, publicKey);
        }

        public static WitnessSigner parse(String text) {
            String[] parts = text == null ? new String[0] : text.trim().split("\\+", 5);
            if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")
                    || !SignedNote.validName(parts[2]) || !parts[3].matches("[0-9a-f]{8}")) {
                throw new IllegalArgumentException("not a witness signing key");
            }
            byte[] typed = SignedNote.decode(parts[4]);
            if (typed.length != 33 || typed[0] != COSIGNATURE_V1) {
                throw new IllegalArgumentException("not an Ed25519 cosignature (0x04) signing key");
            }
            byte[] seed = Arrays.copyOfRange(typed, 1, 33);
            byte[] publicKey = SignedNote.publicKeyOf(seed);
            if (keyId(parts[2], publicKey) != Integer.parseUnsignedInt(parts[3], 16)) {
                throw new IllegalArgumentException("the witness signing key's id does not match its name and key");
            }
            return new WitnessSigner(parts[2], keyId(parts[2], publicKey), seed, publicKey);
        }

        public WitnessKey witnessKey() {
            return new WitnessKey(name, id, publicKey);
        }

        @Override
        public String toString() {
            return "PRIVATE+KEY+" + name + "+" + String.format("%08x", id) + "+"
                    + Base64.getEncoder().encodeToString(typed(seed));
        }
    }

    /** The cosignature line (without its newline) of {@code witness} over the checkpoint {@code note}, at a time. */
    public static String cosign(String note, WitnessSigner witness, long timestamp) {
        String body = body(note);
        if (body == null || timestamp < 0) {
            throw new IllegalArgumentException("not a signed note, or a negative time");
        }
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(SignedNote.privateKey(witness.seed()));
            ed25519.update(message(body, timestamp));
            byte[] signature = ed25519.sign();
            ByteBuffer blob = ByteBuffer.allocate(4 + 8 + 64).putInt(witness.id()).putLong(timestamp).put(signature);
            return DASH + witness.name() + " " + Base64.getEncoder().encodeToString(blob.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 17 runtime", e);
        }
    }

    /** The note with one more signature line. */
    public static String add(String note, String cosignatureLine) {
        if (note == null || !note.endsWith("\n") || cosignatureLine == null || !cosignatureLine.startsWith(DASH)
                || cosignatureLine.contains("\n")) {
            throw new IllegalArgumentException("not a note and a signature line");
        }
        return note + cosignatureLine + "\n";
    }

    /** The time of {@code witness}'s valid cosignature on the note, if it carries one. */
    public static OptionalLong verify(String note, WitnessKey witness) {
        String body = body(note);
        if (body == null) {
            return OptionalLong.empty();
        }
        String[] lines = note.substring(body.length() + 1).split("\n", -1);
        for (String line : lines) {
            if (!line.startsWith(DASH + witness.name() + " ")) {
                continue;
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(line.substring(DASH.length() + witness.name().length() + 1));
            } catch (IllegalArgumentException malformed) {
                continue;
            }
            if (blob.length != 76) {
                continue;
            }
            ByteBuffer buffer = ByteBuffer.wrap(blob);
            int id = buffer.getInt();
            long timestamp = buffer.getLong();
            if (id != witness.id() || timestamp < 0) {
                continue;
            }
            try {
                Signature ed25519 = Signature.getInstance("Ed25519");
                ed25519.initVerify(SignedNote.publicKey(witness.publicKey()));
                ed25519.update(message(body, timestamp));
                if (ed25519.verify(Arrays.copyOfRange(blob, 12, 76))) {
                    return OptionalLong.of(timestamp);
                }
            } catch (GeneralSecurityException | IllegalArgumentException invalid) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** How many of these witnesses cosigned the note (each counted once). */
    public static int count(String note, List<WitnessKey> witnesses) {
        // (distinct by the key's text: a record of a byte array is equal only to itself, and one witness given twice
        // must count once)
        return (int) witnesses.stream().map(WitnessKey::toString).distinct().map(WitnessKey::parse)
                .filter(w -> verify(note, w).isPresent()).count();
    }

    /** The note's body: its text up to and including the newline before the blank line; null if malformed. */
    private static String body(String note) {
        if (note == null || note.length() > 1_000_000 || !note.endsWith("\n")) {
            return null;
        }
        int split = note.indexOf("\n\n");
        return split < 0 ? null : note.substring(0, split + 1);
    }

    private static byte[] message(String body, long timestamp) {
        return ("cosignature/v1\ntime " + timestamp + "\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    static int keyId(String name, byte[] publicKey) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            digest.update(typed(publicKey));
            return ByteBuffer.wrap(digest.digest()).getInt();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static byte[] typed(byte[] key) {
        byte[] typed = new byte[33];
        typed[0] = COSIGNATURE_V1;
        System.arraycopy(key, 0, typed, 1, 32);
        return typed;
    }
}
