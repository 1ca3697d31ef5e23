package vn.hoso.lookup;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The secret printed on a dossier's receipt beside its code, with which anyone holding the receipt may look its status
 * up without an account (DOMAIN.md, dossier codes). It is random (80 bits, never derived from the code or the dossier),
 * shown once, and only a keyed, salted hash of it is kept, in the receipt event: {@code hmac-sha256:<key id>:<salt>:<mac>},
 * the MAC over the salt and the secret under a key both sides hold ({@code hoso.lookup.key}), so that a copy of the
 * store or of a read model alone does not let anyone test guesses.
 * <p>
 * A secret reads as four groups of four characters of Crockford's base-32 alphabet ({@code 7K3M-QX9D-...}): no I, L,
 * O or U to misread; a reader's input is normalised (case, dashes and spaces, I/L as 1 and O as 0) before it is checked.
 */
public final class LookupSecrets {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int LENGTH = 16;
    private static final Pattern NORMALISED = Pattern.compile("[0-9A-HJKMNP-TV-Z]{16}");
    private static final String SCHEME = "hmac-sha256";

    private final byte[] key;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    /** @param key at least 32 bytes */
    public LookupSecrets(byte[] key) {
        if (key.length < 32) {
            throw new IllegalStateException("the lookup key (hoso.lookup.key) must be at least 32 bytes, base64");
        }
        this.key = key.clone();
        try {
            this.keyId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new secret and the digest kept of it. */
    public record Issued(String secret, String digest) {
        @Override
        public String toString() {
            return "Issued[digest=" + digest + "]"; // never the secret
        }
    }

    /** A new random secret, as printed (dashed), and its digest. */
    public Issued issue() {
        StringBuilder secret = new StringBuilder();
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % 4 == 0) {
                secret.append('-');
            }
            secret.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new Issued(secret.toString(), digest(salt, normalise(secret.toString()).orElseThrow()));
    }

    /**
     * A reader's input as a secret is checked ({@code 7k3m qx9d ...} reads as {@code 7K3MQX9D...}), or empty when it
     * cannot be one (a wrong length or a character outside the alphabet): a malformed request, whatever the dossier.
     */
    public static Optional<String> normalise(String input) {
        if (input == null || input.length() > 64) {
            return Optional.empty();
        }
        String upper = input.toUpperCase(Locale.ROOT).replace("-", "").replace(" ", "")
                .replace('I', '1').replace('L', '1').replace('O', '0');
        return NORMALISED.matcher(upper).matches() ? Optional.of(upper) : Optional.empty();
    }

    /**
     * Whether a normalised secret matches a kept digest, in time that does not depend on where they differ. A dossier
     * without a digest (received before secrets were issued), or a digest under another key, matches nothing; a missing
     * digest is checked against a throw-away one all the same, so that a wrong code costs what a wrong secret costs.
     */
    public boolean matches(String digest, String normalisedSecret) {
        String[] parts = digest == null ? new String[0] : digest.split(":");
        boolean wellFormed = parts.length == 4 && parts[0].equals(SCHEME) && parts[1].equals(keyId);
        byte[] salt = wellFormed ? Base64.getUrlDecoder().decode(parts[2]) : new byte[16];
        String computed = digest(salt, normalisedSecret);
        byte[] expected = (wellFormed ? digest : computed + "x").getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), expected) && wellFormed;
    }

    private String digest(byte[] salt, String normalisedSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(salt);
            byte[] value = mac.doFinal(normalisedSecret.getBytes(StandardCharsets.US_ASCII));
            Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
            return SCHEME + ":" + keyId + ":" + base64.encodeToString(salt) + ":" + base64.encodeToString(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
