package vn.hoso.tlog;

import java.security.SecureRandom;

/**
 * Makes a new Ed25519 signing key for a log: {@code java -cp shared-events.jar vn.hoso.tlog.NewLogKey <origin>} prints
 * the signer key (the secret: {@code HOSO_LOG_SIGNING_KEY}) on the first line and its verifier key (public: what
 * inspectors and witnesses pin, and {@code HOSO_LOG_TRUSTED_KEYS} after a rotation) on the second. The origin names the
 * log in its checkpoints (a host and path, say {@code dichvucong.gov.vn/hoso/log}).
 */
public final class NewLogKey {

    private NewLogKey() {
    }

    public static void main(String[] args) {
        if (args.length != 1 || args[0].isBlank() || args[0].contains("+") || args[0].matches(".*\\s.*")) {
            System.err.println("usage: NewLogKey <origin>   (one word, no '+': the log's name in its checkpoints)");
            System.exit(2);
        }
        SignedNote.SignerKey key = SignedNote.SignerKey.generate(args[0], new SecureRandom());
        System.out.println(key);
        System.out.println(key.verifier());
    }
}
