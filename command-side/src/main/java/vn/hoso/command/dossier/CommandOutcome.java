package vn.hoso.command.dossier;

/**
 * What a dossier answers to a command: its version afterwards (the sequence number of its last event), its dossier
 * code once issued, whether this answer replays an earlier one (a retried idempotent request), and whether this command
 * recorded a receipt that keeps the digest of the lookup secret it was given (only then is the secret answered).
 */
public record CommandOutcome(long version, String dossierCode, boolean replayed, boolean lookupRecorded) {

    public CommandOutcome(long version, String dossierCode, boolean replayed) {
        this(version, dossierCode, replayed, false);
    }

    /** The outcome as told to a caller who may not see the dossier: taken, no version, no code. */
    public CommandOutcome blind() {
        return new CommandOutcome(-1, null, replayed, false);
    }

    /** The same outcome, its receipt having recorded the digest of the lookup secret given with it. */
    CommandOutcome withLookupRecorded() {
        return new CommandOutcome(version, dossierCode, replayed, true);
    }
}
