package vn.hoso.lookup;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A receipt's lookup secret: random, read back however it is typed, checked against its digest only under its key. */
class LookupSecretsTest {

    private static final LookupSecrets SECRETS = new LookupSecrets("k".repeat(32).getBytes());

    @Test
    void aSecretMatchesItsOwnDigestOnlyAndIsNeverInIt() {
        LookupSecrets.Issued issued = SECRETS.issue();
        assertThat(issued.secret()).matches("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}");
        assertThat(issued.digest()).startsWith("hmac-sha256:").doesNotContain(issued.secret())
                .doesNotContain(issued.secret().replace("-", ""));
        String typed = issued.secret().toLowerCase().replace("-", " ");
        assertThat(SECRETS.matches(issued.digest(), LookupSecrets.normalise(typed).orElseThrow())).isTrue();
        LookupSecrets.Issued other = SECRETS.issue();
        assertThat(SECRETS.matches(issued.digest(), LookupSecrets.normalise(other.secret()).orElseThrow())).isFalse();
        assertThat(new LookupSecrets("q".repeat(32).getBytes()).matches(issued.digest(),
                LookupSecrets.normalise(issued.secret()).orElseThrow())).as("under another key").isFalse();
        assertThat(SECRETS.matches(null, LookupSecrets.normalise(issued.secret()).orElseThrow()))
                .as("a dossier received before secrets were issued").isFalse();
        assertThat(issued.toString()).doesNotContain(issued.secret());
    }

    @Test
    void secretsAreRandomAndTheSameSecretGetsDifferentDigests() {
        Set<String> secrets = new HashSet<>();
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            LookupSecrets.Issued issued = SECRETS.issue();
            secrets.add(issued.secret());
            digests.add(issued.digest());
        }
        assertThat(secrets).hasSize(1_000);
        assertThat(digests).hasSize(1_000);
    }

    @Test
    void inputIsReadAsPrintedOrRefused() {
        assertThat(LookupSecrets.normalise("7k3m qx9d-2b8f wn4t")).contains("7K3MQX9D2B8FWN4T");
        assertThat(LookupSecrets.normalise("OIL0-0000-0000-0000")).as("O as 0, I and L as 1").contains("0110000000000000");
        assertThat(LookupSecrets.normalise("7K3M-QX9D-2B8F-WN4")).isEmpty();
        assertThat(LookupSecrets.normalise("7K3M-QX9D-2B8F-WN4U")).as("U is not in the alphabet").isEmpty();
        assertThat(LookupSecrets.normalise(null)).isEmpty();
        assertThat(LookupSecrets.normalise("A".repeat(100))).isEmpty();
        assertThatThrownBy(() -> new LookupSecrets(new byte[16])).isInstanceOf(IllegalStateException.class);
    }
}
