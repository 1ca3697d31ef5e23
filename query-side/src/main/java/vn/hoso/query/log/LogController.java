package vn.hoso.query.log;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.hoso.eventstore.LogSealer;
import vn.hoso.eventstore.SealedLog;
import vn.hoso.query.web.QueryProblem;
import vn.hoso.tlog.SignedNote;

import java.util.Base64;
import java.util.List;

/**
 * The sealed log, public: its checkpoints (C2SP signed notes, as text), the keys that sign them, and proofs against
 * them. No token: they carry hashes, sizes and positions, never a dossier's content or anyone's personal data, and
 * whoever holds a checkpoint (an inspector, a witness, a journalist) must be able to check what the log says later.
 */
@RestController
@RequestMapping(path = "/api/v1/log")
public class LogController {

    static final MediaType NOTE = new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8);

    private final SealedLog log;
    private final LogConfiguration.LogSigningKey key;
    private final LogProperties properties;

    LogController(SealedLog log, LogConfiguration.LogSigningKey key, LogProperties properties) {
        this.log = log;
        this.key = key;
        this.properties = properties;
    }

    /** The witnesses whose cosignatures the log accepts: configured, and those of the witness keys file. */
    List<vn.hoso.tlog.Cosignature.WitnessKey> witnesses() {
        List<String> texts = new java.util.ArrayList<>(properties.witnessKeys());
        if (properties.witnessKeysFile() != null && !properties.witnessKeysFile().isBlank()) {
            try {
                java.nio.file.Path file = java.nio.file.Path.of(properties.witnessKeysFile());
                if (java.nio.file.Files.isRegularFile(file)) {
                    texts.addAll(java.nio.file.Files.readAllLines(file));
                }
            } catch (java.io.IOException | RuntimeException e) {
                // an unreadable file adds no witness
            }
        }
        List<vn.hoso.tlog.Cosignature.WitnessKey> witnesses = new java.util.ArrayList<>();
        for (String text : texts) {
            try {
                if (!text.isBlank()) {
                    witnesses.add(vn.hoso.tlog.Cosignature.WitnessKey.parse(text));
                }
            } catch (IllegalArgumentException ignored) {
                // not a witness key: ignored (the configuration is the operator's)
            }
        }
        return witnesses;
    }

    @Operation(summary = "Add a witness's cosignature (C2SP tlog-cosignature, Ed25519 v1: one signature line, as text)"
            + " to the checkpoint of this size. No token: the line is accepted only when it is a valid cosignature of"
            + " that checkpoint by a witness the log is configured with")
    @org.springframework.web.bind.annotation.PostMapping(path = "/checkpoints/{treeSize}/cosignatures",
            consumes = "text/plain", produces = "text/plain;charset=UTF-8")
    public String cosign(@PathVariable long treeSize, @org.springframework.web.bind.annotation.RequestBody String line) {
        SealedLog.StoredCheckpoint checkpoint = log.checkpoint(treeSize)
                .orElseThrow(() -> new QueryProblem(QueryProblem.Code.NOT_FOUND, "treeSize", "noCheckpoint"));
        String signatureLine = line == null ? "" : line.strip();
        String note;
        try {
            note = vn.hoso.tlog.Cosignature.add(checkpoint.note(), signatureLine);
        } catch (IllegalArgumentException e) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "cosignature", "cosignature");
        }
        var witness = witnesses().stream().filter(w -> vn.hoso.tlog.Cosignature.verify(note, w).isPresent())
                .findFirst().orElseThrow(() -> new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "cosignature",
                        "cosignature"));
        if (vn.hoso.tlog.Cosignature.verify(checkpoint.cosignedNote(), witness).isEmpty()) {
            log.addCosignature(treeSize, signatureLine); // one cosignature per witness and checkpoint: the first
        }
        return log.checkpoint(treeSize).orElseThrow().cosignedNote();
    }

    /**
     * The log's status: its origin, how many events it has sealed and through which store position, its latest
     * checkpoint, and (when the log started on a store that already held events) the record of their sealing.
     */
    public record LogStatus(String origin, long size, long sealedPosition, Long checkpointSize,
                            java.time.Instant checkpointAt, SealedLog.ExistingHistory existingHistory) {
    }

    @Operation(summary = "The log's status: events sealed, store position sealed through, latest checkpoint, and the"
            + " record of the sealing of the history stored before the log")
    @GetMapping(path = "", produces = MediaType.APPLICATION_JSON_VALUE)
    public LogStatus status() {
        var latest = log.latestCheckpoint();
        return new LogStatus(key.signer().name(), log.size(), log.sealedPosition(),
                latest.map(SealedLog.StoredCheckpoint::size).orElse(null),
                latest.map(SealedLog.StoredCheckpoint::at).orElse(null), log.existingHistory().orElse(null));
    }

    @Operation(summary = "The latest signed checkpoint (C2SP tlog-checkpoint): origin, tree size and root hash, signed")
    @GetMapping(path = "/checkpoint", produces = "text/plain;charset=UTF-8")
    public String checkpoint() {
        return log.latestCheckpoint().map(SealedLog.StoredCheckpoint::cosignedNote)
                .orElseThrow(() -> new QueryProblem(QueryProblem.Code.NOT_FOUND, null, "noCheckpoint"));
    }

    @Operation(summary = "The checkpoint signed at this tree size, if one was")
    @GetMapping(path = "/checkpoints/{treeSize}", produces = "text/plain;charset=UTF-8")
    public String checkpointAt(@PathVariable long treeSize) {
        return log.checkpoint(treeSize).map(SealedLog.StoredCheckpoint::cosignedNote)
                .orElseThrow(() -> new QueryProblem(QueryProblem.Code.NOT_FOUND, "treeSize", "noCheckpoint"));
    }

    /** A key that signs (or signed) checkpoints: its id (SHA-256 of the raw public key) and its verifier key text. */
    public record LogKey(String keyId, String verifierKey, boolean current) {
    }

    public record LogKeys(String origin, List<LogKey> keys, List<String> witnesses) {
    }

    @Operation(summary = "The keys whose signatures this log's checkpoints carry: the current one first, then earlier"
            + " ones this instance is configured to trust. Pin them out of band: a verifier never takes a key from the"
            + " server it checks")
    @GetMapping(path = "/keys", produces = MediaType.APPLICATION_JSON_VALUE)
    public LogKeys keys() {
        SignedNote.VerifierKey current = key.signer().verifier();
        return new LogKeys(current.name(), key.trusted().stream()
                .map(k -> new LogKey(LogSealer.keyId(k), k.toString(), k.equals(current))).toList(),
                witnesses().stream().map(Object::toString).toList());
    }

    /** Hashes in base64, as checkpoints carry them. */
    public record InclusionProof(long leafIndex, long treeSize, String leafHash, List<String> proof, String checkpoint) {
    }

    public record ConsistencyProof(long fromSize, long toSize, List<String> proof, String fromCheckpoint,
                                   String toCheckpoint) {
    }

    @Operation(summary = "An inclusion proof (RFC 9162) of a leaf in the tree of treeSize leaves (the latest"
            + " checkpoint's size by default), with that checkpoint when one was signed at that size")
    @GetMapping(path = "/proofs/inclusion", produces = MediaType.APPLICATION_JSON_VALUE)
    public InclusionProof inclusion(@RequestParam long leafIndex, @RequestParam(required = false) Long treeSize) {
        if (leafIndex < 0) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "leafIndex", "notNegative");
        }
        long size = treeSize == null ? latestSize() : treeSize;
        long sealed = log.size();
        if (size < 1 || size > sealed) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "treeSize", "between", 1, sealed);
        }
        if (leafIndex < 0 || leafIndex >= size) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "leafIndex", "between", 0, size - 1);
        }
        return new InclusionProof(leafIndex, size, b64(log.leafHashAt(leafIndex)),
                log.inclusionProof(leafIndex, size).stream().map(LogController::b64).toList(), note(size));
    }

    @Operation(summary = "A consistency proof (RFC 9162) that the tree of toSize leaves (the latest checkpoint's size"
            + " by default) extends the tree of fromSize leaves")
    @GetMapping(path = "/proofs/consistency", produces = MediaType.APPLICATION_JSON_VALUE)
    public ConsistencyProof consistency(@RequestParam long fromSize, @RequestParam(required = false) Long toSize) {
        if (fromSize < 0) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "fromSize", "notNegative");
        }
        long to = toSize == null ? latestSize() : toSize;
        long sealed = log.size();
        if (to < 0 || to > sealed) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "toSize", "between", 0, sealed);
        }
        if (fromSize < 0 || fromSize > to) {
            throw new QueryProblem(QueryProblem.Code.VALIDATION_FAILED, "fromSize", "between", 0, to);
        }
        return new ConsistencyProof(fromSize, to, log.consistencyProof(fromSize, to).stream().map(LogController::b64)
                .toList(), note(fromSize), note(to));
    }

    private long latestSize() {
        return log.latestCheckpoint().map(SealedLog.StoredCheckpoint::size)
                .orElseThrow(() -> new QueryProblem(QueryProblem.Code.NOT_FOUND, null, "noCheckpoint"));
    }

    private String note(long size) {
        return log.checkpoint(size).map(SealedLog.StoredCheckpoint::cosignedNote).orElse(null);
    }

    private static String b64(byte[] hash) {
        return Base64.getEncoder().encodeToString(hash);
    }
}
