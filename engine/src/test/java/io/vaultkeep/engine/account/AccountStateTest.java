package io.vaultkeep.engine.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.AccountState.Work;
import io.vaultkeep.engine.account.AccountEvent.BlobsStored;
import io.vaultkeep.engine.account.AccountEvent.IndexCommitted;
import io.vaultkeep.engine.account.AccountEvent.PruneCompleted;
import io.vaultkeep.engine.account.AccountEvent.PruneFailed;
import io.vaultkeep.engine.account.AccountEvent.PrunePlanned;
import io.vaultkeep.engine.account.AccountEvent.RetentionChecked;
import io.vaultkeep.engine.account.AccountEvent.RunFailed;
import io.vaultkeep.engine.account.AccountEvent.RunPlanned;
import io.vaultkeep.engine.account.AccountEvent.RunRolledBack;
import io.vaultkeep.engine.account.AccountEvent.RunStarted;
import io.vaultkeep.engine.account.AccountEvent.SnapshotWritten;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.protocol.repository.SnapshotStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountStateTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    private static final BackoffPolicy BACKOFF = new BackoffPolicy(Duration.ofSeconds(10), Duration.ofMinutes(5), 0);

    private static AccountState change(AccountState state, String revision) {
        return state.apply(state.recordChange(revision, false, T0).orElseThrow());
    }

    /**
     * A run's start as journals before the start went with the plan recorded it: these tests fold
     * the events one by one, and {@code RunStarted} still has to recover.
     */
    private static RunStarted runStarted(AccountState state, String runId, Instant at) {
        AccountState.RunInFlight run = state.startRun(runId, at);
        return new RunStarted(run.runId(), run.generation(), run.revision(), run.startedAt());
    }

    /** Runs the state through a whole successful run; returns the state after the commit. */
    private static AccountState commitRun(AccountState state, String runId) {
        state = state.apply(RunPlanned.of(state.startRun(runId, T0), "snap-" + runId, "snapshots/snap-" + runId + ".zip",
                List.of("b1"), SnapshotStats.EMPTY));
        state = state.apply(new BlobsStored(runId, List.of("b1")));
        state = state.apply(new SnapshotWritten(runId, "snap-" + runId, "snapshots/snap-" + runId + ".zip", 10));
        return state.apply(new IndexCommitted(runId, "snap-" + runId, 3, T0, false, List.of()));
    }

    @Test
    void theWarningsOfTheLastCommitStayThroughFailuresUntilTheNextCommit() {
        AccountState state = change(AccountState.EMPTY, "r1");
        state = state.apply(runStarted(state, "run-1", T0));
        state = state.apply(new RunPlanned("run-1", "s1", "snapshots/s1.zip", List.of(), SnapshotStats.EMPTY));
        state = state.apply(new IndexCommitted("run-1", "s1", 1, T0, false, List.of("left out 1 file in a/b")));
        assertEquals(List.of("left out 1 file in a/b"), state.lastSnapshotWarnings());
        state = change(state, "r2");
        state = state.apply(runStarted(state, "run-2", T0));
        state = state.apply(new RunFailed("run-2", RunStage.STARTED, FailureKind.SOURCE_UNAVAILABLE, "gone", T0, T0));
        assertEquals(List.of("left out 1 file in a/b"), state.lastSnapshotWarnings(), "a failure leaves the last snapshot as it was");
        state = change(state, "r3");
        assertEquals(List.of(), commitRun(state, "run-3").lastSnapshotWarnings(), "a clean commit clears them");
    }

    @Test
    void aFreshAccountHasNothingToDo() {
        assertInstanceOf(Work.Idle.class, AccountState.EMPTY.nextWork(T0));
    }

    @Test
    void aRecordedChangeStartsARunCoveringItsGeneration() {
        AccountState state = change(AccountState.EMPTY, "r1");
        assertEquals(1, state.changeGeneration());
        assertInstanceOf(Work.StartRun.class, state.nextWork(T0));
        AccountState.RunInFlight started = state.startRun("run-1", T0);
        assertEquals(1, started.generation());
        assertEquals("r1", started.revision());
    }

    @Test
    void changesDuringARunCauseExactlyOneMoreRun() {
        AccountState state = change(AccountState.EMPTY, "r1");
        state = state.apply(runStarted(state, "run-1", T0));
        for (String revision : List.of("r2", "r3", "r4")) {
            state = change(state, revision); // arrive while run-1 is in flight
        }
        state = state.apply(new RunPlanned("run-1", "s1", "snapshots/s1.zip", List.of(), SnapshotStats.EMPTY));
        state = state.apply(new BlobsStored("run-1", List.of()));
        state = state.apply(new SnapshotWritten("run-1", "s1", "snapshots/s1.zip", 1));
        state = state.apply(new IndexCommitted("run-1", "s1", 1, T0, false, List.of()));

        assertEquals(1, state.lastSuccessfulGeneration(), "run-1 covers only the change it started with");
        assertInstanceOf(Work.StartRun.class, state.nextWork(T0), "the changes during run-1 need one more run");
        AccountState.RunInFlight second = state.startRun("run-2", T0);
        assertEquals(4, second.generation(), "one run covers all three changes");
        assertEquals("r4", second.revision());

        state = commitRun(state, "run-2");
        assertInstanceOf(Work.PlanPrune.class, state.nextWork(T0), "after it, only retention");
        state = state.apply(new RetentionChecked(T0));
        assertInstanceOf(Work.Idle.class, state.nextWork(T0), "and then nothing");
    }

    @Test
    void retentionAfterACommitIsJournaledSoACrashBeforeThePruneStillPrunes() {
        AccountState state = commitRun(change(AccountState.EMPTY, "r1"), "run-1");
        assertTrue(state.retentionDue());
        // the host dies here: the recovered state is the same fold of the journal, and asks for the prune
        assertInstanceOf(Work.PlanPrune.class, state.nextWork(T0));
        // a failed plan waits for its retry, then asks again
        state = state.apply(new PruneFailed(null, FailureKind.LOCATION_UNAVAILABLE, "down", T0, T0.plusSeconds(30)));
        assertEquals(new Work.WaitUntil(T0.plusSeconds(30)), state.nextWork(T0));
        assertInstanceOf(Work.PlanPrune.class, state.nextWork(T0.plusSeconds(30)));
        // a new change runs first: retention never holds back a backup
        state = change(state, "r2");
        assertInstanceOf(Work.StartRun.class, state.nextWork(T0.plusSeconds(30)));
        // a completed prune, or a check that found nothing to delete, ends it
        PrunePlan plan = new PrunePlan(T0, 5, List.of("keep"), List.of("old"), List.of("snapshots/old.zip"), List.of(), List.of());
        AccountState pruned = state.apply(new PrunePlanned("p1", plan, T0)).apply(new PruneCompleted("p1", null, 1, 0, T0));
        assertFalse(pruned.retentionDue());
        assertFalse(state.apply(new RetentionChecked(T0)).retentionDue());
    }

    @Test
    void aChangeWithTheNewestRevisionIsNothingNewButBackupNowAlwaysCounts() {
        AccountState state = commitRun(change(AccountState.EMPTY, "r1"), "run-1");
        assertTrue(state.recordChange("r1", false, T0).isEmpty());
        assertTrue(state.recordChange("r2", false, T0).isPresent());
        var now = state.recordChange("r1", true, T0).orElseThrow();
        assertEquals(2, now.generation());
        assertTrue(now.backupNow());
        assertInstanceOf(Work.StartRun.class, state.apply(now).nextWork(T0));
    }

    @Test
    void aFailureBeforeThePlanEndsTheRunAndBacksOff() {
        AccountState state = change(AccountState.EMPTY, "r1");
        state = state.apply(runStarted(state, "run-1", T0));
        Instant retryAt = state.retryAfterNextFailure(BACKOFF, FailureKind.SOURCE_UNAVAILABLE, T0, 0.5);
        assertEquals(T0.plusSeconds(10), retryAt);
        state = state.apply(new RunFailed("run-1", RunStage.STARTED, FailureKind.SOURCE_UNAVAILABLE, "no export", T0, retryAt));

        assertNull(state.runInFlight(), "nothing was written, so nothing is left to resolve");
        assertEquals(1, state.consecutiveFailures());
        assertEquals("no export", state.lastError());
        assertEquals(new Work.WaitUntil(retryAt), state.nextWork(T0.plusSeconds(5)));
        assertInstanceOf(Work.StartRun.class, state.nextWork(retryAt));
    }

    @Test
    void consecutiveFailuresDoubleTheWaitUntilTheCapAndASuccessResetsThem() {
        AccountState state = change(AccountState.EMPTY, "r1");
        Instant now = T0;
        List<Long> waits = new java.util.ArrayList<>();
        for (int attempt = 1; attempt <= 8; attempt++) {
            String runId = "run-" + attempt;
            state = state.apply(runStarted(state, runId, now));
            Instant retryAt = state.retryAfterNextFailure(BACKOFF, FailureKind.LOCATION_UNAVAILABLE, now, 0.5);
            waits.add(Duration.between(now, retryAt).toSeconds());
            state = state.apply(new RunFailed(runId, RunStage.STARTED, FailureKind.LOCATION_UNAVAILABLE, "down", now, retryAt));
            now = retryAt;
        }
        assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L), waits);
        assertEquals(8, state.consecutiveFailures());

        state = commitRun(state, "run-ok");
        assertEquals(0, state.consecutiveFailures());
        assertNull(state.nextRetryAt());
        assertNull(state.lastError());
        assertInstanceOf(Work.PlanPrune.class, state.nextWork(now), "no wait after a success, only retention to apply");
    }

    @Test
    void backupNowCancelsTheBackoffWait() {
        AccountState state = change(AccountState.EMPTY, "r1");
        state = state.apply(runStarted(state, "run-1", T0));
        state = state.apply(new RunFailed("run-1", RunStage.STARTED, FailureKind.LOCATION_FULL, "full", T0, T0.plusSeconds(600)));
        assertInstanceOf(Work.WaitUntil.class, state.nextWork(T0.plusSeconds(1)));

        state = state.apply(state.recordChange(null, true, T0.plusSeconds(1)).orElseThrow());
        assertInstanceOf(Work.StartRun.class, state.nextWork(T0.plusSeconds(1)));
        assertEquals(1, state.consecutiveFailures(), "the failure still shows until a run succeeds");
    }

    @Test
    void aFailureAfterThePlanKeepsTheRunForResolutionAfterTheBackoff() {
        AccountState state = change(AccountState.EMPTY, "r1");
        state = state.apply(runStarted(state, "run-1", T0));
        state = state.apply(new RunPlanned("run-1", "s1", "snapshots/s1.zip", List.of("b1", "b2"), SnapshotStats.EMPTY));
        state = state.apply(new RunFailed("run-1", RunStage.PLANNED, FailureKind.LOCATION_FULL, "full", T0, T0.plusSeconds(10)));

        assertEquals(RunStage.FAILED, state.runInFlight().stage());
        assertEquals(List.of("b1", "b2"), state.runInFlight().newBlobIds());
        assertInstanceOf(Work.WaitUntil.class, state.nextWork(T0));
        Work later = state.nextWork(T0.plusSeconds(10));
        assertEquals(new Work.ResolveRun(state.runInFlight()), later);

        state = state.apply(new RunRolledBack("run-1", 2, T0.plusSeconds(10)));
        assertNull(state.runInFlight());
        assertInstanceOf(Work.StartRun.class, state.nextWork(T0.plusSeconds(10)), "the change still needs its snapshot");
    }

    @Test
    void recoveryResolvesAnInterruptedRunAtOnceWhateverItsStage() {
        for (RunStage stage : List.of(RunStage.STARTED, RunStage.PLANNED, RunStage.BLOBS_STORED, RunStage.SNAPSHOT_WRITTEN)) {
            AccountState state = change(AccountState.EMPTY, "r1");
            state = state.apply(runStarted(state, "run-1", T0));
            if (stage != RunStage.STARTED) {
                state = state.apply(new RunPlanned("run-1", "s1", "snapshots/s1.zip", List.of("b1"), SnapshotStats.EMPTY));
            }
            if (stage == RunStage.BLOBS_STORED || stage == RunStage.SNAPSHOT_WRITTEN) {
                state = state.apply(new BlobsStored("run-1", List.of("b1")));
            }
            if (stage == RunStage.SNAPSHOT_WRITTEN) {
                state = state.apply(new SnapshotWritten("run-1", "s1", "snapshots/s1.zip", 1));
            }
            assertEquals(stage, state.runInFlight().stage());
            Work work = state.nextWork(T0);
            assertInstanceOf(Work.ResolveRun.class, work, "interrupted at " + stage);
            assertEquals(stage != RunStage.STARTED, ((Work.ResolveRun) work).run().planned());
        }
    }

    @Test
    void aRunFoundCommittedOnRecoveryCoversItsGenerationAndNeedsNoRedo() {
        AccountState state = change(AccountState.EMPTY, "r1");
        state = state.apply(runStarted(state, "run-1", T0));
        state = state.apply(new RunPlanned("run-1", "s1", "snapshots/s1.zip", List.of(), SnapshotStats.EMPTY));
        state = state.apply(new IndexCommitted("run-1", "s1", 7, T0, true, List.of()));
        assertEquals(1, state.lastSuccessfulGeneration());
        assertEquals("s1", state.lastSnapshotId());
        assertNull(state.runInFlight());
        assertInstanceOf(Work.PlanPrune.class, state.nextWork(T0), "no redo; only retention is due");
    }

    @Test
    void aJournaledPruneIsFinishedBeforeANewRunAndAFailedOneWaitsForItsRetry() {
        PrunePlan plan = new PrunePlan(T0, 5, List.of("keep"), List.of("old"), List.of("snapshots/old.zip"), List.of(), List.of());
        AccountState state = commitRun(change(AccountState.EMPTY, "r1"), "run-1");
        state = state.apply(new PrunePlanned("p1", plan, T0));
        state = change(state, "r2");
        assertEquals(new Work.ContinuePrune(new AccountState.PruneInFlight("p1", plan, T0)), state.nextWork(T0));

        state = state.apply(new PruneFailed("p1", FailureKind.LOCATION_UNAVAILABLE, "down", T0, T0.plusSeconds(10)));
        assertEquals(new Work.WaitUntil(T0.plusSeconds(10)), state.nextWork(T0));
        assertInstanceOf(Work.ContinuePrune.class, state.nextWork(T0.plusSeconds(10)), "the same plan, continued");

        state = state.apply(new PruneCompleted("p1", "indexes/x.zip", 1, 0, T0));
        assertNull(state.pruneInFlight());
        assertEquals(0, state.consecutiveFailures());
        assertInstanceOf(Work.StartRun.class, state.nextWork(T0));
    }

    @Test
    void anUnchangedRunEndsAsASuccessWithoutASnapshotAndRecordsTheCheck() {
        AccountState state = commitRun(change(AccountState.EMPTY, "r1"), "run-1");
        state = state.apply(new AccountEvent.RetentionChecked(T0));
        assertEquals(T0, state.lastCheckedAt(), "a commit is a check");
        state = state.apply(state.recordChange("r1", true, T0.plusSeconds(10)).orElseThrow());
        state = state.apply(runStarted(state, "run-2", T0.plusSeconds(10)));
        state = state.apply(new RunFailed("run-2", RunStage.STARTED, FailureKind.SOURCE_UNAVAILABLE, "no export", T0.plusSeconds(11),
                T0.plusSeconds(30)));
        state = state.apply(state.recordChange("r1", true, T0.plusSeconds(40)).orElseThrow());
        state = state.apply(runStarted(state, "run-3", T0.plusSeconds(40)));
        AccountState running = state;
        assertSame(running, running.apply(new AccountEvent.RunUnchanged("run-other", "snap-run-1", T0.plusSeconds(41), List.of())));

        state = state.apply(new AccountEvent.RunUnchanged("run-3", "snap-run-1", T0.plusSeconds(41), List.of()));
        assertNull(state.runInFlight());
        assertEquals(0, state.consecutiveFailures());
        assertNull(state.lastError());
        assertNull(state.nextRetryAt());
        assertEquals("snap-run-1", state.lastSnapshotId(), "the newest snapshot is still the newest, and current");
        assertEquals(T0, state.lastSnapshotAt());
        assertEquals(T0.plusSeconds(41), state.lastCheckedAt());
        assertEquals(state.changeGeneration(), state.lastSuccessfulGeneration(), "the changes it covered are backed up");
        assertTrue(!state.retentionDue(), "nothing new to prune");
        assertInstanceOf(Work.Idle.class, state.nextWork(T0.plusSeconds(42)));
    }

    @Test
    void reportsOfAnotherRunLeaveTheStateAlone() {
        AccountState state = change(AccountState.EMPTY, "r1");
        state = state.apply(runStarted(state, "run-1", T0));
        AccountState before = state;
        assertSame(before, state.apply(new RunPlanned("run-other", "s", "snapshots/s.zip", List.of(), SnapshotStats.EMPTY)));
        assertSame(before, state.apply(new RunRolledBack("run-other", 0, T0)));
        assertTrue(state.expects("run-1", RunStage.STARTED));
        assertTrue(!state.expects("run-1", RunStage.PLANNED) && !state.expects("run-other", RunStage.STARTED));
        assertThrows(IllegalStateException.class, () -> before.startRun("run-2", T0), "one run at a time");
    }
}
