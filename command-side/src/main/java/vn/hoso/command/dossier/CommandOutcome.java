package vn.hoso.command.dossier;

/**
 * What a dossier answers to a command: its version afterwards (the sequence number of its last event), its dossier
 * code once issued, and whether this answer replays an earlier one (a retried idempotent request).
 */
public record CommandOutcome(long version, String dossierCode, boolean replayed) {
}
