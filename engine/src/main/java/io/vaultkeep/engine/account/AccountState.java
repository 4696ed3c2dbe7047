package io.vaultkeep.engine.account;

import io.vaultkeep.engine.account.AccountEvent.ChangeRecorded;
import io.vaultkeep.protocol.repository.PrunePlan;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An account's journaled backup state and the decisions taken on it; no Pekko in here. The entity
 * persists what these methods propose and folds events back in with {@link #apply}.
 *
 * <p>Changes are counted in generations: every recorded change moves {@code changeGeneration} on, a
 * run covers the generation it started at, and a commit moves {@code lastSuccessfulGeneration} to
 * it. So any number of changes during a run leave exactly one more run to do afterwards.
 *
 * @param latestRevision the source's revision of the newest recorded change (null when unknown)
 * @param runInFlight the run the journal says is not over, or null
 * @param pruneInFlight the planned prune not yet completed, or null
 * @param lastError the message of the newest failure since the last success, or null
 * @param retentionDue a snapshot was committed and retention has not been applied since: journaled,
 *     so that a crash between the commit and the prune (or a failed prune plan) still prunes later
 * @param lastSnapshotWarnings what the source left out at the last snapshot or unchanged check (see {@code FetchedVault#warnings})
 * @param lastCheckedAt when a run last found the vault backed up: by a commit, or unchanged since the
 *     newest snapshot (null in journals from before unchanged runs existed, until the next run)
 */
public record AccountState(
        long changeGeneration,
        String latestRevision,
        long lastSuccessfulGeneration,
        String lastSnapshotId,
        Instant lastSnapshotAt,
        RunInFlight runInFlight,
        PruneInFlight pruneInFlight,
        int consecutiveFailures,
        Instant nextRetryAt,
        String lastError,
        FailureKind lastErrorKind,
        boolean retentionDue,
        List<String> lastSnapshotWarnings,
        Instant lastCheckedAt) implements ClusterSerializable {

    public static final AccountState EMPTY = new AccountState(0, null, 0, null, null, null, null, 0, null, null, null, false, List.of(), null);

    public AccountState {
        // a journal written before warnings existed has none
        lastSnapshotWarnings = lastSnapshotWarnings == null ? List.of() : List.copyOf(lastSnapshotWarnings);
    }

    /**
     * A run the journal has seen start and not end. The plan fields are null (and the list empty)
     * until {@link AccountEvent.RunPlanned}.
     */
    public record RunInFlight(String runId, long generation, String revision, Instant startedAt, RunStage stage,
                              String snapshotId, String snapshotKey, List<String> newBlobIds) {
        public RunInFlight {
            newBlobIds = newBlobIds == null ? List.of() : List.copyOf(newBlobIds);
        }

        /** Whether the run chose its objects, so that it may have written some. */
        public boolean planned() {
            return snapshotKey != null;
        }

        RunInFlight at(RunStage next) {
            return new RunInFlight(runId, generation, revision, startedAt, next, snapshotId, snapshotKey, newBlobIds);
        }
    }

    public record PruneInFlight(String pruneId, PrunePlan plan, Instant plannedAt) {}

    /** What the account should do next. */
    public sealed interface Work {
        /** Nothing is due. */
        record Idle() implements Work {}

        /** Something is due, but not before {@code at} (backoff). */
        record WaitUntil(Instant at) implements Work {}

        /** An interrupted or failed run must be found committed or rolled back first. */
        record ResolveRun(RunInFlight run) implements Work {}

        /** A journaled prune must be finished before anything else touches the repository. */
        record ContinuePrune(PruneInFlight prune) implements Work {}

        /** A change is not backed up yet. */
        record StartRun() implements Work {}

        /** A commit has not been followed by applying retention yet. */
        record PlanPrune() implements Work {}
    }

    // ---- decisions

    public boolean runPending() {
        return changeGeneration > lastSuccessfulGeneration;
    }

    /**
     * A change reported by the debouncer, or "backup now". A change whose revision is already the
     * newest recorded one is nothing new (a restarted source reporting what it has); "backup now"
     * is always recorded.
     */
    public Optional<ChangeRecorded> recordChange(String revision, boolean backupNow, Instant now) {
        if (!backupNow && revision != null && revision.equals(latestRevision)) {
            return Optional.empty();
        }
        return Optional.of(new ChangeRecorded(changeGeneration + 1, revision != null ? revision : latestRevision, backupNow, now));
    }

    /**
     * The order matters: an unresolved run first (its objects may be orphans), then a journaled
     * prune (the repository must not see a run and a prune at once), then a new run, then retention
     * left over from an earlier commit (so that a failing prune plan never holds back a backup).
     */
    public Work nextWork(Instant now) {
        boolean backingOff = nextRetryAt != null && now.isBefore(nextRetryAt);
        if (runInFlight != null) {
            // a run interrupted by a crash is resolved at once; one that failed waits for its retry
            return runInFlight.stage() == RunStage.FAILED && backingOff
                    ? new Work.WaitUntil(nextRetryAt) : new Work.ResolveRun(runInFlight);
        }
        if (pruneInFlight != null) {
            return backingOff ? new Work.WaitUntil(nextRetryAt) : new Work.ContinuePrune(pruneInFlight);
        }
        if (runPending()) {
            return backingOff ? new Work.WaitUntil(nextRetryAt) : new Work.StartRun();
        }
        if (retentionDue) {
            return backingOff ? new Work.WaitUntil(nextRetryAt) : new Work.PlanPrune();
        }
        return new Work.Idle();
    }

    /**
     * A run covering every change so far, not yet journaled: its start is journaled with its plan
     * (or its end), since until the plan nothing is written to the repository.
     */
    public RunInFlight startRun(String runId, Instant now) {
        if (runInFlight != null) {
            throw new IllegalStateException("run " + runInFlight.runId() + " is still in flight");
        }
        return new RunInFlight(runId, changeGeneration, latestRevision, now, RunStage.STARTED, null, null, List.of());
    }

    /** Whether a writer's report belongs to the run in flight, at the stage the journal expects. */
    public boolean expects(String runId, RunStage stage) {
        return runInFlight != null && runInFlight.runId().equals(runId) && runInFlight.stage() == stage;
    }

    /** Whether a report is about the run in flight, whatever its stage. */
    public boolean inFlight(String runId) {
        return runInFlight != null && runInFlight.runId().equals(runId);
    }

    /** The next retry after one more failure of {@code kind}, from the policy and a random draw in [0, 1). */
    public Instant retryAfterNextFailure(BackoffPolicy backoff, FailureKind kind, Instant now, double random) {
        return now.plus(backoff.delay(consecutiveFailures + 1, kind, random));
    }

    // ---- events

    /** The state after {@code event}; each event knows its own effect ({@link AccountEvent#applyTo}). */
    public AccountState apply(AccountEvent event) {
        return event.applyTo(this);
    }

    AccountState withChange(long generation, String revision) {
        return new AccountState(generation, revision, lastSuccessfulGeneration, lastSnapshotId, lastSnapshotAt, runInFlight,
                pruneInFlight, consecutiveFailures, nextRetryAt, lastError, lastErrorKind, retentionDue, lastSnapshotWarnings,
                lastCheckedAt);
    }

    AccountState withRun(RunInFlight run) {
        return new AccountState(changeGeneration, latestRevision, lastSuccessfulGeneration, lastSnapshotId, lastSnapshotAt, run,
                pruneInFlight, consecutiveFailures, nextRetryAt, lastError, lastErrorKind, retentionDue, lastSnapshotWarnings,
                lastCheckedAt);
    }

    AccountState withPrune(PruneInFlight prune) {
        return new AccountState(changeGeneration, latestRevision, lastSuccessfulGeneration, lastSnapshotId, lastSnapshotAt,
                runInFlight, prune, consecutiveFailures, nextRetryAt, lastError, lastErrorKind, retentionDue,
                lastSnapshotWarnings, lastCheckedAt);
    }

    AccountState withRetryAt(Instant retryAt) {
        return new AccountState(changeGeneration, latestRevision, lastSuccessfulGeneration, lastSnapshotId, lastSnapshotAt,
                runInFlight, pruneInFlight, consecutiveFailures, retryAt, lastError, lastErrorKind, retentionDue,
                lastSnapshotWarnings, lastCheckedAt);
    }

    AccountState withRetentionDue(boolean due) {
        return new AccountState(changeGeneration, latestRevision, lastSuccessfulGeneration, lastSnapshotId, lastSnapshotAt,
                runInFlight, pruneInFlight, consecutiveFailures, nextRetryAt, lastError, lastErrorKind, due,
                lastSnapshotWarnings, lastCheckedAt);
    }

    AccountState withSnapshot(String snapshotId, Instant snapshotAt) {
        return new AccountState(changeGeneration, latestRevision, lastSuccessfulGeneration, snapshotId, snapshotAt,
                runInFlight, pruneInFlight, consecutiveFailures, nextRetryAt, lastError, lastErrorKind, retentionDue,
                lastSnapshotWarnings, lastCheckedAt);
    }

    /** One more consecutive failure, retried at {@code retryAt}. */
    AccountState withFailure(String message, FailureKind kind, Instant retryAt) {
        return new AccountState(changeGeneration, latestRevision, lastSuccessfulGeneration, lastSnapshotId, lastSnapshotAt,
                runInFlight, pruneInFlight, consecutiveFailures + 1, retryAt, message, kind, retentionDue,
                lastSnapshotWarnings, lastCheckedAt);
    }

    /** A success ends the failure streak and its backoff. */
    AccountState withFailuresCleared() {
        return new AccountState(changeGeneration, latestRevision, lastSuccessfulGeneration, lastSnapshotId, lastSnapshotAt,
                runInFlight, pruneInFlight, 0, null, null, null, retentionDue, lastSnapshotWarnings, lastCheckedAt);
    }

    /** The vault was found backed up at {@code checkedAt}, covering every change up to {@code generation}. */
    AccountState withSuccess(long generation, List<String> warnings, Instant checkedAt) {
        return new AccountState(changeGeneration, latestRevision, Math.max(lastSuccessfulGeneration, generation),
                lastSnapshotId, lastSnapshotAt, runInFlight, pruneInFlight, 0, null, null, null, retentionDue, warnings,
                checkedAt);
    }
}
