package vn.hoso.query.log;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * The sealed log's settings ({@code hoso.log.*}).
 *
 * @param signingKey       the log's Ed25519 signing key as a C2SP note signer key ({@code PRIVATE+KEY+<origin>+...});
 *                         its name is the log's origin. Required (or a file holding it); it never enters MongoDB
 * @param signingKeyFile   a file holding the key (a mounted secret); in the development profile only, a throw-away key
 *                         is generated into it when it does not exist
 * @param trustedKeys      verifier keys ({@code <origin>+<hash>+<key>}) of earlier signing keys, after a rotation: the
 *                         checkpoints they signed stay verifiable
 * @param checkpointEvery  the longest time between two checkpoints while events are sealed
 * @param checkpointEvents the most events sealed between two checkpoints
 * @param batchSize        store positions read per sealing batch
 * @param pollInterval     how often the sealer looks for new events when it has caught up
 * @param lease            how long the sealer's lease lasts without renewal (another instance takes over after it)
 * @param witnessKeys      the witnesses ({@code <name>+<id>+<key>}, C2SP tlog-cosignature Ed25519 keys) whose
 *                         cosignatures the log accepts and publishes with its checkpoints
 * @param witnessKeysFile  a file of more witness keys, one per line, read when a cosignature arrives (the development
 *                         profile's local witness, {@code deploy/witness.sh}, adds its key there)
 */
@ConfigurationProperties("hoso.log")
public record LogProperties(String signingKey, String signingKeyFile, @DefaultValue List<String> trustedKeys,
                            @DefaultValue("5s") Duration checkpointEvery,
                            @DefaultValue("10000") long checkpointEvents,
                            @DefaultValue("1000") int batchSize,
                            @DefaultValue("200ms") Duration pollInterval,
                            @DefaultValue("10s") Duration lease,
                            @DefaultValue List<String> witnessKeys,
                            String witnessKeysFile) {
}
