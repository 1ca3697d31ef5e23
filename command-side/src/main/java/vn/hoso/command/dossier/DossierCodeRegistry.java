package vn.hoso.command.dossier;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Date;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * Issues dossier codes, unique system-wide: {@code {agencyCode}-{yyMMdd}-{sequence}} by default, or the agency
 * system's own code when it brings one. A code is reserved in a collection keyed by the code (so the database's
 * {@code _id} uniqueness decides, on every node) before the receipt event is appended, and released if the dossier
 * then refuses the receipt. Sequences come from a per-agency, per-day counter; a released code leaves a gap.
 */
public class DossierCodeRegistry {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyMMdd");

    private final MongoCollection<Document> codes;
    private final MongoCollection<Document> sequences;

    public DossierCodeRegistry(MongoDatabase database) {
        this.codes = database.getCollection("dossier_codes");
        this.sequences = database.getCollection("dossier_code_sequences");
    }

    /** Reserves the next default code of {@code agencyCode} for the day of receipt. */
    public String reserveNext(String agencyCode, LocalDate receivedOn, String dossierId, Instant now) {
        String counterId = agencyCode + "-" + DAY.format(receivedOn);
        while (true) {
            Document counter = sequences.findOneAndUpdate(eq("_id", counterId), Updates.inc("next", 1L),
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
            long sequence = counter.get("next", Number.class).longValue();
            String code = String.format("%s-%04d", counterId, sequence);
            // an agency system may already have brought this very code: take the next one then
            if (tryReserve(code, dossierId, now)) {
                return code;
            }
        }
    }

    /**
     * Reserves a code an agency system brought. Reserving again for the same dossier is fine (a retry).
     *
     * @throws DossierRuleViolation DOSSIER_CODE_TAKEN when another dossier holds it
     */
    public void reserveOwn(String code, String dossierId, Instant now) {
        if (!tryReserve(code, dossierId, now)) {
            throw new DossierRuleViolation(ErrorCode.DOSSIER_CODE_TAKEN, null, DossierAction.RECEIVE.name(), code);
        }
    }

    /** Frees a code reserved for a dossier that then refused the receipt. */
    public void release(String code, String dossierId) {
        codes.deleteOne(and(eq("_id", code), eq("dossierId", dossierId), eq("confirmed", false)));
    }

    /** Marks a code as used by its dossier's receipt event; a confirmed code is never released. */
    public void confirm(String code, String dossierId) {
        codes.updateOne(and(eq("_id", code), eq("dossierId", dossierId)), Updates.set("confirmed", true));
    }

    private boolean tryReserve(String code, String dossierId, Instant now) {
        try {
            codes.insertOne(new Document("_id", code).append("dossierId", dossierId)
                    .append("reservedAt", Date.from(now)).append("confirmed", false));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            Document existing = codes.find(eq("_id", code)).first();
            return existing != null && dossierId.equals(existing.getString("dossierId"));
        }
    }
}
