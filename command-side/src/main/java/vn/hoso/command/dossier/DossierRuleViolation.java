package vn.hoso.command.dossier;

import vn.hoso.events.DossierStatus;

import java.util.List;

/**
 * A command the dossier refuses. Carries a stable {@link ErrorCode}, the dossier's current state (when it has one)
 * and the arguments of the human-readable message; nothing is appended when it is thrown.
 *
 * @param messageArgs arguments of the localised message {@code error.<code>}
 */
public class DossierRuleViolation extends RuntimeException {

    private final ErrorCode code;
    private final DossierStatus currentStatus;
    private final String action;
    private final List<Object> messageArgs;

    public DossierRuleViolation(ErrorCode code, DossierStatus currentStatus, String action, Object... messageArgs) {
        super(code + " (action " + action + ", state " + currentStatus + ")");
        this.code = code;
        this.currentStatus = currentStatus;
        this.action = action;
        this.messageArgs = List.of(messageArgs);
    }

    public ErrorCode code() {
        return code;
    }

    public DossierStatus currentStatus() {
        return currentStatus;
    }

    public String action() {
        return action;
    }

    public List<Object> messageArgs() {
        return messageArgs;
    }

    /**
     * The same refusal for a caller who may address the dossier but not see it (the payment platform, an operator):
     * its code, without the dossier's state, versions or amounts.
     */
    public DossierRuleViolation withoutDetails() {
        Object[] blanks = new Object[messageArgs.size()];
        java.util.Arrays.fill(blanks, "-");
        return new DossierRuleViolation(code, null, action, blanks);
    }
}
