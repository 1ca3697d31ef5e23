package vn.hoso.command.it;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.hoso.command.dossier.DossierCodeRegistry;
import vn.hoso.command.dossier.DossierCodeRegistry.Reservation;
import vn.hoso.command.dossier.DossierRuleViolation;

import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dossier codes on the real store, under races and crashes: every issued code belongs to exactly one dossier. The
 * dossiers' receipts stand in a set here (which dossier's events hold which code), so that a receipt appended by a
 * node that died before confirming can be staged.
 */
class DossierCodesIT {

    private static final String AGENCY = "000.00.01.H22";
    private static final LocalDate DAY = LocalDate.parse("2026-03-02");
    private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");

    private final TestMongo mongo = TestMongo.start();
    private final Set<String> receipts = ConcurrentHashMap.newKeySet();
    /** The server's clock, moved by the tests: reservations are stamped with it, whatever time a receipt reports. */
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final DossierCodeRegistry registry = new DossierCodeRegistry(mongo.db(),
            (dossierId, code) -> receipts.contains(dossierId + " " + code), new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    });

    @AfterEach
    void close() {
        mongo.close();
    }

    @Test
    void manyClientsGetDistinctDefaultCodes() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<String>>> issued = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            int client = c;
            issued.add(clients.submit(() -> {
                go.await();
                List<String> codes = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    Reservation reservation = registry.reserveNext(AGENCY, DAY, "d-" + client + "-" + i);
                    registry.confirm(reservation);
                    codes.add(reservation.code());
                }
                return codes;
            }));
        }
        go.countDown();
        List<String> all = new ArrayList<>();
        for (Future<List<String>> codes : issued) {
            all.addAll(codes.get(2, TimeUnit.MINUTES));
        }
        clients.shutdown();
        assertThat(new HashSet<>(all)).hasSize(400);
        assertThat(mongo.db().getCollection("dossier_codes").countDocuments()).isEqualTo(400);
        assertThat(registry.alarms()).isZero();
    }

    @Test
    void racingReceiptsWithTheSameOwnCodeGiveItToExactlyOneDossier() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> attempts = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            String dossier = "racer-" + c;
            attempts.add(clients.submit(() -> {
                go.await();
                try {
                    registry.confirm(registry.reserveOwn("HN-OWN-1", dossier));
                    return true;
                } catch (DossierRuleViolation taken) {
                    return false;
                }
            }));
        }
        go.countDown();
        int winners = 0;
        for (Future<Boolean> attempt : attempts) {
            winners += attempt.get(1, TimeUnit.MINUTES) ? 1 : 0;
        }
        clients.shutdown();
        assertThat(winners).isEqualTo(1);
    }

    @Test
    void aRetryUsesTheReservationItFoundButNeverReleasesIt() {
        Reservation first = registry.reserveOwn("HN-OWN-2", "d-1");
        Reservation retry = registry.reserveOwn("HN-OWN-2", "d-1");
        assertThat(first.made()).isTrue();
        assertThat(retry.made()).isFalse();
        registry.release(retry); // the retry's receipt was refused: the first attempt's hold stays
        assertThatThrownBy(() -> registry.reserveOwn("HN-OWN-2", "d-2")).isInstanceOf(DossierRuleViolation.class);
        registry.confirm(first);
        assertThat(registry.alarms()).isZero();
    }

    @Test
    void aReceiptAppendedByANodeThatDiedBeforeConfirmingKeepsItsCode() {
        registry.reserveOwn("HN-OWN-3", "d-1");
        receipts.add("d-1 HN-OWN-3"); // appended; the node died before confirming
        // a later failed receipt of another dossier cannot take or delete it, however old the reservation
        now.set(T0.plus(Duration.ofMinutes(10)));
        assertThatThrownBy(() -> registry.reserveOwn("HN-OWN-3", "d-2")).isInstanceOf(DossierRuleViolation.class);
        Document held = mongo.db().getCollection("dossier_codes")
                .find(new Document("_id", "HN-OWN-3")).first();
        assertThat(held.getString("dossierId")).isEqualTo("d-1");
        assertThat(held.getBoolean("confirmed")).isTrue();
    }

    @Test
    void anAbandonedReservationIsGivenToTheNextDossierOnlyOnceItIsStale() {
        registry.reserveOwn("HN-OWN-4", "d-1"); // never appended: its node died before the receipt
        now.set(T0.plus(Duration.ofSeconds(30)));
        assertThatThrownBy(() -> registry.reserveOwn("HN-OWN-4", "d-2"))
                .isInstanceOf(DossierRuleViolation.class);
        now.set(T0.plus(Duration.ofMinutes(10)));
        Reservation taken = registry.reserveOwn("HN-OWN-4", "d-2");
        assertThat(taken.made()).isTrue();
        registry.confirm(taken);
        Document held = mongo.db().getCollection("dossier_codes")
                .find(new Document("_id", "HN-OWN-4")).first();
        assertThat(held.getString("dossierId")).isEqualTo("d-2");
    }

    @Test
    void aReservationForAReceiptReportedDaysLateIsStampedWithTheServersClockSoItIsNotStaleAtOnce() {
        // an agency reports a receipt of 2026-02-01 today: the code is of that day, the reservation of now
        Reservation reservation = registry.reserveNext(AGENCY, LocalDate.parse("2026-02-01"), "d-1");
        assertThat(reservation.code()).startsWith(AGENCY + "-260201-");
        Document held = mongo.db().getCollection("dossier_codes").find(new Document("_id", reservation.code())).first();
        assertThat(held.getDate("reservedAt").toInstant()).isEqualTo(T0);
        // a concurrent receipt of another dossier a second later finds it held, not stale
        now.set(T0.plusSeconds(1));
        assertThatThrownBy(() -> registry.reserveOwn(reservation.code(), "d-2")).isInstanceOf(DossierRuleViolation.class);
    }

    @Test
    void aConfirmThatFindsItsReservationGoneIsAnAlarmAndReservesTheCodeAgain() {
        Reservation reservation = registry.reserveOwn("HN-OWN-5", "d-1");
        mongo.db().getCollection("dossier_codes").deleteOne(new Document("_id", "HN-OWN-5"));
        registry.confirm(reservation);
        assertThat(registry.alarms()).isEqualTo(1);
        now.set(T0.plus(Duration.ofHours(1)));
        assertThatThrownBy(() -> registry.reserveOwn("HN-OWN-5", "d-2"))
                .isInstanceOf(DossierRuleViolation.class);
    }
}
