package io.vaultkeep.engine.account;

/** What an account is doing, as its status shows it. */
public enum AccountPhase {
    /** Nothing to do: the newest known change is backed up. */
    IDLE,
    /** Changes arrived; waiting for the quiet window (or the maximum delay) to end. */
    DEBOUNCING,
    /** Work is due, waiting for one of the host's run permits. */
    QUEUED,
    /** A run (or a prune, or the recovery of an interrupted run) is executing. */
    RUNNING,
    /** The last attempt failed; the next one is scheduled. */
    BACKING_OFF,
    /** The last attempt failed for a reason that needs a person; still retried, backing off up to the attention ceiling. */
    FAILED,
    /** The repository's newest index cannot be read; runs are refused until it is repaired. */
    DAMAGED,
    /**
     * The node the account's entity runs on has no settings for it (yet): commands wait until the
     * account is registered there, for {@code vaultkeep.engine.settings-wait} at most.
     */
    WAITING_FOR_SETTINGS
}
