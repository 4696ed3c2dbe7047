package io.vaultkeep.protocol.account;

import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.protocol.repository.SnapshotStats;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Everything the account entity ({@code AccountBackup}) receives: requests from the host, and the
 * reports of its own children (watcher, debouncer, writer, pruner) and of the host's run permits.
 * Reports carry data only; whatever must be journaled is decided by the entity.
 */
public sealed interface AccountCommand extends ClusterSerializable {

    // ---- from the host

    /** Starts the entity (and with it the account's watcher) without asking anything else. */
    record Wake() implements AccountCommand {}

    /** The source reports a new revision of the vault; the debouncer decides when it is due. */
    record VaultChanged(String revision) implements AccountCommand {}

    /** Back up now: bypasses the debounce window and any backoff wait. */
    record BackupNow() implements AccountCommand {}

    record GetStatus(ActorRef<AccountSnapshotStatus> replyTo) implements AccountCommand {}

    /**
     * The account's settings changed or were removed: the entity takes the new ones between two
     * pieces of work (its children are replaced), or stops when there are none any more.
     */
    record Reload() implements AccountCommand {}

    /** Cluster Sharding's stop message (passivation, removal, shutdown). */
    record Passivate() implements AccountCommand {}

    // ---- from the debouncer, the run permits and the entity's own timer

    /** A burst of changes is over (quiet window, or the maximum delay reached). */
    record BackupDue(String revision) implements AccountCommand {}

    record PermitGranted() implements AccountCommand {}

    record RetryDue() implements AccountCommand {}

    // ---- from the snapshot writer, one report per step

    record RunPlanReady(String runId, String snapshotId, String snapshotKey, List<String> newBlobIds,
                        SnapshotStats stats) implements AccountCommand {
        public RunPlanReady {
            newBlobIds = List.copyOf(newBlobIds);
        }
    }

    record RunBlobsReady(String runId, List<String> blobIds) implements AccountCommand {
        public RunBlobsReady {
            blobIds = List.copyOf(blobIds);
        }
    }

    record RunSnapshotReady(String runId, String snapshotId, String snapshotKey, long storedSize)
            implements AccountCommand {}

    /** @param warnings what the source left out of the snapshot */
    record RunIndexReady(String runId, String snapshotId, long indexGeneration, Instant createdAt, List<String> warnings)
            implements AccountCommand {
        public RunIndexReady {
            warnings = List.copyOf(warnings);
        }
    }

    /** A step failed; {@code message} is safe to show (no secrets). */
    record RunStepFailed(String runId, RunStage stage, FailureKind kind, String message) implements AccountCommand {}

    /** Resolving an interrupted run: the newest index already lists its snapshot. */
    record RunFoundCommitted(String runId, String snapshotId, long indexGeneration, Instant createdAt)
            implements AccountCommand {}

    /** Resolving an interrupted run: what it wrote is gone (or was never written). */
    record RunRollbackDone(String runId, int deletedObjects) implements AccountCommand {}

    record RunResolutionFailed(String runId, FailureKind kind, String message) implements AccountCommand {}

    // ---- from the pruner

    /** The retention plan; null when retention drops nothing. */
    record PrunePlanReady(PrunePlan plan) implements AccountCommand {}

    record PruneExecuted(String pruneId, String indexKey, int deletedSnapshots, int deletedBlobs)
            implements AccountCommand {}

    /** Planning ({@code pruneId} null) or executing a prune failed. */
    record PruneStepFailed(String pruneId, FailureKind kind, String message) implements AccountCommand {}
}
