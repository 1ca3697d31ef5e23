package vn.hoso.query.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hoso.command.it.TestIssuer;
import vn.hoso.eventstore.Evidence;
import vn.hoso.eventstore.SealedLog;
import vn.hoso.tlog.Checkpoint;
import vn.hoso.tlog.Merkle;
import vn.hoso.tlog.SignedNote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sealed history through the services, on the MongoDB the suite runs on: a dossier's history shows each event's
 * position, hash, previous hash and leaf; the public log API gives a signed checkpoint, an inclusion and a consistency
 * proof that verify with the published key; a verification started by an inspector is OK, then names the event whose
 * payload was changed by one byte straight in MongoDB; nothing the log publishes holds the applicant's data.
 */
class SealedHistoryIT {

    private static final String[] CITIZEN = TestIssuer.bearer("CITIZEN", "sealed-citizen", null);
    private static final String[] OFFICER = TestIssuer.bearer("OFFICER", "sealed-officer", "000.00.01.H22");
    private static final String[] INSPECTOR = TestIssuer.bearer("INSPECTOR", "sealed-inspector", null);
    private static final String[] ANALYST = TestIssuer.bearer("ANALYST", "sealed-analyst", null);
    /** The witness the log is configured with (an outside party's key, in a real deployment). */
    private static final vn.hoso.tlog.Cosignature.WitnessSigner WITNESS = vn.hoso.tlog.Cosignature.WitnessSigner
            .generate("witness.test/w1", new java.security.SecureRandom());
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack(false, "--hoso.log.checkpoint-every=200ms", "--hoso.log.witness-keys=" + WITNESS.witnessKey());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** The history of a dossier once every event of it is sealed and a checkpoint covers it. */
    private JsonNode sealedHistory(String dossierId) {
        JsonNode[] history = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Answer answer = stack.commands().get("/api/v1/dossiers/" + dossierId + "/events", INSPECTOR);
            assertThat(answer.status()).isEqualTo(200);
            for (JsonNode event : answer.body().path("events")) {
                assertThat(event.path("leafIndex").isNumber()).as("sealed: %s", event).isTrue();
            }
            long last = answer.body().path("events").get(answer.body().path("events").size() - 1).path("leafIndex")
                    .asLong();
            assertThat(checkpoint().size()).as("a checkpoint covers the dossier").isGreaterThan(last);
            history[0] = answer.body();
        });
        return history[0];
    }

    private static SignedNote.VerifierKey publishedKey() {
        Http.Answer keys = stack.queries().get("/api/v1/log/keys");
        assertThat(keys.status()).isEqualTo(200);
        return SignedNote.VerifierKey.parse(keys.body().path("keys").get(0).path("verifierKey").asText());
    }

    private static Checkpoint checkpoint() {
        String note = stack.queries().getText("/api/v1/log/checkpoint");
        return Checkpoint.open(note, publishedKey()).orElseThrow(() -> new AssertionError("not signed: " + note));
    }

    private static List<byte[]> hashes(JsonNode proof) {
        List<byte[]> hashes = new ArrayList<>();
        proof.forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
        return hashes;
    }

    private static JsonNode verification(String body) {
        Http.Answer started = stack.queries().post("/api/v1/log/verifications", body, INSPECTOR);
        assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
        String id = started.body().path("id").asText();
        assertThat(started.header("Location")).isEqualTo("/api/v1/log/verifications/" + id);
        JsonNode[] done = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode job = stack.queries().get("/api/v1/log/verifications/" + id, INSPECTOR).body();
            assertThat(job.path("status").asText()).as(job.toString()).isIn("OK", "BROKEN", "FAILED");
            done[0] = job;
        });
        return done[0];
    }

    @Test
    void aDossiersHistoryIsSealedProvenVerifiedAndAChangedByteIsNamed() {
        String first = stack.submitAndReceive(1, CITIZEN, OFFICER);
        JsonNode firstHistory = sealedHistory(first);
        Checkpoint older = checkpoint();
        String second = stack.submitAndReceive(2, CITIZEN, OFFICER);
        JsonNode history = sealedHistory(second);

        // the history as stored: positions, a chain of hashes, leaves
        JsonNode events = history.path("events");
        assertThat(events.size()).isEqualTo(2);
        assertThat(events.get(0).path("previousHash").asText()).isEqualTo("0".repeat(64));
        assertThat(events.get(1).path("previousHash").asText()).isEqualTo(events.get(0).path("hash").asText());
        assertThat(events.get(1).path("position").asLong()).isGreaterThan(events.get(0).path("position").asLong());
        assertThat(events.get(0).path("reportedAt").isTextual()).isTrue();
        assertThat(events.get(0).path("sealedHash").asText()).isEqualTo(events.get(0).path("hash").asText());

        // an inclusion proof, from the public API without a token, against the signed checkpoint
        Checkpoint latest = checkpoint();
        JsonNode event = events.get(1);
        long leaf = event.path("leafIndex").asLong();
        Http.Answer inclusion = stack.queries().get("/api/v1/log/proofs/inclusion?leafIndex=" + leaf + "&treeSize="
                + latest.size());
        assertThat(inclusion.status()).as(inclusion.body().toString()).isEqualTo(200);
        byte[] leafHash = SealedLog.leafHash(event.path("position").asLong(),
                HexFormat.of().parseHex(event.path("hash").asText()));
        assertThat(Base64.getDecoder().decode(inclusion.body().path("leafHash").asText())).isEqualTo(leafHash);
        assertThat(Merkle.verifyInclusion(leaf, latest.size(), leafHash, hashes(inclusion.body().path("proof")),
                latest.root())).as("the event is in the signed tree").isTrue();
        assertThat(Merkle.verifyInclusion(leaf, latest.size(), Merkle.leafHash(new byte[40]),
                hashes(inclusion.body().path("proof")), latest.root())).as("and no other leaf is").isFalse();

        // a consistency proof: the latest checkpoint extends the one read before the second dossier
        Http.Answer consistency = stack.queries().get("/api/v1/log/proofs/consistency?fromSize=" + older.size()
                + "&toSize=" + latest.size());
        assertThat(consistency.status()).isEqualTo(200);
        assertThat(Merkle.verifyConsistency(older.size(), latest.size(), older.root(), latest.root(),
                hashes(consistency.body().path("proof")))).isTrue();

        // nothing the log publishes or stores holds the applicant's name or tax code
        StringBuilder published = new StringBuilder(stack.queries().getText("/api/v1/log/checkpoint"))
                .append(inclusion.body()).append(consistency.body());
        for (String collection : List.of("log_entries", "log_state", "log_checkpoints", "log_keys", "log_tiles")) {
            stack.database().getCollection(collection).find().forEach(d -> published.append(d.toJson()));
        }
        assertThat(published.toString()).doesNotContain("0100109106", "Công ty", "C\\u00f4ng ty");

        // a verification started by an inspector: OK for the dossier and for the whole store
        assertThat(verification("{\"scope\":\"dossier\",\"dossierId\":\"" + first + "\"}").path("status").asText())
                .isEqualTo("OK");
        JsonNode all = verification("{\"scope\":\"all\",\"pinnedCheckpoint\":" + Http.JSON.valueToTree(
                stack.queries().getText("/api/v1/log/checkpoints/" + older.size())) + "}");
        assertThat(all.path("status").asText()).as(all.toString()).isEqualTo("OK");
        assertThat(all.path("report").path("checkedEvents").asLong()).isGreaterThanOrEqualTo(4);

        // one byte of one event changed in MongoDB: each verification names that event
        var stored = stack.database().getCollection("events");
        Document received = stored.find(new Document("aggregateIdentifier", first).append("sequenceNumber", 1L)).first();
        String payload = received.getString("serializedPayload");
        int at = payload.indexOf("000.00.01.H22");
        String changed = payload.substring(0, at) + "000.00.01.H23" + payload.substring(at + "000.00.01.H22".length());
        stored.updateOne(new Document("_id", received.get("_id")),
                new Document("$set", new Document("serializedPayload", changed)));
        try {
            for (String scope : List.of("{\"scope\":\"dossier\",\"dossierId\":\"" + first + "\"}", "{\"scope\":\"all\"}",
                    "{\"scope\":\"agency\",\"agencyCode\":\"000.00.01.H22\",\"from\":\"2000-01-01T00:00:00Z\","
                            + "\"to\":\"2099-01-01T00:00:00Z\"}")) {
                JsonNode broken = verification(scope);
                assertThat(broken.path("status").asText()).as(broken.toString()).isEqualTo("BROKEN");
                JsonNode link = broken.path("report").path("firstBroken");
                assertThat(link.path("dossier").asText()).as(scope).isEqualTo(first);
                assertThat(link.path("sequence").asLong()).isEqualTo(1);
                assertThat(link.path("position").asLong()).isEqualTo(firstHistory.path("events").get(1).path("position")
                        .asLong());
                assertThat(link.path("check").asText()).isEqualTo("HASH_MISMATCH");
            }
        } finally {
            stored.updateOne(new Document("_id", received.get("_id")),
                    new Document("$set", new Document("serializedPayload", payload)));
        }
    }

    /** The offline verifier, run as a process of its own (the jar's main class, on this test's class path). */
    private record Verified(int exitCode, String output) {
    }

    private static Verified offline(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "vn.hoso.verifier.OfflineVerifier"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new Verified(process.exitValue(), output.strip());
    }

    /**
     * A dossier's evidence bundle exported by an inspector and checked by the offline verifier, against the key and a
     * checkpoint pinned before: OK; a byte of an event changed in the bundle, a proof hash, the checkpoint, its
     * signature or the key each named with a non-zero exit; a newer checkpoint proven to extend the pinned one; inputs
     * that are not bundles refused with a clear message.
     */
    @Test
    void aDossiersEvidenceIsVerifiedOfflineAndEveryEditIsCaught() throws Exception {
        java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("hoso-evidence");
        String key = publishedKey().toString();
        java.nio.file.Path pinned = folder.resolve("pinned.txt");
        String dossier = stack.submitAndReceive(3, CITIZEN, OFFICER);
        sealedHistory(dossier);
        java.nio.file.Files.writeString(pinned, stack.queries().getText("/api/v1/log/checkpoint"));
        Checkpoint pinnedCheckpoint = Checkpoint.open(java.nio.file.Files.readString(pinned), publishedKey()).orElseThrow();
        String later = stack.submitAndReceive(4, CITIZEN, OFFICER);
        sealedHistory(later);
        await().atMost(Duration.ofSeconds(30)).until(() -> checkpoint().size() > pinnedCheckpoint.size());

        Http.Answer refused = stack.queries().get("/api/v1/log/evidence/dossiers/" + dossier, OFFICER);
        assertThat(refused.status()).isEqualTo(403);
        String bundle = stack.queries().getText("/api/v1/log/evidence/dossiers/" + dossier + "?pinnedSize="
                + pinnedCheckpoint.size(), INSPECTOR);
        assertThat(bundle).contains("\"format\": \"hoso-evidence/1\"").doesNotContain("0100109106", "Công ty");
        java.nio.file.Path file = folder.resolve("bundle.json");
        java.nio.file.Files.writeString(file, bundle);

        Verified ok = offline("bundle", "--key", key, "--pinned", pinned.toString(), file.toString());
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).startsWith("OK: 2 events proven");

        // edits of the bundle by hand, each named
        java.util.Map<String, String> edits = new java.util.LinkedHashMap<>();
        edits.put("HASH_MISMATCH", bundle.replaceFirst("000\\.00\\.01\\.H22-(\\d{6})-", "000.00.01.H23-$1-"));
        edits.put("NOT_IN_LOG", edited(bundle, b -> {
            List<String> proofHashes = new ArrayList<>(firstEvent(b).getList("proof", String.class));
            byte[] hash = Base64.getDecoder().decode(proofHashes.get(0));
            hash[0] ^= 1;
            proofHashes.set(0, Base64.getEncoder().encodeToString(hash));
            firstEvent(b).put("proof", proofHashes);
        }));
        edits.put("NOT_YET_COVERED", edited(bundle, b -> { // a proof left out: never a pass
            firstEvent(b).remove("proof");
            firstEvent(b).put("pending", true);
        }));
        edits.put("CHECKPOINT_SIGNATURE", edited(bundle, b -> b.put("checkpoint",
                b.getString("checkpoint").replaceFirst("\n(\\d+)\n", "\n9$1\n"))));
        for (var edit : edits.entrySet()) {
            java.nio.file.Path edited = folder.resolve(edit.getKey() + ".json");
            java.nio.file.Files.writeString(edited, edit.getValue());
            assertThat(edit.getValue()).as("the edit changed the bundle").isNotEqualTo(bundle);
            Verified broken = offline("bundle", "--key", key, edited.toString());
            assertThat(broken.exitCode()).as(broken.output()).isEqualTo(1);
            assertThat(broken.output()).as(edit.getKey()).startsWith("BROKEN").contains(edit.getKey());
        }
        assertThat(offline("bundle", "--key", key, folder.resolve("HASH_MISMATCH.json").toString()).output())
                .contains("dossier " + dossier, "event 1,");
        SignedNote.VerifierKey other = SignedNote.SignerKey.generate(publishedKey().name(),
                new java.security.SecureRandom()).verifier();
        Verified otherKey = offline("bundle", "--key", other.toString(), file.toString());
        assertThat(otherKey.exitCode()).isEqualTo(1);
        assertThat(otherKey.output()).contains("CHECKPOINT_SIGNATURE");

        // a newer checkpoint proven to extend the pinned one, from the log's public consistency proof
        java.nio.file.Path newer = folder.resolve("newer.txt");
        java.nio.file.Files.writeString(newer, stack.queries().getText("/api/v1/log/checkpoint"));
        long newerSize = Checkpoint.open(java.nio.file.Files.readString(newer), publishedKey()).orElseThrow().size();
        java.nio.file.Path proof = folder.resolve("consistency.json");
        java.nio.file.Files.writeString(proof, stack.queries().getText("/api/v1/log/proofs/consistency?fromSize="
                + pinnedCheckpoint.size() + "&toSize=" + newerSize));
        Verified extended = offline("extends", "--key", key, "--older", pinned.toString(), "--newer", newer.toString(),
                "--proof", proof.toString());
        assertThat(extended.exitCode()).as(extended.output()).isZero();
        Verified backwards = offline("extends", "--key", key, "--older", newer.toString(), "--newer", pinned.toString(),
                "--proof", proof.toString());
        assertThat(backwards.exitCode()).as(backwards.output()).isEqualTo(1);

        // a witness cosigns the newer checkpoint after checking it extends the one it saw (the pinned one); the log
        // publishes the cosignature with it; a bundle then meets the policy "the log's key and 1 of these witnesses"
        java.nio.file.Path witnessKey = folder.resolve("witness.key");
        java.nio.file.Files.writeString(witnessKey, WITNESS.toString());
        Verified cosigned = offline("cosign", "--key", key, "--witness-key", "@" + witnessKey, "--checkpoint",
                newer.toString(), "--older", pinned.toString(), "--proof", proof.toString());
        assertThat(cosigned.exitCode()).as(cosigned.output()).isZero();
        assertThat(stack.queries().post("/api/v1/log/checkpoints/" + newerSize + "/cosignatures", "not a cosignature")
                .status()).isEqualTo(415); // text/plain only
        String cosignatures = "/api/v1/log/checkpoints/" + newerSize + "/cosignatures";
        Http.Answer forged = stack.queries().postText(cosignatures, cosigned.output().replace("w1 ", "w1 A"));
        assertThat(forged.status()).as(forged.body().toString()).isEqualTo(400);
        Http.Answer accepted = stack.queries().postText(cosignatures, cosigned.output());
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(stack.queries().getText("/api/v1/log/checkpoints/" + newerSize)).endsWith(cosigned.output() + "\n");
        String witnessed = stack.queries().getText("/api/v1/log/evidence/dossiers/" + dossier, INSPECTOR);
        java.nio.file.Path witnessedFile = folder.resolve("witnessed.json");
        java.nio.file.Files.writeString(witnessedFile, witnessed);
        assertThat(witnessed).as("the bundle's checkpoint (the latest: no event since) carries the cosignature")
                .contains("witness.test/w1");
        Verified policy = offline("bundle", "--key", key, "--witness", WITNESS.witnessKey().toString(), "--quorum",
                "1", witnessedFile.toString());
        assertThat(policy.exitCode()).as(policy.output()).isZero();
        String stranger = vn.hoso.tlog.Cosignature.WitnessSigner.generate("witness.test/w2",
                new java.security.SecureRandom()).witnessKey().toString();
        Verified quorum = offline("bundle", "--key", key, "--witness", WITNESS.witnessKey().toString(), "--witness",
                stranger, "--quorum", "2", witnessedFile.toString());
        assertThat(quorum.exitCode()).as(quorum.output()).isEqualTo(1);
        assertThat(quorum.output()).contains("WITNESS_QUORUM");

        // an agency's bundle for a period: both dossiers of this test (and the other tests' of the same agency), proven
        String agency = stack.queries().getText("/api/v1/log/evidence/agencies/000.00.01.H22?from=2000-01-01T00:00:00Z"
                + "&to=2099-01-01T00:00:00Z&pinnedSize=" + pinnedCheckpoint.size(), INSPECTOR);
        assertThat(agency).contains(dossier, later);
        java.nio.file.Path agencyFile = folder.resolve("agency.json");
        java.nio.file.Files.writeString(agencyFile, agency);
        Verified agencyOk = offline("bundle", "--key", key, "--pinned", pinned.toString(), agencyFile.toString());
        assertThat(agencyOk.exitCode()).as(agencyOk.output()).isZero();
        java.nio.file.Path agencyEdited = folder.resolve("agency-edited.json");
        java.nio.file.Files.writeString(agencyEdited, agency.replaceFirst("000\\.00\\.01\\.H22-(\\d{6})-",
                "000.00.01.H23-$1-"));
        Verified agencyBroken = offline("bundle", "--key", key, agencyEdited.toString());
        assertThat(agencyBroken.exitCode()).as(agencyBroken.output()).isEqualTo(1);
        assertThat(agencyBroken.output()).contains("HASH_MISMATCH");
        assertThat(field(stack.queries().get("/api/v1/log/evidence/agencies/000.00.01.H22?from=2030-01-01T00:00:00Z"
                + "&to=2020-01-01T00:00:00Z", INSPECTOR))).isEqualTo("to");

        // the whole store, read-only, from its MongoDB URI: OK, then one byte of one event changed, named
        Verified store = offline("store", "--key", key, "--uri", stack.mongoServer, "--database", stack.database,
                "--pinned", pinned.toString());
        assertThat(store.exitCode()).as(store.output()).isZero();
        assertThat(store.output()).contains("OK: ").contains("the whole store");
        var events = stack.database().getCollection("events");
        Document step = events.find(new Document("aggregateIdentifier", later).append("sequenceNumber", 1L)).first();
        String payload = step.getString("serializedPayload");
        events.updateOne(new Document("_id", step.get("_id")), new Document("$set",
                new Document("serializedPayload", payload.replace("000.00.01.H22-", "000.00.01.H23-"))));
        try {
            Verified tampered = offline("store", "--key", key, "--uri", stack.mongoServer, "--database",
                    stack.database);
            assertThat(tampered.exitCode()).as(tampered.output()).isEqualTo(1);
            assertThat(tampered.output()).contains("BROKEN: dossier " + later + ", event 1, position "
                    + step.get("_id") + ",", "HASH_MISMATCH");
        } finally {
            events.updateOne(new Document("_id", step.get("_id")),
                    new Document("$set", new Document("serializedPayload", payload)));
        }

        // more kinds of tampering in the store, each named by the verifier run on the store as a process, then undone
        Document zero = events.find(new Document("aggregateIdentifier", later).append("sequenceNumber", 0L)).first();
        Document one = events.find(new Document("aggregateIdentifier", later).append("sequenceNumber", 1L)).first();
        java.util.Map<String, Runnable[]> kinds = new java.util.LinkedHashMap<>();
        kinds.put("EVENT_MISSING", new Runnable[] {() -> events.deleteOne(new Document("_id", zero.get("_id"))),
                () -> events.insertOne(zero)});
        kinds.put("SEAL_MISMATCH", new Runnable[] {() -> { // the dossier's two events swapped between their positions
            events.deleteOne(new Document("_id", zero.get("_id")));
            events.deleteOne(new Document("_id", one.get("_id")));
            events.insertOne(new Document(zero).append("_id", one.get("_id")));
            events.insertOne(new Document(one).append("_id", zero.get("_id")));
        }, () -> {
            events.deleteOne(new Document("_id", zero.get("_id")));
            events.deleteOne(new Document("_id", one.get("_id")));
            events.insertMany(List.of(zero, one));
        }});
        kinds.put("HASH_MISMATCH", new Runnable[] {() -> events.updateOne(new Document("_id", zero.get("_id")),
                new Document("$set", new Document("serializedMetaData", "{}"))), () -> events.replaceOne(
                new Document("_id", zero.get("_id")), zero)});
        for (var kind : kinds.entrySet()) {
            kind.getValue()[0].run();
            try {
                Verified found = offline("store", "--key", key, "--uri", stack.mongoServer, "--database",
                        stack.database);
                assertThat(found.exitCode()).as(kind.getKey() + ": " + found.output()).isEqualTo(1);
                assertThat(found.output()).as(kind.getKey()).contains(kind.getKey(), later);
            } finally {
                kind.getValue()[1].run();
            }
        }
        assertThat(offline("store", "--key", key, "--uri", stack.mongoServer, "--database", stack.database).exitCode())
                .as("undone").isZero();

        // the checkpoint's signature edited by hand; pinned checkpoints that are not checkpoints; a file too large
        String signed = Document.parse(bundle).getString("checkpoint");
        int signatureAt = signed.lastIndexOf(' ') + 1;
        String badSignature = signed.substring(0, signatureAt + 10) + (signed.charAt(signatureAt + 10) == 'A' ? 'B' : 'A')
                + signed.substring(signatureAt + 11);
        java.nio.file.Path signatureEdited = folder.resolve("signature.json");
        java.nio.file.Files.writeString(signatureEdited, edited(bundle, b -> b.put("checkpoint", badSignature)));
        Verified signatureRefused = offline("bundle", "--key", key, signatureEdited.toString());
        assertThat(signatureRefused.exitCode()).as(signatureRefused.output()).isEqualTo(1);
        assertThat(signatureRefused.output()).contains("CHECKPOINT_SIGNATURE");
        for (String junkCheckpoint : List.of("", "not a checkpoint\n", signed.substring(0, signed.length() / 2),
                "x\n".repeat(100_000))) {
            java.nio.file.Path badPin = folder.resolve("bad-pin.txt");
            java.nio.file.Files.writeString(badPin, junkCheckpoint);
            Verified pinRefused = offline("bundle", "--key", key, "--pinned", badPin.toString(), file.toString());
            assertThat(pinRefused.exitCode()).as(pinRefused.output()).isEqualTo(1);
            assertThat(pinRefused.output()).contains("PINNED_CHECKPOINT").doesNotContain("\tat ");
        }
        java.nio.file.Path huge = folder.resolve("huge.json");
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            sparse.setLength(Evidence.MAX_BYTES + 1L); // (sparse: no disk written)
        }
        Verified tooLarge = offline("bundle", "--key", key, huge.toString());
        assertThat(tooLarge.exitCode()).isEqualTo(2);
        assertThat(tooLarge.output()).startsWith("INVALID INPUT").contains("more than");

        // inputs that are not bundles: a clear message, exit 2, never a stack trace
        java.util.Map<String, String> junk = new java.util.LinkedHashMap<>();
        junk.put("truncated", bundle.substring(0, bundle.length() / 2));
        junk.put("empty", "");
        junk.put("other-json", "{\"format\": \"something-else\"}");
        junk.put("deep", "[".repeat(100_000));
        junk.put("binary", "\u0000\u0001\u0002");
        for (var input : junk.entrySet()) {
            java.nio.file.Path bad = folder.resolve(input.getKey() + ".json");
            java.nio.file.Files.writeString(bad, input.getValue());
            Verified refusedInput = offline("bundle", "--key", key, bad.toString());
            assertThat(refusedInput.exitCode()).as(input.getKey() + ": " + refusedInput.output()).isEqualTo(2);
            assertThat(refusedInput.output()).as(input.getKey()).startsWith("INVALID INPUT").doesNotContain("\tat ");
        }
        assertThat(offline("bundle", "--key", "not-a-key", file.toString()).exitCode()).isEqualTo(2);
    }

    private static Document firstEvent(Document bundle) {
        return bundle.getList("events", Document.class).get(0);
    }

    /** The bundle with one edit made, written back as the service writes it (extended JSON). */
    private static String edited(String bundle, java.util.function.Consumer<Document> edit) {
        Document parsed = Document.parse(bundle);
        edit.accept(parsed);
        return parsed.toJson(org.bson.json.JsonWriterSettings.builder().outputMode(org.bson.json.JsonMode.EXTENDED)
                .indent(true).build());
    }

    private static String field(Http.Answer problem) {
        return problem.body().path("errors").path(0).path("field").asText();
    }

    @Test
    void badRequestsToTheLogAreClearProblemsAndOnlyAuditorsVerify() {
        Http queries = stack.queries();
        Http.Answer negative = queries.get("/api/v1/log/proofs/inclusion?leafIndex=-1");
        assertThat(field(negative)).as(negative.status() + " " + negative.body()).isEqualTo("leafIndex");
        assertThat(field(queries.get("/api/v1/log/proofs/inclusion?leafIndex=0&treeSize=999999999")))
                .isEqualTo("treeSize");
        assertThat(queries.get("/api/v1/log/proofs/consistency?fromSize=x").status()).isEqualTo(400);
        assertThat(queries.get("/api/v1/log/checkpoints/999999999").status()).isEqualTo(404);
        Http.Answer badScope = queries.post("/api/v1/log/verifications", "{\"scope\":\"everything\"}", INSPECTOR);
        assertThat(badScope.status()).isEqualTo(400);
        assertThat(field(badScope)).isEqualTo("scope");
        assertThat(field(queries.post("/api/v1/log/verifications", "{\"scope\":\"agency\",\"agencyCode\":\"X\","
                + "\"from\":\"2030-01-01T00:00:00Z\",\"to\":\"2020-01-01T00:00:00Z\"}", INSPECTOR))).isEqualTo("to");
        assertThat(queries.post("/api/v1/log/verifications", "{\"scope\":\"all\"}", ANALYST).status()).isEqualTo(403);
        assertThat(queries.get("/api/v1/log/anomalies", CITIZEN).status()).isEqualTo(403);
        JsonNode anomalies = queries.get("/api/v1/log/anomalies", INSPECTOR).body();
        assertThat(anomalies.path("count").asLong()).as(anomalies.toString()).isZero();
    }
}
