package io.vaultkeep.protocol.account;

/** The debouncer's protocol (local-only: between an entity and its child): changes in, one {@link AccountCommand.BackupDue} per burst out. */
public sealed interface DebouncerCommand extends LocalOnlyMessage {

    record ChangeSeen(String revision) implements DebouncerCommand {}

    /** Forget the burst in progress: a run that covers it was started another way (backup now). */
    record CancelBurst() implements DebouncerCommand {}

    /** The debouncer's own timer. */
    record DueCheck() implements DebouncerCommand {}
}
