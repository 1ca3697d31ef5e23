package vn.hoso.tlog;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * C2SP {@code signed-note} with Ed25519 keys (the format of Go's {@code golang.org/x/mod/sumdb/note}, which
 * transparency logs sign their checkpoints in): a UTF-8 text ending in a newline, a blank line, then one line per
 * signature, {@code "— <key name> <base64(key hash || signature)>"}. A key's hash is the first 4 bytes of
 * {@code SHA-256(name || "\n" || 0x01 || public key)}; a verifier key is written {@code <name>+<hash hex>+<base64(0x01 ||
 * public key)>}, a signer key {@code PRIVATE+KEY+<name>+<hash hex>+<base64(0x01 || seed)>}. Everything read here is
 * untrusted: malformed input is refused with {@code Optional.empty()} or {@link IllegalArgumentException}, never a crash.
 */
public final class SignedNote {

    private static final byte ED25519 = 0x01;
    private static final String DASH = "\u2014 ";
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private SignedNote() {
    }

    /** A key that verifies notes: its name, hash and Ed25519 public key. */
    public record VerifierKey(String name, int hash, byte[] publicKey) {

        /** Reads {@code <name>+<hash hex>+<base64(0x01 || public key)>}. */
        public static VerifierKey parse(String text) {
            String[] parts = text == null ? new String[0] : text.split("\\+", 3);
            if (parts.length != 3 || !validName(parts[0]) || !parts[1].matches("[0-9a-f]{8}")) {
                throw new IllegalArgumentException("not a verifier key");
            }
            byte[] typed = decode(parts[2]);
            if (typed.length != 33 || typed[0] != ED25519) {
                throw new IllegalArgumentException("not an Ed25519 verifier key");
            }
            byte[] publicKey = Arrays.copyOfRange(typed, 1, 33);
            int hash = keyHash(parts[0], publicKey);
            if (hash != Integer.parseUnsignedInt(parts[1], 16)) {
                throw new IllegalArgumentException("the verifier key's hash does not match its name and key");
            }
            return new VerifierKey(parts[0], hash, publicKey);
        }

        @Override
        public String toString() {
            return name + "+" + String.format("%08x", hash) + "+"
                    + Base64.getEncoder().encodeToString(typed(publicKey));
        }
    }

    /** A key that signs notes (its private half stays with the log: never in the database). */
    public record SignerKey(String name, int hash, byte[] seed, byte[] publicKey) {

        /** Reads {@code PRIVATE+KEY+<name>+<hash hex>+<base64(0x01 || seed)>}. */
        public static SignerKey parse(String text) {
            String[] parts = text == null ? new String[0] : text.split("\\+", 5);
            if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY") || !validName(parts[2])
                    || !parts[3].matches("[0-9a-f]{8}")) {
                throw new IllegalArgumentException("not a signer key");
            }
            byte[] typed = decode(parts[4]);
            if (typed.length != 33 || typed[0] != ED25519) {
                throw new IllegalArgumentException("not an Ed25519 signer key");
            }
            byte[] seed = Arrays.copyOfRange(typed, 1, 33);
            byte[] publicKey = publicKeyOf(seed);
            int hash = keyHash(parts[2], publicKey);
            if (hash != Integer.parseUnsignedInt(parts[3], 16)) {
                throw new IllegalArgumentException("the signer key's hash does not match its name and key");
            }
            return new SignerKey(parts[2], hash, seed, publicKey);
        }

        /** A new key named {@code name}, from 32 random bytes. */
        public static SignerKey generate(String name, java.security.SecureRandom random) {
            if (!validName(name)) {
                throw new IllegalArgumentException("a key name has no space, newline or '+'");
            }
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            byte[] publicKey = publicKeyOf(seed);
            return new SignerKey(name, keyHash(name, publicKey), seed, publicKey);
        }

        public VerifierKey verifier() {
            return new VerifierKey(name, hash, publicKey);
        }

        @Override
        public String toString() {
            return "PRIVATE+KEY+" + name + "+" + String.format("%08x", hash) + "+"
                    + Base64.getEncoder().encodeToString(typed(seed));
        }
    }

    /** {@code text} (which must end in a newline) signed by {@code signer}. */
    public static String sign(String text, SignerKey signer) {
        if (text == null || !text.endsWith("\n") || text.contains("\n\n") || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a note's text ends in a newline and has no blank line");
        }
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(privateKey(signer.seed()));
            ed25519.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] signature = ed25519.sign();
            byte[] blob = new byte[4 + signature.length];
            blob[0] = (byte) (signer.hash() >>> 24);
            blob[1] = (byte) (signer.hash() >>> 16);
            blob[2] = (byte) (signer.hash() >>> 8);
            blob[3] = (byte) signer.hash();
            System.arraycopy(signature, 0, blob, 4, signature.length);
            return text + "\n" + DASH + signer.name() + " " + Base64.getEncoder().encodeToString(blob) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 17 runtime", e);
        }
    }

    /**
     * The text of {@code note} when it carries a valid signature by {@code key}; empty when it does not, or when the
     * note is malformed (other signatures are left alone: a witness's, say).
     */
    public static Optional<String> open(String note, VerifierKey key) {
        if (note == null || note.length() > 1_000_000 || !note.endsWith("\n")) {
            return Optional.empty();
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            return Optional.empty();
        }
        String text = note.substring(0, split + 1);
        String[] lines = note.substring(split + 2).split("\n", -1);
        List<String> signatures = new ArrayList<>(Arrays.asList(lines).subList(0, lines.length - 1));
        if (signatures.isEmpty() || signatures.size() > 100) {
            return Optional.empty();
        }
        for (String line : signatures) {
            if (!line.startsWith(DASH)) {
                return Optional.empty();
            }
            String[] parts = line.substring(DASH.length()).split(" ", -1);
            if (parts.length != 2 || !parts[0].equals(key.name())) {
                continue;
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException malformed) {
                return Optional.empty();
            }
            if (blob.length != 68) {
                continue;
            }
            int hash = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
            if (hash != key.hash()) {
                continue;
            }
            try {
                Signature ed25519 = Signature.getInstance("Ed25519");
                ed25519.initVerify(publicKey(key.publicKey()));
                ed25519.update(text.getBytes(StandardCharsets.UTF_8));
                if (ed25519.verify(Arrays.copyOfRange(blob, 4, 68))) {
                    return Optional.of(text);
                }
            } catch (GeneralSecurityException | IllegalArgumentException invalid) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static int keyHash(String name, byte[] publicKey) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            digest.update(typed(publicKey));
            byte[] hash = digest.digest();
            return ((hash[0] & 0xff) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static byte[] typed(byte[] key) {
        byte[] typed = new byte[33];
        typed[0] = ED25519;
        System.arraycopy(key, 0, typed, 1, 32);
        return typed;
    }

    static boolean validName(String name) {
        return name != null && !name.isEmpty() && name.length() <= 200 && name.chars().noneMatch(c -> c == ' '
                || c == '\n' || c == '+' || Character.isISOControl(c));
    }

    static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64");
        }
    }

    static PrivateKey privateKey(byte[] seed) throws GeneralSecurityException {
        byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + 32);
        System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    /** The public half of a seed: the last 32 bytes of the X.509 encoding of the key pair's public key. */
    static byte[] publicKeyOf(byte[] seed) {
        try {
            // Java derives the public key when a private key is used to sign: sign nothing and read it back through
            // a key pair generator seeded with exactly these 32 bytes
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(new java.security.spec.NamedParameterSpec("Ed25519"), new FixedRandom(seed));
            byte[] encoded = generator.generateKeyPair().getPublic().getEncoded();
            return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 17 runtime", e);
        }
    }

    /** Hands out the given bytes: how a key pair is made from a known seed with the JDK's Ed25519. */
    private static final class FixedRandom extends java.security.SecureRandom {
        private final byte[] seed;

        FixedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
