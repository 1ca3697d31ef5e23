package vn.hoso.command.dossier;

import vn.hoso.events.Actor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Idempotent retries without transactions. A request's idempotency key and the fingerprint of what it asked travel
 * as command metadata into the metadata of the event the command appends; the dossier keeps the keys it has
 * processed in its own event-sourced state, so a retry (even after a restart, on any node) is answered with the first
 * outcome and appends nothing, and the same key with a different request is refused. A new dossier's id is derived
 * from its owner and key, so a retried submission lands on the same dossier.
 */
public final class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final String KEY = "idempotencyKey";
    public static final String FINGERPRINT = "idempotencyFingerprint";
    private static final Pattern SANE_KEY = Pattern.compile("[A-Za-z0-9._:\\-]{1,200}");

    private Idempotency() {
    }

    /** The key of a request, or null without one; a malformed key is refused. */
    public static String key(String header) {
        if (header == null) {
            return null;
        }
        if (!SANE_KEY.matcher(header).matches()) {
            throw new RequestValidationException(HEADER, "1-200 characters: letters, digits, . _ : -");
        }
        return header;
    }

    /** Identifies what a request asks: the action, who asks and the request body (hashed; never stored in clear). */
    public static String fingerprint(String action, Actor actor, Object body) {
        String text = action + "\n" + actor.role() + "|" + actor.id() + "|" + actor.agencyCode() + "\n" + body;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The id of the dossier a submission with this key creates: the same owner and key give the same dossier. */
    public static String dossierIdFor(Actor actor, String key) {
        String name = "dossier|" + actor.role() + "|" + actor.agencyCode() + "|" + actor.id() + "|" + key;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A request the dossier has processed: what it asked, and the version and dossier code it was answered with. */
    record Processed(String fingerprint, long version, String dossierCode) {
    }
}
