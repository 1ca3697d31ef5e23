package vn.hoso.tlog;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Signed notes against the published vectors of Go's {@code golang.org/x/mod/sumdb/note} (its PeterNeumann key,
 * text and signature: Ed25519 is deterministic, so signing the text with the seed gives exactly that signature), and
 * checkpoints signed, opened and refused when anything in them changes.
 */
class SignedNoteTest {

    private static final String SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String NOTE = TEXT + "\n\u2014 PeterNeumann "
            + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    void thePublishedKeysTextAndSignatureAreReproduced() {
        SignedNote.SignerKey signer = SignedNote.SignerKey.parse(SIGNER);
        SignedNote.VerifierKey verifier = SignedNote.VerifierKey.parse(VERIFIER);
        assertThat(signer.verifier().toString()).isEqualTo(VERIFIER);
        assertThat(signer.toString()).isEqualTo(SIGNER);
        assertThat(SignedNote.sign(TEXT, signer)).isEqualTo(NOTE);
        assertThat(SignedNote.open(NOTE, verifier)).contains(TEXT);
    }

    @Test
    void aChangedTextSignatureOrKeyIsRefused() {
        SignedNote.VerifierKey verifier = SignedNote.VerifierKey.parse(VERIFIER);
        assertThat(SignedNote.open(NOTE.replace("cryptography", "cryptographY"), verifier)).isEmpty();
        assertThat(SignedNote.open(NOTE.replace("x08go", "x08gp"), verifier)).isEmpty();
        assertThat(SignedNote.open(NOTE.substring(0, NOTE.length() - 1), verifier)).isEmpty();
        SignedNote.VerifierKey other = SignedNote.SignerKey.generate("PeterNeumann", new SecureRandom()).verifier();
        assertThat(SignedNote.open(NOTE, other)).isEmpty();
        for (String bad : new String[]{"", "PeterNeumann+c74f20a3", "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "PeterNeumann+c74f20a3+!!!"}) {
            assertThatThrownBy(() -> SignedNote.VerifierKey.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String malformed : new String[]{null, "", "\n", "text\n", "text\n\n", "text\n\n\u2014 PeterNeumann\n",
                "text\n\n\u2014 PeterNeumann ###\n", "x".repeat(2_000_000)}) {
            assertThat(SignedNote.open(malformed, verifier)).isEmpty();
        }
    }

    @Test
    void aCheckpointIsSignedAndOpenedAndAnythingChangedInItIsRefused() {
        SignedNote.SignerKey log = SignedNote.SignerKey.generate("hoso.example/log", new SecureRandom());
        Merkle.LeafHashes leaves = index -> Merkle.leafHash(new byte[]{(byte) index});
        Checkpoint checkpoint = new Checkpoint("hoso.example/log", 5, Merkle.root(leaves, 5));
        String note = SignedNote.sign(checkpoint.text(), log);
        assertThat(note).startsWith("hoso.example/log\n5\n" + java.util.Base64.getEncoder()
                .encodeToString(checkpoint.root()) + "\n\n\u2014 hoso.example/log ");

        Optional<Checkpoint> opened = Checkpoint.open(note, log.verifier());
        assertThat(opened).isPresent();
        assertThat(opened.get().size()).isEqualTo(5);
        assertThat(opened.get().root()).isEqualTo(checkpoint.root());

        assertThat(Checkpoint.open(note.replace("\n5\n", "\n6\n"), log.verifier())).as("another size").isEmpty();
        SignedNote.SignerKey forger = SignedNote.SignerKey.generate("hoso.example/log", new SecureRandom());
        assertThat(Checkpoint.open(SignedNote.sign(checkpoint.text(), forger), log.verifier())).as("another key").isEmpty();
        assertThat(Checkpoint.parse("origin\n05\nAAAA\n")).isEmpty();
        assertThat(Checkpoint.parse("origin\n-1\n" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n"))
                .isEmpty();
        assertThat(Checkpoint.parse("\n1\n" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n")).isEmpty();
    }
}
