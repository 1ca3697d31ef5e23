package vn.hoso.command.dossier;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Dossier codes for the aggregate tests: what the registry decides, in memory (one process, one thread). */
final class InMemoryDossierCodes implements DossierCodes {

    private final Map<String, String> holders = new HashMap<>();
    private final Map<String, Integer> sequences = new HashMap<>();

    @Override
    public DossierCodeRegistry.Reservation reserveNext(String agencyCode, LocalDate receivedOn, String dossierId) {
        String day = agencyCode + "-" + DateTimeFormatter.ofPattern("yyMMdd").format(receivedOn);
        String code = String.format("%s-%04d", day, sequences.merge(day, 1, Integer::sum));
        holders.put(code, dossierId);
        return new DossierCodeRegistry.Reservation(code, dossierId, UUID.randomUUID().toString(), true);
    }

    @Override
    public DossierCodeRegistry.Reservation reserveOwn(String code, String dossierId) {
        String holder = holders.putIfAbsent(code, dossierId);
        if (holder != null && !holder.equals(dossierId)) {
            throw new DossierRuleViolation(ErrorCode.DOSSIER_CODE_TAKEN, null, DossierAction.RECEIVE.name(), code);
        }
        return new DossierCodeRegistry.Reservation(code, dossierId, UUID.randomUUID().toString(), holder == null);
    }

    @Override
    public void confirm(DossierCodeRegistry.Reservation reservation) {
    }

    @Override
    public void release(DossierCodeRegistry.Reservation reservation) {
        if (reservation.made()) {
            holders.remove(reservation.code(), reservation.dossierId());
        }
    }
}
