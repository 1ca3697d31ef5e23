package vn.hoso.verifier;

import vn.hoso.eventstore.Evidence;
import vn.hoso.tlog.Checkpoint;
import vn.hoso.tlog.Cosignature;
import vn.hoso.tlog.SignedNote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The inspectors' offline verifier: no server, no secret, no personal data. It trusts only the key and the
 * checkpoint the inspector pinned earlier (out of band: from {@code GET /api/v1/log/keys} and
 * {@code GET /api/v1/log/checkpoint} on a day they trust, or from a witness).
 * <pre>
 * java -jar hoso-verifier.jar bundle  --key KEY [--pinned CHECKPOINT_FILE] [--witness WKEY ... --quorum K] BUNDLE_FILE
 * java -jar hoso-verifier.jar extends --key KEY --older CHECKPOINT_FILE --newer CHECKPOINT_FILE --proof PROOF_FILE
 * java -jar hoso-verifier.jar store   --key KEY --uri MONGODB_URI [--database hoso] [--pinned CHECKPOINT_FILE]
 * java -jar hoso-verifier.jar new-witness-key NAME
 * java -jar hoso-verifier.jar cosign  --key KEY --witness-key WSIGNER --checkpoint FILE [--older FILE --proof FILE]
 * </pre>
 * A witness ({@code cosign}) checks that the checkpoint is signed by the log's key and extends the last one it cosigned
 * (its {@code --older}, with the log's consistency proof), then prints its cosignature line (C2SP tlog-cosignature),
 * which the log publishes with the checkpoint ({@code POST /api/v1/log/checkpoints/{size}/cosignatures}). An inspector's
 * policy "signed by the log and by at least K of these witnesses" is {@code --witness} (repeated) and {@code --quorum}.
 * {@code KEY} is a verifier key ({@code <origin>+<hash>+<key>}) or {@code @file} holding one; {@code PROOF_FILE} is
 * the answer of {@code GET /api/v1/log/proofs/consistency}. It prints {@code OK: ...} or {@code BROKEN: ...} (the
 * first broken link: dossier, event, position, check) and exits 0 when everything holds, 1 when something does not,
 * 2 when an input is not what it should be (never a stack trace).
 */
public final class OfflineVerifier {

    static final int OK = 0;
    static final int BROKEN = 1;
    static final int BAD_INPUT = 2;
    private static final long MAX_FILE = Evidence.MAX_BYTES;

    private OfflineVerifier() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        try {
            if (args.length == 0) {
                return usage("no command");
            }
            Map<String, String> options = new HashMap<>();
            List<String> witnesses = new ArrayList<>();
            List<String> operands = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                if (args[i].startsWith("--")) {
                    if (i + 1 >= args.length) {
                        return usage(args[i] + " needs a value");
                    }
                    if (args[i].equals("--witness")) {
                        witnesses.add(args[++i]);
                    } else {
                        options.put(args[i], args[++i]);
                    }
                } else {
                    operands.add(args[i]);
                }
            }
            if (args[0].equals("new-witness-key")) {
                return newWitnessKey(operands);
            }
            SignedNote.VerifierKey key = key(options.get("--key"));
            return switch (args[0]) {
                case "bundle" -> bundle(key, options, witnesses, operands);
                case "extends" -> extension(key, options);
                case "cosign" -> cosign(key, options);
                case "store" -> store(key, options);
                default -> usage("unknown command " + args[0]);
            };
        } catch (BadInput | Evidence.NotABundleException e) {
            System.out.println("INVALID INPUT: " + e.getMessage());
            return BAD_INPUT;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            System.out.println("INVALID INPUT: could not be read (" + e.getClass().getSimpleName() + ")");
            return BAD_INPUT;
        }
    }

    private static int bundle(SignedNote.VerifierKey key, Map<String, String> options, List<String> witnessTexts,
                              List<String> operands) {
        if (operands.size() != 1) {
            return usage("bundle takes one bundle file");
        }
        String pinned = options.containsKey("--pinned") ? read(options.get("--pinned")) : null;
        List<Cosignature.WitnessKey> witnesses = new ArrayList<>();
        for (String text : witnessTexts) {
            try {
                witnesses.add(Cosignature.WitnessKey.parse(text.startsWith("@") ? read(text.substring(1)) : text));
            } catch (IllegalArgumentException e) {
                throw new BadInput("--witness: " + e.getMessage());
            }
        }
        int quorum;
        try {
            quorum = Integer.parseInt(options.getOrDefault("--quorum", witnesses.isEmpty() ? "0" : "1"));
        } catch (NumberFormatException e) {
            throw new BadInput("--quorum is a number");
        }
        if (quorum < 0 || quorum > witnesses.size()) {
            throw new BadInput("--quorum is between 0 and the number of --witness keys (" + witnesses.size() + ")");
        }
        Evidence.Verdict verdict = Evidence.verify(read(operands.get(0)), key, pinned, witnesses, quorum);
        System.out.println(verdict.line());
        return verdict.ok() ? OK : BROKEN;
    }

    private static int extension(SignedNote.VerifierKey key, Map<String, String> options) {
        Checkpoint older = checkpoint(options.get("--older"), key, "--older");
        Checkpoint newer = checkpoint(options.get("--newer"), key, "--newer");
        if (older == null || newer == null) {
            System.out.println("BROKEN: CHECKPOINT_SIGNATURE: " + (older == null ? "--older" : "--newer")
                    + " is not a checkpoint signed by the pinned key " + key.name());
            return BROKEN;
        }
        Object proof = null;
        if (options.containsKey("--proof")) {
            try {
                org.bson.Document answer = org.bson.Document.parse(read(options.get("--proof")));
                proof = new org.bson.Document("fromSize", answer.get("fromSize")).append("proof", answer.get("proof"));
                if (answer.get("toSize") instanceof Number to && to.longValue() != newer.size()
                        && older.size() < newer.size()) {
                    throw new BadInput("the proof is to " + to + " events, the newer checkpoint has " + newer.size());
                }
            } catch (org.bson.json.JsonParseException e) {
                throw new BadInput("--proof is not JSON: " + e.getMessage());
            }
        }
        String failure = Evidence.extension(older, newer, proof);
        if (failure != null) {
            System.out.println("BROKEN: LOG_NOT_CONSISTENT: " + failure);
            return BROKEN;
        }
        System.out.println("OK: the checkpoint of " + newer.size() + " events extends the pinned one of "
                + older.size() + " events");
        return OK;
    }

    private static int newWitnessKey(List<String> operands) {
        if (operands.size() != 1) {
            return usage("new-witness-key takes the witness's name");
        }
        Cosignature.WitnessSigner witness;
        try {
            witness = Cosignature.WitnessSigner.generate(operands.get(0), new java.security.SecureRandom());
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
        System.out.println(witness);
        System.out.println(witness.witnessKey());
        return OK;
    }

    /** A witness's cosignature of a checkpoint it checked: signed by the log, extending the last one it cosigned. */
    private static int cosign(SignedNote.VerifierKey key, Map<String, String> options) {
        String signerText = options.get("--witness-key");
        if (signerText == null) {
            throw new BadInput("--witness-key is required: the witness's signing key (or @file)");
        }
        Cosignature.WitnessSigner witness;
        try {
            witness = Cosignature.WitnessSigner.parse(signerText.startsWith("@") ? read(signerText.substring(1))
                    : signerText);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--witness-key: " + e.getMessage());
        }
        String note = read(required(options, "--checkpoint"));
        Checkpoint checkpoint = Checkpoint.openByLog(note, List.of(key)).orElse(null);
        if (checkpoint == null) {
            System.out.println("BROKEN: CHECKPOINT_SIGNATURE: --checkpoint is not signed by the log's key " + key.name());
            return BROKEN;
        }
        if (options.containsKey("--older")) {
            Checkpoint older = checkpoint(options.get("--older"), key, "--older");
            if (older == null) {
                System.out.println("BROKEN: CHECKPOINT_SIGNATURE: --older is not signed by the log's key");
                return BROKEN;
            }
            Object proof = null;
            if (options.containsKey("--proof")) {
                org.bson.Document answer = org.bson.Document.parse(read(options.get("--proof")));
                proof = new org.bson.Document("fromSize", answer.get("fromSize")).append("proof", answer.get("proof"));
            }
            String failure = Evidence.extension(older, checkpoint, proof);
            if (failure != null) {
                System.out.println("BROKEN: LOG_NOT_CONSISTENT: " + failure + " (not cosigned)");
                return BROKEN;
            }
        }
        long now = System.currentTimeMillis() / 1000; // the witness's own time: what its statement is dated
        System.out.println(Cosignature.cosign(note, witness, now));
        return OK;
    }

    /**
     * The whole store, read-only, from a MongoDB URI (an account with read rights is enough): every event hashed, chained
     * and walked alongside the log's entries, and the leaves recomputed from the events give the checkpoint's root; the
     * checkpoint is checked with the pinned key (and extends the pinned checkpoint, when one is given).
     */
    private static int store(SignedNote.VerifierKey key, Map<String, String> options) {
        String uri = required(options, "--uri");
        String pinned = options.containsKey("--pinned") ? read(options.get("--pinned")) : null;
        com.mongodb.ConnectionString connection;
        try {
            connection = new com.mongodb.ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--uri: " + e.getMessage());
        }
        String database = options.getOrDefault("--database",
                connection.getDatabase() == null ? "hoso" : connection.getDatabase());
        try (com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients.create(connection)) {
            var db = client.getDatabase(database);
            org.axonframework.serialization.Serializer serializer =
                    org.axonframework.serialization.json.JacksonSerializer.builder()
                            .objectMapper(vn.hoso.events.EventJson.mapper()).build();
            vn.hoso.eventstore.PositionedMongoEventStorageEngine engine =
                    vn.hoso.eventstore.PositionedMongoEventStorageEngine.builder().database(db)
                            .eventSerializer(serializer).snapshotSerializer(serializer).readOnly().build();
            vn.hoso.eventstore.LogVerifier verifier = new vn.hoso.eventstore.LogVerifier(engine,
                    new vn.hoso.eventstore.SealedLog(db), List.of(key));
            long started = System.nanoTime();
            long[] lastShown = {started};
            vn.hoso.eventstore.LogVerifier.Report report = verifier.verifyAll(pinned, (done, total) -> {
                if (System.nanoTime() - lastShown[0] > 5_000_000_000L) {
                    lastShown[0] = System.nanoTime();
                    System.err.println("... position " + done + " of " + total);
                }
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            Evidence.Verdict verdict = new Evidence.Verdict(report.ok(), report.checkedEvents(), report.pendingEvents(),
                    report.checkpointSize(), report.firstBroken());
            System.out.println(verdict.line() + String.format(" (the whole store, %.1f s)", seconds));
            return report.ok() ? OK : BROKEN;
        } catch (com.mongodb.MongoException e) {
            throw new BadInput("the store at --uri cannot be read: " + e.getMessage());
        }
    }

    private static String required(Map<String, String> options, String option) {
        String value = options.get(option);
        if (value == null) {
            throw new BadInput(option + " is required");
        }
        return value;
    }

    private static Checkpoint checkpoint(String file, SignedNote.VerifierKey key, String option) {
        if (file == null) {
            throw new BadInput(option + " is required");
        }
        return Checkpoint.openByLog(read(file), List.of(key)).orElse(null);
    }

    private static SignedNote.VerifierKey key(String value) {
        if (value == null) {
            throw new BadInput("--key is required: the log's verifier key you pinned (<origin>+<hash>+<key>, or @file)");
        }
        String text = value.startsWith("@") ? read(value.substring(1)).trim() : value.trim();
        try {
            return SignedNote.VerifierKey.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadInput("--key: " + e.getMessage());
        }
    }

    private static String read(String file) {
        try {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path)) {
                throw new BadInput(file + " is not a file");
            }
            if (Files.size(path) > MAX_FILE) {
                throw new BadInput(file + " has more than " + MAX_FILE + " bytes");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInput(file + " is not UTF-8 text");
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new BadInput(file + " cannot be read: " + e.getMessage());
        }
    }

    private static int usage(String problem) {
        System.out.println("INVALID INPUT: " + problem + "\nusage:\n"
                + "  java -jar hoso-verifier.jar bundle  --key KEY [--pinned CHECKPOINT_FILE] [--witness WKEY ..."
                + " --quorum K] BUNDLE_FILE\n"
                + "  java -jar hoso-verifier.jar extends --key KEY --older CHECKPOINT_FILE --newer CHECKPOINT_FILE"
                + " --proof PROOF_FILE\n"
                + "  java -jar hoso-verifier.jar store   --key KEY --uri MONGODB_URI [--database NAME]"
                + " [--pinned CHECKPOINT_FILE]\n"
                + "  java -jar hoso-verifier.jar new-witness-key NAME\n"
                + "  java -jar hoso-verifier.jar cosign  --key KEY --witness-key WSIGNER|@FILE --checkpoint FILE"
                + " [--older FILE --proof PROOF_FILE]\n"
                + "KEY: the log's verifier key you pinned (<origin>+<hash>+<key>), or @FILE holding it");
        return BAD_INPUT;
    }

    private static final class BadInput extends RuntimeException {
        BadInput(String message) {
            super(message);
        }
    }
}
