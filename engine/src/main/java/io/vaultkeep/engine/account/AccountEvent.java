package io.vaultkeep.engine.account;

import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.protocol.repository.SnapshotStats;
import java.time.Instant;
import java.util.List;

/**
 * The account's journal. A run is recorded step by step, each step before the next one starts, so
 * that recovery knows exactly what an interrupted run may have left in the repository; a prune is
 * recorded with its whole plan before anything is deleted.
 */
public sealed interface AccountEvent extends ClusterSerializable {

    /**
     * A change is due for backup: the change generation moves to {@code generation}.
     *
     * @param revision the source's revision of the vault (null when unknown)
     * @param backupNow asked for explicitly: it also cancels any backoff wait
     */
    record ChangeRecorded(long generation, String revision, boolean backupNow, Instant at) implements AccountEvent {}

    /** A run starts; it covers every change up to {@code generation}. */
    record RunStarted(String runId, long generation, String revision, Instant startedAt) implements AccountEvent {}

    /** The run's plan, chosen before anything is written: all a rollback may have to delete. */
    record RunPlanned(String runId, String snapshotId, String snapshotKey, List<String> newBlobIds,
                      SnapshotStats stats) implements AccountEvent {
        public RunPlanned {
            newBlobIds = List.copyOf(newBlobIds);
        }
    }

    record BlobsStored(String runId, List<String> blobIds) implements AccountEvent {
        public BlobsStored {
            blobIds = List.copyOf(blobIds);
        }
    }

    record SnapshotWritten(String runId, String snapshotId, String snapshotKey, long storedSize) implements AccountEvent {}

    /**
     * The commit point passed: the index lists the snapshot.
     *
     * @param foundOnRecovery the event was lost in a crash and recovery found the index committed
     * @param warnings what the source left out of the snapshot (none when found on recovery)
     */
    record IndexCommitted(String runId, String snapshotId, long indexGeneration, Instant snapshotCreatedAt,
                          boolean foundOnRecovery, List<String> warnings) implements AccountEvent {
        public IndexCommitted {
            // journaled before warnings existed: none
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }
    }

    /**
     * A run found the newest snapshot ({@code snapshotId}) holding exactly what it would store, and
     * wrote nothing: the run is over, the account is as current as after a commit.
     *
     * @param warnings what the source left out at this check (it may differ from the snapshot's time)
     */
    record RunUnchanged(String runId, String snapshotId, Instant at, List<String> warnings) implements AccountEvent {
        public RunUnchanged {
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }
    }

    /**
     * A run failed at {@code stage}. Without a plan nothing was written and the run is over;
     * with one, it stays in flight until rolled back (or found committed).
     */
    record RunFailed(String runId, RunStage stage, FailureKind kind, String message, Instant failedAt,
                     Instant nextRetryAt) implements AccountEvent {}

    /** An uncommitted run's objects are gone; the run is over. */
    record RunRolledBack(String runId, int deletedObjects, Instant at) implements AccountEvent {}

    record PrunePlanned(String pruneId, PrunePlan plan, Instant at) implements AccountEvent {}

    record PruneCompleted(String pruneId, String indexKey, int deletedSnapshots, int deletedBlobs, Instant at)
            implements AccountEvent {}

    /** Planning ({@code pruneId} null) or executing a prune failed; a planned prune stays in flight. */
    /**
     * Retention was checked after a commit and nothing was to be deleted (or the account keeps every
     * snapshot): no prune is due until the next commit.
     */
    record RetentionChecked(Instant at) implements AccountEvent {}

    record PruneFailed(String pruneId, FailureKind kind, String message, Instant failedAt, Instant nextRetryAt)
            implements AccountEvent {}
}
