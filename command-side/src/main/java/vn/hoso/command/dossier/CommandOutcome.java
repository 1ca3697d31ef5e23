package vn.hoso.command.dossier;

/**
 * What a dossier answers to a command: its version afterwards (the sequence number of its last event), its dossier
 * code once issued, and whether this answer replays an earlier one (a retried idempotent request).
 */
public record CommandOutcome(long version, String dossierCode, boolean replayed) {

    /** The outcome as told to a caller who may not see the dossier: taken, no version, no code. */
    public CommandOutcome blind() {
        return new CommandOutcome(-1, null, replayed);
    }
}
