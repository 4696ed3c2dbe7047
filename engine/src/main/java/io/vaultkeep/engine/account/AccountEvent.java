package io.vaultkeep.engine.account;

import io.vaultkeep.engine.account.AccountState.PruneInFlight;
import io.vaultkeep.engine.account.AccountState.RunInFlight;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.protocol.repository.SnapshotStats;
import java.time.Instant;
import java.util.List;

/**
 * The account's journal. A run is recorded with its plan, before anything is written, so that
 * recovery knows exactly what an interrupted run may have left in the repository (the plan lists it
 * all); then its commit, or its rollback. A run that ends before a plan (unchanged, or failed while
 * fetching) is recorded by its end alone: it wrote nothing. A prune is recorded with its whole plan
 * before anything is deleted.
 *
 * <p>Each event folds itself into the state ({@link #applyTo}): a new event type does not compile
 * until it says what it changes, and an event no longer written keeps its fold so old journals
 * still recover.
 */
public sealed interface AccountEvent extends ClusterSerializable {

    /** The state after this event; an event about another run than the one in flight leaves it alone. */
    AccountState applyTo(AccountState state);

    /**
     * A change is due for backup: the change generation moves to {@code generation}.
     *
     * @param revision the source's revision of the vault (null when unknown)
     * @param backupNow asked for explicitly: it also cancels any backoff wait
     */
    record ChangeRecorded(long generation, String revision, boolean backupNow, Instant at) implements AccountEvent {
        @Override
        public AccountState applyTo(AccountState state) {
            AccountState changed = state.withChange(Math.max(state.changeGeneration(), generation),
                    revision != null ? revision : state.latestRevision());
            return backupNow ? changed.withRetryAt(null) : changed;
        }
    }

    /**
     * No longer written (a run's start is journaled with its plan, {@link RunPlanned}); read from
     * older journals: a run starts, covering every change up to {@code generation}.
     */
    record RunStarted(String runId, long generation, String revision, Instant startedAt) implements AccountEvent {
        @Override
        public AccountState applyTo(AccountState state) {
            return state.withRun(new RunInFlight(runId, generation, revision, startedAt, RunStage.STARTED, null, null, List.of()));
        }
    }

    /**
     * A run starts with its plan, chosen before anything is written: all a rollback may have to
     * delete. The run covers every change up to {@code generation}.
     *
     * @param generation null (as {@code revision} and {@code startedAt}) in journals from before the
     *     start went with the plan: there a {@link RunStarted} came first and carries them
     */
    record RunPlanned(String runId, String snapshotId, String snapshotKey, List<String> newBlobIds,
                      SnapshotStats stats, Long generation, String revision, Instant startedAt) implements AccountEvent {
        public RunPlanned {
            newBlobIds = List.copyOf(newBlobIds);
        }

        /** As journaled before the start went with the plan (after a {@link RunStarted}). */
        public RunPlanned(String runId, String snapshotId, String snapshotKey, List<String> newBlobIds, SnapshotStats stats) {
            this(runId, snapshotId, snapshotKey, newBlobIds, stats, null, null, null);
        }

        /** The plan of {@code start}, a run not journaled yet. */
        public static RunPlanned of(RunInFlight start, String snapshotId, String snapshotKey, List<String> newBlobIds,
                                    SnapshotStats stats) {
            return new RunPlanned(start.runId(), snapshotId, snapshotKey, newBlobIds, stats, start.generation(),
                    start.revision(), start.startedAt());
        }

        @Override
        public AccountState applyTo(AccountState state) {
            if (startedAt != null) {
                return state.withRun(new RunInFlight(runId, generation, revision, startedAt, RunStage.PLANNED, snapshotId,
                        snapshotKey, newBlobIds));
            }
            if (!state.inFlight(runId)) {
                return state;
            }
            RunInFlight run = state.runInFlight();
            return state.withRun(new RunInFlight(run.runId(), run.generation(), run.revision(), run.startedAt(),
                    RunStage.PLANNED, snapshotId, snapshotKey, newBlobIds));
        }
    }

    /** No longer written (the writer stores, writes and commits in one go); read from older journals. */
    record BlobsStored(String runId, List<String> blobIds) implements AccountEvent {
        public BlobsStored {
            blobIds = List.copyOf(blobIds);
        }

        @Override
        public AccountState applyTo(AccountState state) {
            return state.inFlight(runId) ? state.withRun(state.runInFlight().at(RunStage.BLOBS_STORED)) : state;
        }
    }

    /** No longer written (see {@link BlobsStored}); read from older journals. */
    record SnapshotWritten(String runId, String snapshotId, String snapshotKey, long storedSize) implements AccountEvent {
        @Override
        public AccountState applyTo(AccountState state) {
            return state.inFlight(runId) ? state.withRun(state.runInFlight().at(RunStage.SNAPSHOT_WRITTEN)) : state;
        }
    }

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

        @Override
        public AccountState applyTo(AccountState state) {
            boolean ours = state.inFlight(runId);
            long covered = ours ? state.runInFlight().generation() : state.lastSuccessfulGeneration();
            return state.withSuccess(covered, warnings, snapshotCreatedAt)
                    .withSnapshot(snapshotId, snapshotCreatedAt)
                    .withRun(ours ? null : state.runInFlight())
                    .withRetentionDue(true);
        }
    }

    /**
     * A run found the newest snapshot ({@code snapshotId}) holding exactly what it would store, and
     * wrote nothing: the run is over, the account is as current as after a commit.
     *
     * @param warnings what the source left out at this check (it may differ from the snapshot's time)
     * @param generation the changes the run covered; null in journals from before a run's start went
     *     with its end, where a {@link RunStarted} came first and carries it
     */
    record RunUnchanged(String runId, String snapshotId, Instant at, List<String> warnings, Long generation)
            implements AccountEvent {
        public RunUnchanged {
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }

        /** As journaled before a run's start went with its end (after a {@link RunStarted}). */
        public RunUnchanged(String runId, String snapshotId, Instant at, List<String> warnings) {
            this(runId, snapshotId, at, warnings, null);
        }

        @Override
        public AccountState applyTo(AccountState state) {
            // as a commit, without a new snapshot: the changes the run covered are backed up
            if (state.inFlight(runId)) {
                return state.withSuccess(state.runInFlight().generation(), warnings, at).withRun(null);
            }
            return generation == null ? state : state.withSuccess(generation, warnings, at);
        }
    }

    /**
     * A run failed at {@code stage}. Without a plan nothing was written and the run is over;
     * with one, it stays in flight until rolled back (or found committed).
     */
    record RunFailed(String runId, RunStage stage, FailureKind kind, String message, Instant failedAt,
                     Instant nextRetryAt) implements AccountEvent {
        @Override
        public AccountState applyTo(AccountState state) {
            RunInFlight run = state.runInFlight();
            RunInFlight after = !state.inFlight(runId) ? run : run.planned() ? run.at(RunStage.FAILED) : null;
            return state.withRun(after).withFailure(message, kind, nextRetryAt);
        }
    }

    /** An uncommitted run's objects are gone; the run is over. */
    record RunRolledBack(String runId, int deletedObjects, Instant at) implements AccountEvent {
        @Override
        public AccountState applyTo(AccountState state) {
            return state.inFlight(runId) ? state.withRun(null) : state;
        }
    }

    record PrunePlanned(String pruneId, PrunePlan plan, Instant at) implements AccountEvent {
        @Override
        public AccountState applyTo(AccountState state) {
            return state.withPrune(new PruneInFlight(pruneId, plan, at));
        }
    }

    record PruneCompleted(String pruneId, String indexKey, int deletedSnapshots, int deletedBlobs, Instant at)
            implements AccountEvent {
        @Override
        public AccountState applyTo(AccountState state) {
            PruneInFlight prune = state.pruneInFlight();
            return prune == null || !prune.pruneId().equals(pruneId) ? state
                    : state.withPrune(null).withFailuresCleared().withRetentionDue(false);
        }
    }

    /**
     * Retention was checked after a commit and nothing was to be deleted (or the account keeps every
     * snapshot): no prune is due until the next commit.
     */
    record RetentionChecked(Instant at) implements AccountEvent {
        @Override
        public AccountState applyTo(AccountState state) {
            return state.withRetentionDue(false);
        }
    }

    /** Planning ({@code pruneId} null) or executing a prune failed; a planned prune stays in flight. */
    record PruneFailed(String pruneId, FailureKind kind, String message, Instant failedAt, Instant nextRetryAt)
            implements AccountEvent {
        @Override
        public AccountState applyTo(AccountState state) {
            return state.withFailure(message, kind, nextRetryAt);
        }
    }
}
