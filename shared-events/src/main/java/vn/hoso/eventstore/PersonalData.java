package vn.hoso.eventstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.bson.types.Binary;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Personal data kept apart from what the history's hashes cover. An event's applicant (ID number, name, phone,
 * e-mail, address: the {@code applicant} object of its payload) is stored in a field of its own,
 * {@code personalData}, and the payload keeps only the applicant's kind and a <em>commitment</em> to the values:
 * {@code hmac-sha256:<hex>}, an HMAC-SHA-256 of their canonical JSON (the non-null fields, keys sorted, compact) under a
 * secret of the dossier's own, 32 random bytes kept outside the event documents (collection
 * {@code personal_data_keys}, by dossier id).
 * <ul>
 *   <li>Readers see the event as it was appended: the values are put back into the payload as it is read.</li>
 *   <li>Erasure deletes the values and the dossier's secret: the commitment stays, every proof over the rest of the
 *   history stays valid, and without the secret no one can test a guessed ID number against it (a plain digest of a
 *   12-digit ID would be brute-forced in seconds).</li>
 *   <li>Whoever holds the secret and the values can show that these were the values committed to
 *   ({@link #commitmentHolds}).</li>
 * </ul>
 * Events stored before this (revision 1 of {@code DossierSubmitted} without it) keep their applicant inline.
 */
final class PersonalData {

    static final String FIELD = "personalData";
    static final String COMMITMENT = "commitment";
    static final String KEYS = "personal_data_keys";
    private static final String APPLICANT = "applicant";
    private static final List<String> PERSONAL = List.of("idNumber", "fullName", "phone", "email", "address");
    private static final String SCHEME = "hmac-sha256:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoCollection<Document> keys;

    PersonalData(MongoCollection<Document> keys) {
        this.keys = keys;
    }

    /** Moves the document's personal values out of its payload, behind a commitment; a document without any is left. */
    void protect(Document document) {
        protect(document, this::keyOf);
    }

    /** ... under the secret {@code keyOf} gives for the document's dossier (asked only when it has personal values). */
    static void protect(Document document, java.util.function.Function<String, byte[]> keyOf) {
        String payload = document.getString(EventDocuments.PAYLOAD);
        if (payload == null || !payload.contains("\"" + APPLICANT + "\"")) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(payload);
            if (!(root instanceof ObjectNode object) || !(object.get(APPLICANT) instanceof ObjectNode applicant)) {
                return;
            }
            Map<String, String> values = new TreeMap<>();
            for (String field : PERSONAL) {
                JsonNode value = applicant.remove(field);
                if (value != null && !value.isNull()) {
                    values.put(field, value.asText());
                }
            }
            if (values.isEmpty()) {
                return;
            }
            applicant.put(COMMITMENT, commitment(keyOf.apply(document.getString(EventDocuments.AGGREGATE)), values));
            document.put(EventDocuments.PAYLOAD, JSON.writeValueAsString(object));
            document.put(FIELD, JSON.writeValueAsString(values));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event payload that is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The payload as appended: the personal values put back in place of the commitment (none, once erased). */
    static String reveal(Document document) {
        String payload = document.getString(EventDocuments.PAYLOAD);
        if (payload == null || !payload.contains("\"" + COMMITMENT + "\"")) {
            return payload;
        }
        try {
            JsonNode root = JSON.readTree(payload);
            if (!(root instanceof ObjectNode object) || !(object.get(APPLICANT) instanceof ObjectNode applicant)
                    || !applicant.has(COMMITMENT)) {
                return payload;
            }
            applicant.remove(COMMITMENT);
            String personal = document.getString(FIELD);
            if (personal != null) {
                JsonNode values = JSON.readTree(personal);
                values.fields().forEachRemaining(value -> applicant.set(value.getKey(), value.getValue()));
            }
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event payload that is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Whether the document's stored personal values are the ones its commitment was made to, under this key. */
    static boolean commitmentHolds(Document document, byte[] key) {
        try {
            JsonNode applicant = JSON.readTree(document.getString(EventDocuments.PAYLOAD)).path(APPLICANT);
            String personal = document.getString(FIELD);
            if (!applicant.has(COMMITMENT) || personal == null) {
                return false;
            }
            Map<String, String> values = JSON.readValue(personal, JSON.getTypeFactory()
                    .constructMapType(TreeMap.class, String.class, String.class));
            return MessageDigest.isEqual(commitment(key, values).getBytes(StandardCharsets.US_ASCII),
                    applicant.get(COMMITMENT).asText().getBytes(StandardCharsets.US_ASCII));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    static String commitment(byte[] key, Map<String, String> values) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] canonical = JSON.writeValueAsString(new TreeMap<>(values)).getBytes(StandardCharsets.UTF_8);
            return SCHEME + HexFormat.of().formatHex(mac.doFinal(canonical));
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every Java runtime", e);
        }
    }

    /** The dossier's secret, made on its first personal value (a unique insert decides between concurrent makers). */
    byte[] keyOf(String dossierId) {
        byte[] existing = existingKey(dossierId);
        if (existing != null) {
            return existing;
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        try {
            keys.insertOne(new Document("_id", dossierId).append("key", new Binary(key)));
            return key;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return existingKey(dossierId); // another maker's, inserted first
        }
    }

    /** The dossier's secret, or null once erased (or never made). */
    byte[] existingKey(String dossierId) {
        Document existing = keys.find(new Document("_id", dossierId)).first();
        return existing == null ? null : existing.get("key", Binary.class).getData();
    }

    /** Deletes the dossier's secret: its commitments can no longer be tested against any value. */
    void forgetKey(String dossierId) {
        keys.deleteOne(new Document("_id", dossierId));
    }
}
