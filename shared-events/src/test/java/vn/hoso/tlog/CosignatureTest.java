package vn.hoso.tlog;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** C2SP tlog-cosignature (Ed25519 v1) on the log's checkpoints: made, verified, and anything changed refused. */
class CosignatureTest {

    private final SignedNote.SignerKey log = SignedNote.SignerKey.generate("hoso.example/log", new SecureRandom());
    private final Cosignature.WitnessSigner witness = Cosignature.WitnessSigner.generate("witness.example/w1",
            new SecureRandom());
    private final String note = SignedNote.sign(new Checkpoint("hoso.example/log", 20852163,
            new byte[32]).text(), log);

    @Test
    void aCosignatureIsOneMoreSignatureLineThatLeavesTheLogsSignatureValid() {
        String line = Cosignature.cosign(note, witness, 1_679_315_147L);
        String cosigned = Cosignature.add(note, line);
        assertThat(line).startsWith("\u2014 witness.example/w1 ");
        assertThat(Cosignature.verify(cosigned, witness.witnessKey())).hasValue(1_679_315_147L);
        assertThat(Checkpoint.open(cosigned, log.verifier())).as("the log's signature still holds").isPresent();
        assertThat(Cosignature.count(cosigned, List.of(witness.witnessKey()))).isEqualTo(1);
        assertThat(Cosignature.count(cosigned, List.of(witness.witnessKey(),
                Cosignature.WitnessKey.parse(witness.witnessKey().toString()))))
                .as("one witness given twice counts once").isEqualTo(1);
        // the keys' text forms read back
        assertThat(Cosignature.WitnessKey.parse(witness.witnessKey().toString()).toString())
                .isEqualTo(witness.witnessKey().toString());
        assertThat(Cosignature.WitnessSigner.parse(witness.toString()).witnessKey().toString())
                .isEqualTo(witness.witnessKey().toString());
    }

    @Test
    void anyChangeOrAnotherWitnessIsRefused() {
        String cosigned = Cosignature.add(note, Cosignature.cosign(note, witness, 1_679_315_147L));
        Cosignature.WitnessKey other = Cosignature.WitnessSigner.generate("witness.example/w1", new SecureRandom())
                .witnessKey();
        assertThat(Cosignature.verify(cosigned, other)).isEmpty();
        assertThat(Cosignature.verify(cosigned.replace("20852163", "20852164"), witness.witnessKey())).isEmpty();
        String line = Cosignature.cosign(note, witness, 1_679_315_147L);
        byte[] blob = java.util.Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        blob[11] ^= 1; // the timestamp
        String retimed = Cosignature.add(note, line.substring(0, line.lastIndexOf(' ') + 1)
                + java.util.Base64.getEncoder().encodeToString(blob));
        assertThat(Cosignature.verify(retimed, witness.witnessKey())).isEmpty();
        assertThat(Cosignature.count(note, List.of(witness.witnessKey()))).isZero();
        for (String malformed : List.of("", "x", note + "\u2014 witness.example/w1 !!!\n", note.trim(), "\n\n")) {
            assertThat(Cosignature.verify(malformed, witness.witnessKey())).isEmpty();
        }
        assertThatThrownBy(() -> Cosignature.WitnessKey.parse(log.verifier().toString()))
                .as("a note signing key (type 0x01) is no cosignature key").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cosignature.add(note, "not a line")).isInstanceOf(IllegalArgumentException.class);
    }
}
