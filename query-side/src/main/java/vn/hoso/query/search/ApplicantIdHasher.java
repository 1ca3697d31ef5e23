package vn.hoso.query.search;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * A keyed hash (HMAC-SHA256) of applicants' ID numbers: the index never holds a raw citizen ID or tax code, yet an
 * officer who has one can look its dossiers up exactly. Without the key the hashes cannot be reversed by trying the
 * (small) space of valid IDs.
 */
public final class ApplicantIdHasher {

    private final SecretKeySpec key;

    public ApplicantIdHasher(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the ID hash key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    public String hash(String idNumber) {
        if (idNumber == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(idNumber.trim().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
