package io.vaultkeep.engine.account;

import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.protocol.repository.SnapshotStats;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Everything the account entity ({@code AccountBackup}) receives: requests from the host, and the
 * reports of its own children (watcher, debouncer, writer, pruner), of the host's run permits and
 * of its own timer. Reports carry data only; whatever must be journaled is decided by the entity.
 *
 * <p>Only the host's requests may come from another node: they ask, and carry no authority (no
 * path, no object list). A report is the entity's own business and is local-only — no serializer is
 * bound to it, so one sent from another node cannot even be read here.
 */
public sealed interface AccountCommand {

    /** What the host (any node's) asks of the account. */
    sealed interface Request extends AccountCommand, ClusterSerializable {}

    /** What the entity's own children, the node's run permits and its timer tell it. */
    sealed interface Report extends AccountCommand, LocalOnlyMessage {}

    // ---- from the host

    /** Starts the entity (and with it the account's watcher) without asking anything else. */
    record Wake() implements Request {}

    /** Back up now: bypasses the debounce window and any backoff wait. */
    record BackupNow() implements Request {}

    record GetStatus(ActorRef<AccountEntityStatus> replyTo) implements Request {}

    /**
     * The account's settings changed or were removed: the entity takes the new ones between two
     * pieces of work (its children are replaced), or stops when there are none any more.
     */
    record Reload() implements Request {}

    /**
     * The account was removed (through any node): the entity stops, unless the node it runs on has
     * settings for it again. Unlike {@link Reload}, an entity still waiting for its settings stops
     * too, rather than wait for a registration that is not coming.
     */
    record Unregistered() implements Request {}

    /** Cluster Sharding's stop message (passivation, removal, shutdown). */
    record Passivate() implements Request {}

    // ---- from the watcher

    /** The source reports a new revision of the vault; the debouncer decides when it is due. */
    record VaultChanged(String revision) implements Report {}

    // ---- from the debouncer, the run permits and the entity's own timers

    /** A burst of changes is over (quiet window, or the maximum delay reached). */
    record BackupDue(String revision) implements Report {}

    record PermitGranted() implements Report {}

    record RetryDue() implements Report {}

    /** The account's own reminder while it waits for a permit: the request is repeated (the permits take it idempotently). */
    record PermitReminder() implements Report {}

    /** The entity's debounce timer: is the burst of changes over ({@link Debouncer})? */
    record DebounceCheck() implements Report {}

    /** The entity waited {@code vaultkeep.engine.settings-wait} for its settings on this node in vain. */
    record SettingsWaitOver() implements Report {}

    // ---- from the snapshot writer: the plan, then the commit (or a failure)

    record RunPlanReady(String runId, String snapshotId, String snapshotKey, List<String> newBlobIds,
                        SnapshotStats stats) implements Report {
        public RunPlanReady {
            newBlobIds = List.copyOf(newBlobIds);
        }
    }

    /** The planned run got this far (blobs stored, snapshot written): shown in status, not journaled. */
    record RunProgress(String runId, RunStage reached) implements Report {}

    /** The newest snapshot holds exactly what the run would store: nothing was written, nothing is to commit. */
    record RunUnchanged(String runId, String snapshotId, List<String> warnings) implements Report {
        public RunUnchanged {
            warnings = List.copyOf(warnings);
        }
    }

    /** @param warnings what the source left out of the snapshot */
    record RunIndexReady(String runId, String snapshotId, long indexGeneration, Instant createdAt, List<String> warnings)
            implements Report {
        public RunIndexReady {
            warnings = List.copyOf(warnings);
        }
    }

    /** A step failed; {@code message} is safe to show (no secrets). */
    record RunStepFailed(String runId, RunStage stage, FailureKind kind, String message) implements Report {}

    /** Resolving an interrupted run: the newest index already lists its snapshot. */
    record RunFoundCommitted(String runId, String snapshotId, long indexGeneration, Instant createdAt)
            implements Report {}

    /** Resolving an interrupted run: what it wrote is gone (or was never written). */
    record RunRollbackDone(String runId, int deletedObjects) implements Report {}

    record RunResolutionFailed(String runId, FailureKind kind, String message) implements Report {}

    // ---- from the pruner

    /** The retention plan; null when retention drops nothing. */
    record PrunePlanReady(PrunePlan plan) implements Report {}

    record PruneExecuted(String pruneId, String indexKey, int deletedSnapshots, int deletedBlobs)
            implements Report {}

    /** Planning ({@code pruneId} null) or executing a prune failed. */
    record PruneStepFailed(String pruneId, FailureKind kind, String message) implements Report {}
}
