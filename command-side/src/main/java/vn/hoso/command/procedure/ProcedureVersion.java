package vn.hoso.command.procedure;

import vn.hoso.events.FeeDue;
import vn.hoso.events.FeeItem;
import vn.hoso.events.StatutoryTime;

import java.time.LocalDate;
import java.util.List;

/** One version of a procedure's rules, in force from {@code effectiveFrom} until the next version's date. */
public record ProcedureVersion(int version, LocalDate effectiveFrom, StatutoryTime statutoryTime, List<FeeItem> fees,
                               String legalBasis) {

    public List<FeeItem> feesDue(FeeDue due) {
        return fees.stream().filter(fee -> fee.due() == due).toList();
    }
}
