package vn.hoso.command.dossier;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiPredicate;

/**
 * Issues dossier codes, unique system-wide: {@code {agencyCode}-{yyMMdd}-{sequence}} by default, or the agency
 * system's own code when it brings one. A code is reserved in a collection keyed by the code (the database's
 * {@code _id} uniqueness decides, on every node) by the dossier as it decides a receipt it accepts, before the receipt
 * event is appended, then confirmed when it is stored, or released if it is not.
 * <ul>
 *   <li>Each reservation attempt carries a nonce of its own and releases or confirms only what it made (every write
 *   is by the unique key {@code (_id, nonce)}): a retry that finds the code already held by the same dossier uses it
 *   but never releases it.</li>
 *   <li>A reservation is never released while the dossier's events hold the code (an append that landed although
 *   its answer was lost); an unconfirmed reservation older than {@link #STALE} (its node died between append and
 *   confirm) is resolved against the dossier's events: confirmed if they hold the code, taken over if not.</li>
 *   <li>A confirm that finds its reservation gone is an alarm: logged as an error, counted, and the code re-reserved
 *   for the dossier if it is still free.</li>
 *   <li>Sequences come from a per-agency, per-day counter read before its increment (the emulator handed out
 *   duplicates when asked for the value after it); a released code leaves a gap.</li>
 * </ul>
 */
public class DossierCodeRegistry implements DossierCodes {

    /** How old an unconfirmed reservation must be before another dossier may resolve it. */
    static final Duration STALE = Duration.ofMinutes(2);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyMMdd");
    private static final Logger log = LoggerFactory.getLogger(DossierCodeRegistry.class);

    private final MongoCollection<Document> codes;
    private final MongoCollection<Document> sequences;
    private final BiPredicate<String, String> receivedWithCode;
    private final LongAdder alarms = new LongAdder();

    /**
     * @param receivedWithCode whether a dossier's events hold a receipt with this code (dossier id, code)
     */
    private final java.time.Clock clock;

    public DossierCodeRegistry(MongoDatabase database, BiPredicate<String, String> receivedWithCode,
                               java.time.Clock clock) {
        this.clock = clock;
        this.codes = database.getCollection("dossier_codes");
        this.sequences = database.getCollection("dossier_code_sequences");
        this.receivedWithCode = receivedWithCode;
        codes.createIndex(Indexes.ascending("_id", "nonce"), new IndexOptions().unique(true).name("code_nonce"));
    }

    /** One reservation attempt's hold on a code; {@code made} when this attempt wrote it. */
    public record Reservation(String code, String dossierId, String nonce, boolean made) {
    }

    /**
     * Reserves the next default code of {@code agencyCode} for the day of receipt (the day the agency reports, which
     * may be past). The reservation itself is stamped with this server's clock, never with a reported time: its age
     * decides when another dossier may resolve it ({@link #STALE}).
     */
    @Override
    public Reservation reserveNext(String agencyCode, LocalDate receivedOn, String dossierId) {
        String counterId = agencyCode + "-" + DAY.format(receivedOn);
        while (true) {
            Document before = sequences.findOneAndUpdate(new Document("_id", counterId), Updates.inc("next", 1L),
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE));
            long sequence = (before == null ? 0 : before.get("next", Number.class).longValue()) + 1;
            String code = String.format("%s-%04d", counterId, sequence);
            // an agency system may already have brought this very code: take the next one then
            Reservation reservation = tryReserve(code, dossierId);
            if (reservation != null) {
                return reservation;
            }
        }
    }

    /**
     * Reserves a code an agency system brought. Reserving again for the same dossier is fine (a retry).
     *
     * @throws DossierRuleViolation DOSSIER_CODE_TAKEN when another dossier holds it
     */
    @Override
    public Reservation reserveOwn(String code, String dossierId) {
        Reservation reservation = tryReserve(code, dossierId);
        if (reservation == null) {
            throw new DossierRuleViolation(ErrorCode.DOSSIER_CODE_TAKEN, null, DossierAction.RECEIVE.name(), code);
        }
        return reservation;
    }

    /** Frees a code this attempt reserved for a dossier that then refused the receipt. */
    @Override
    public void release(Reservation reservation) {
        if (!reservation.made()) {
            return; // another attempt's reservation: it decides
        }
        if (receivedWithCode.test(reservation.dossierId(), reservation.code())) {
            confirm(reservation); // the receipt landed after all (another attempt, or an answer that was lost)
            return;
        }
        codes.deleteOne(byCodeAndNonce(reservation));
    }

    /** Marks the code as used by its dossier's receipt event; a confirmed code is never released. */
    @Override
    public void confirm(Reservation reservation) {
        if (codes.updateOne(byCodeAndNonce(reservation), Updates.set("confirmed", true)).getMatchedCount() == 1) {
            return;
        }
        Document current = codes.find(new Document("_id", reservation.code())).first();
        if (current != null && reservation.dossierId().equals(current.getString("dossierId"))) {
            codes.updateOne(new Document("_id", reservation.code()).append("nonce", current.getString("nonce")),
                    Updates.set("confirmed", true));
            return;
        }
        alarms.increment();
        log.error("ALARM: the reservation of dossier code {} for dossier {} was gone when its receipt was confirmed{}",
                reservation.code(), reservation.dossierId(), current == null ? "; reserving it again"
                        : "; another dossier (" + current.getString("dossierId") + ") holds it now");
        if (current == null) {
            try {
                codes.insertOne(reservationDocument(reservation.code(), reservation.dossierId(), UUID.randomUUID().toString(),
                        clock.instant()).append("confirmed", true));
            } catch (MongoWriteException e) {
                log.error("ALARM: dossier code {} could not be reserved again for dossier {}", reservation.code(),
                        reservation.dossierId(), e);
            }
        }
    }

    /** How many confirms found their reservation gone. */
    public long alarms() {
        return alarms.sum();
    }

    private Reservation tryReserve(String code, String dossierId) {
        Instant now = clock.instant();
        String nonce = UUID.randomUUID().toString();
        try {
            codes.insertOne(reservationDocument(code, dossierId, nonce, now).append("confirmed", false));
            return new Reservation(code, dossierId, nonce, true);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        Document existing = codes.find(new Document("_id", code)).first();
        if (existing == null) {
            return tryReserve(code, dossierId); // released in between
        }
        String holder = existing.getString("dossierId");
        String existingNonce = existing.getString("nonce");
        if (dossierId.equals(holder)) {
            return new Reservation(code, dossierId, existingNonce, false);
        }
        boolean stale = !Boolean.TRUE.equals(existing.getBoolean("confirmed"))
                && existing.getDate("reservedAt").toInstant().isBefore(now.minus(STALE));
        if (!stale) {
            return null;
        }
        Document held = new Document("_id", code).append("nonce", existingNonce);
        if (receivedWithCode.test(holder, code)) {
            codes.updateOne(held, Updates.set("confirmed", true)); // its node died before confirming
            return null;
        }
        // abandoned: its dossier never received this code
        boolean takenOver = codes.replaceOne(held, reservationDocument(code, dossierId, nonce, now)
                .append("confirmed", false)).getMatchedCount() == 1;
        if (takenOver) {
            log.warn("dossier code {} was reserved for dossier {} since {} but never used: given to dossier {}", code,
                    holder, existing.getDate("reservedAt").toInstant(), dossierId);
            return new Reservation(code, dossierId, nonce, true);
        }
        return null;
    }

    private static Document reservationDocument(String code, String dossierId, String nonce, Instant now) {
        return new Document("_id", code).append("nonce", nonce).append("dossierId", dossierId)
                .append("reservedAt", Date.from(now));
    }

    private static Document byCodeAndNonce(Reservation reservation) {
        return new Document("_id", reservation.code()).append("nonce", reservation.nonce());
    }
}
