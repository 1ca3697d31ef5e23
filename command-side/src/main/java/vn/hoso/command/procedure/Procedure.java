package vn.hoso.command.procedure;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An administrative procedure of the national catalogue (thủ tục hành chính).
 *
 * @param agencyKind which kind of agency processes it (e.g. PROVINCIAL_DEPARTMENT, MINISTRY)
 * @param level      online service level: 3 (online submission) or 4 (fully online incl. payment and result)
 */
public record Procedure(String code, String name, String nameEn, String agencyKind, int level,
                        List<ProcedureVersion> versions) {

    public Procedure {
        versions = versions.stream().sorted(Comparator.comparing(ProcedureVersion::effectiveFrom)).toList();
    }

    /** The version in force on {@code date}: the latest one whose effective date is not after it. */
    public Optional<ProcedureVersion> versionInForce(LocalDate date) {
        ProcedureVersion found = null;
        for (ProcedureVersion version : versions) {
            if (!version.effectiveFrom().isAfter(date)) {
                found = version;
            }
        }
        return Optional.ofNullable(found);
    }
}
