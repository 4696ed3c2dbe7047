package io.vaultkeep.engine.account;

/** How far a backup run got; the journal records each stage before the next one starts. */
public enum RunStage {
    /** Started: nothing is written yet. */
    STARTED,
    /** The new blob ids and the snapshot id/key are chosen; blobs may now be written. */
    PLANNED,
    BLOBS_STORED,
    SNAPSHOT_WRITTEN,
    /** The run failed after planning; what it wrote must be rolled back (or found committed). */
    FAILED
}
