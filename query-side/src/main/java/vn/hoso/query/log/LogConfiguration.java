package vn.hoso.query.log;

import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import vn.hoso.eventstore.LogSealer;
import vn.hoso.eventstore.LogVerifier;
import vn.hoso.eventstore.PositionedMongoEventStorageEngine;
import vn.hoso.eventstore.SealedLog;
import vn.hoso.tlog.SignedNote;
import vn.hoso.web.KeyFiles;
import vn.hoso.web.RequiredSettings;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The sealed log's parts: the log as stored, the signing key, the sealer and its background loop, the verifier. */
@Configuration(proxyBeanMethods = false)
class LogConfiguration {

    @Bean
    SealedLog sealedLog(MongoDatabase readModelDatabase) {
        return new SealedLog(readModelDatabase);
    }

    /**
     * The signing key: {@code hoso.log.signing-key}, or the file {@code hoso.log.signing-key-file} names. Only in the
     * development profile is a missing file filled with a throw-away key, named {@code localhost/hoso/<8 hex>}.
     */
    @Bean
    LogSigningKey logSigningKey(LogProperties properties, Environment environment) {
        String text = properties.signingKey();
        if (text == null || text.isBlank()) {
            if (properties.signingKeyFile() == null || properties.signingKeyFile().isBlank()) {
                throw new IllegalStateException("no log signing key: set HOSO_LOG_SIGNING_KEY (hoso.log.signing-key)"
                        + " or hoso.log.signing-key-file");
            }
            boolean development = environment.acceptsProfiles(Profiles.of(RequiredSettings.DEVELOPMENT));
            text = KeyFiles.readOrGenerate(Path.of(properties.signingKeyFile()), development, () -> {
                byte[] suffix = new byte[4];
                SecureRandom random = new SecureRandom();
                random.nextBytes(suffix);
                return SignedNote.SignerKey.generate("localhost/hoso/" + HexFormat.of().formatHex(suffix), random)
                        .toString();
            }, "log signing key", "hoso.log.signing-key-file");
        }
        SignedNote.SignerKey signer;
        try {
            signer = SignedNote.SignerKey.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the log signing key (HOSO_LOG_SIGNING_KEY or hoso.log.signing-key-file) is"
                    + " not an Ed25519 note signer key PRIVATE+KEY+<origin>+<hash>+<key>: " + e.getMessage());
        }
        List<SignedNote.VerifierKey> trusted = new ArrayList<>(List.of(signer.verifier()));
        for (String earlier : properties.trustedKeys()) {
            if (earlier.isBlank()) {
                continue;
            }
            try {
                trusted.add(SignedNote.VerifierKey.parse(earlier.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("hoso.log.trusted-keys holds something that is not a verifier key"
                        + " <origin>+<hash>+<key>: " + e.getMessage());
            }
        }
        return new LogSigningKey(signer, trusted);
    }

    /** The signing key and every key whose checkpoints this log trusts (its own first). */
    record LogSigningKey(SignedNote.SignerKey signer, List<SignedNote.VerifierKey> trusted) {
        @Override
        public String toString() {
            return "LogSigningKey[" + signer.verifier() + "]"; // never the private half
        }
    }

    /** Gap waits, checkpoint times and leases run on the wall clock, never on a test's domain clock. */
    @Bean
    LogSealer logSealer(PositionedMongoEventStorageEngine engine, SealedLog sealedLog, LogSigningKey key,
                        LogProperties properties) {
        return new LogSealer(engine, sealedLog, new LogSealer.Settings(key.signer(), properties.checkpointEvery(),
                properties.checkpointEvents(), properties.batchSize(), key.trusted()), Clock.systemUTC());
    }

    @Bean
    LogVerifier logVerifier(PositionedMongoEventStorageEngine engine, SealedLog sealedLog, LogSigningKey key) {
        return new LogVerifier(engine, sealedLog, key.trusted());
    }

    @Bean(destroyMethod = "stop")
    SealerLoop sealerLoop(LogSealer sealer, PositionedMongoEventStorageEngine engine, LogProperties properties,
                          MeterRegistry meters) {
        SealerLoop loop = new SealerLoop(sealer, properties);
        FunctionCounter.builder("hoso.log.sealed.events", sealer, LogSealer::sealedEvents)
                .description("events this instance sealed into the log").register(meters);
        FunctionCounter.builder("hoso.log.anomalies", sealer, LogSealer::anomalies)
                .description("events this instance refused to seal (see GET /api/v1/log/anomalies): tampering, or a"
                        + " bug").register(meters);
        FunctionCounter.builder("hoso.log.checkpoints", sealer, LogSealer::checkpoints)
                .description("checkpoints this instance signed").register(meters);
        FunctionCounter.builder("hoso.log.checkpoint.refusals", sealer, LogSealer::refusedCheckpoints)
                .description("checkpoints this instance refused to sign: the log's documents no longer extend the"
                        + " checkpoint signed before (tampering: alert on any)").register(meters);
        Gauge.builder("hoso.log.sealer.holder", loop, l -> l.holdsLease() ? 1 : 0)
                .description("1 on the instance that seals (holds the lease), 0 on the others").register(meters);
        Gauge.builder("hoso.log.lag.positions", loop, l -> l.holdsLease()
                        ? Math.max(0, engine.lastAllocatedPosition() - sealer.sealedPosition()) : 0)
                .description("store positions handed out and not sealed yet (on the sealing instance)").register(meters);
        io.micrometer.core.instrument.Timer lag = io.micrometer.core.instrument.Timer.builder("hoso.log.seal.lag")
                .description("from an event's recording on the command side until it is sealed (the oldest event of"
                        + " each batch)").publishPercentiles(0.5, 0.95, 0.99)
                .distributionStatisticExpiry(java.time.Duration.ofMinutes(1)).register(meters);
        sealer.observe((events, oldest) -> lag.record(oldest.isNegative() ? java.time.Duration.ZERO : oldest));
        loop.start();
        return loop;
    }
}
