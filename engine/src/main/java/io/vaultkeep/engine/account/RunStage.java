package io.vaultkeep.engine.account;

/**
 * How far a backup run got. The journal records a run's start and its plan; the stages in between
 * are in journals written before the writer took them in one go, and in a failure's stage.
 */
public enum RunStage {
    /** Started: nothing is written yet. */
    STARTED,
    /** The new blob ids and the snapshot id/key are chosen; blobs may now be written. */
    PLANNED,
    /** The blobs are stored; the snapshot may now be written. */
    BLOBS_STORED,
    /** The snapshot is written; the index may now list it (the commit point). */
    SNAPSHOT_WRITTEN,
    /** The run failed after planning; what it wrote must be rolled back (or found committed). */
    FAILED
}
