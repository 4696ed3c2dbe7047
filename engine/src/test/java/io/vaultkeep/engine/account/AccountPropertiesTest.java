package io.vaultkeep.engine.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.AccountEvent.ChangeRecorded;
import io.vaultkeep.engine.account.AccountEvent.IndexCommitted;
import io.vaultkeep.engine.account.AccountEvent.RunFailed;
import io.vaultkeep.engine.account.AccountEvent.RunPlanned;
import io.vaultkeep.engine.account.AccountEvent.RunRolledBack;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.protocol.repository.SnapshotStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;

/**
 * {@link Account} driven through random sequences of what its world can do to it — changes, bursts
 * ending, backup now, permits, step reports that succeed or fail, retries, reloads, crashes — with
 * the decisions' events folded into the state and their actions turned into the world's pending
 * answers. Whatever the order, the run discipline holds.
 */
class AccountPropertiesTest {

    private static final BackoffPolicy BACKOFF = new BackoffPolicy(Duration.ofSeconds(10), Duration.ofMinutes(5), 0.2);
    private static final PrunePlan PLAN = new PrunePlan(Instant.EPOCH, 1, List.of("keep"), List.of("old"),
            List.of("snapshots/old.zip"), List.of(), List.of());

    @Property(tries = 300)
    void theRunDisciplineHoldsWhateverTheWorldDoes(@ForAll("chains") ActionChain<World> chain) {
        chain.withInvariant(World::checkInvariants).run();
    }

    @Example
    void aRunWithRetentionNeverIsThreeJournalWrites() {
        World world = new World(0);
        world.sourceChanges();
        world.burstEnds();
        world.grant();
        world.writerAnswers(true); // the plan
        world.decide(a -> a.onProgress(new AccountCommand.RunProgress(world.state.runInFlight().runId(), RunStage.BLOBS_STORED)));
        assertEquals(RunStage.PLANNED, world.state.runInFlight().stage(), "progress is not journaled");
        assertEquals(RunStage.BLOBS_STORED, world.activity.shown(world.state).runInFlight().stage(), "but status shows it");
        world.writerAnswers(true); // the commit
        assertEquals(List.of(
                List.of(ChangeRecorded.class),
                List.of(RunPlanned.class),
                List.of(IndexCommitted.class, AccountEvent.RetentionChecked.class)), world.writes);
        assertTrue(!world.permitAsked && !world.permitHeld, "one permit, given back once");
    }

    @Provide
    Arbitrary<ActionChain<World>> chains() {
        return Arbitraries.integers().between(0, 2).flatMap(retention -> ActionChain.<World>startWith(() -> new World(retention))
                .withAction(3, Action.<World>builder().describeAs("the source changes").justMutate(World::sourceChanges))
                .withAction(Action.<World>when(w -> w.burst != null).describeAs("the burst ends").justMutate(World::burstEnds))
                .withAction(Action.<World>builder().describeAs("backup now").justMutate(w -> w.decide(Account::onBackupNow)))
                .withAction(3, Action.<World>when(w -> w.permitAsked).describeAs("a permit is granted").justMutate(World::grant))
                .withAction(5, Action.<World>when(w -> w.writerTask != null).describeAs("the writer succeeds")
                        .justMutate(w -> w.writerAnswers(true)))
                .withAction(2, Action.<World>when(w -> w.writerTask != null).describeAs("the writer fails")
                        .justMutate(w -> w.writerAnswers(false)))
                .withAction(2, Action.<World>when(w -> w.prunerTask != null).describeAs("the pruner succeeds")
                        .justMutate(w -> w.prunerAnswers(true)))
                .withAction(Action.<World>when(w -> w.prunerTask != null).describeAs("the pruner fails")
                        .justMutate(w -> w.prunerAnswers(false)))
                .withAction(2, Action.<World>when(w -> w.retryIn != null).describeAs("the retry timer fires").justMutate(World::retry))
                .withAction(Action.<World>builder().describeAs("settings reload").justMutate(w -> w.decide(a -> a.onReload(true))))
                .withAction(Action.<World>builder().describeAs("the permit reminder fires")
                        .justMutate(w -> w.decide(Account::onPermitReminder)))
                .withAction(Action.<World>builder().describeAs("a stale report").justMutate(World::staleReport))
                .withAction(Action.<World>builder().describeAs("the host crashes and recovers").justMutate(World::crash))
                .withAction(2, Action.<World>builder().describeAs("everything succeeds until idle").justMutate(World::settle))
                .withMaxTransformations(40));
    }

    /** The account with the world around it: what it asked for and not yet got, and what it journaled. */
    static final class World {
        final int retention;
        AccountState state = AccountState.EMPTY;
        Account.Activity activity = Account.Activity.IDLE;
        Instant now = Instant.parse("2026-06-01T10:00:00Z");
        int ids;
        int revisions;

        // the world's pending answers to the account's actions
        String burst;
        boolean permitAsked;
        boolean permitHeld;
        Duration retryIn;
        /** What the run waits for: the watcher's fetch (then the plan), or a writer step. */
        Object writerTask;
        Pruner.Command prunerTask;
        final Deque<Function<Account, Account.Decision>> selfMessages = new ArrayDeque<>();

        // what the journal says about runs
        final Set<String> openRuns = new HashSet<>();
        final List<String> startedRuns = new ArrayList<>();
        /** The events of each journal write (one per decision). */
        final List<List<Class<?>>> writes = new ArrayList<>();
        final Set<String> plannedUnresolved = new HashSet<>();
        long lastChangeGeneration;
        long lastSuccessfulGeneration;

        World(int retention) {
            this.retention = retention;
        }

        Account account() {
            return new Account("acct", state, activity, retention, BACKOFF, new Account.Moment(now, 0.5, "id-" + ++ids));
        }

        void decide(Function<Account, Account.Decision> input) {
            selfMessages.add(input);
            while (!selfMessages.isEmpty()) {
                Account.Decision decision = selfMessages.removeFirst().apply(account());
                if (!decision.events().isEmpty()) {
                    writes.add(decision.events().stream().<Class<?>>map(Object::getClass).toList());
                }
                decision.events().forEach(this::journal);
                activity = decision.activity();
                decision.actions().forEach(this::carryOut);
                now = now.plusMillis(100);
            }
        }

        private void journal(AccountEvent event) {
            if (event instanceof RunPlanned planned) {
                plannedUnresolved.add(planned.runId());
            } else if (event instanceof IndexCommitted || event instanceof AccountEvent.RunUnchanged || event instanceof RunRolledBack) {
                String runId = runIdOf(event);
                openRuns.remove(runId);
                plannedUnresolved.remove(runId);
            } else if (event instanceof RunFailed failed && !plannedUnresolved.contains(failed.runId())) {
                openRuns.remove(failed.runId()); // nothing was written: the run is over
            }
            state = event.applyTo(state);
        }

        private static String runIdOf(AccountEvent event) {
            return event instanceof IndexCommitted c ? c.runId()
                    : event instanceof RunRolledBack r ? r.runId() : ((AccountEvent.RunUnchanged) event).runId();
        }

        private void carryOut(Account.Action action) {
            action.runOn(new Account.World() {
                @Override
                public void watcher(VaultWatcher.Command command) {
                    assertTrue(permitHeld, "a run begins without a permit: " + command);
                    assertNull(prunerTask, "a run begins while the pruner works");
                    if (command instanceof VaultWatcher.FetchFor start) {
                        // journaled only with its plan or its end, but a run all the same
                        assertTrue(openRuns.isEmpty(), "a run starts while " + openRuns + " is open");
                        assertTrue(plannedUnresolved.isEmpty(), "a run starts before planned run " + plannedUnresolved + " is resolved");
                        openRuns.add(start.runId());
                        startedRuns.add(start.runId());
                    }
                    writerTask = command;
                }

                @Override
                public void debouncer(Debouncer.Command command) {
                    burst = command instanceof Debouncer.ChangeSeen seen ? seen.revision() : null;
                }

                @Override
                public void permit(boolean take) {
                    if (take) {
                        // asked again while waiting is the reminder (the permits take it idempotently); never while held
                        assertTrue(!permitHeld, "a permit asked for while one is held");
                        permitAsked = true;
                    } else {
                        assertTrue(permitHeld, "a permit released that is not held");
                        permitHeld = false;
                    }
                }

                @Override
                public void retryTimer(Duration delay) {
                    retryIn = delay;
                }

                @Override
                public void writer(SnapshotWriter.Command command) {
                    assertTrue(permitHeld, "the writer works without a permit: " + command);
                    assertNull(prunerTask, "the writer works while the pruner does");
                    writerTask = command;
                }

                @Override
                public void pruner(Pruner.Command command) {
                    assertTrue(permitHeld, "the pruner works without a permit: " + command);
                    assertNull(writerTask, "the pruner works while the writer does");
                    prunerTask = command;
                }

                @Override
                public void publish(BackupNotice notice) {}

                @Override
                public void log(Account.Level level, String message) {}

                @Override
                public void replaceChildren() {
                    assertNull(writerTask, "children replaced mid-run");
                    burst = null; // the new children start afresh
                }

                @Override
                public void passivate() {
                    throw new AssertionError("a registered account passivated");
                }

                @Override
                public void reload() {
                    selfMessages.add(a -> a.onReload(true));
                }
            });
        }

        // ---- what the world does

        void sourceChanges() {
            String revision = "r" + ++revisions;
            decide(a -> a.onVaultChanged(revision));
        }

        void burstEnds() {
            String revision = burst;
            burst = null;
            decide(a -> a.onBackupDue(revision));
        }

        void grant() {
            permitAsked = false;
            permitHeld = true;
            decide(Account::onPermitGranted);
        }

        void retry() {
            now = now.plus(retryIn);
            retryIn = null;
            decide(Account::onRetryDue);
        }

        void writerAnswers(boolean ok) {
            Object task = writerTask;
            writerTask = null;
            if (task instanceof VaultWatcher.FetchFor begin) {
                decide(a -> a.onPlanReady(new AccountCommand.RunPlanReady(begin.runId(), "s-" + begin.runId(),
                        "snapshots/s-" + begin.runId() + ".zip", List.of("b-" + begin.runId()), SnapshotStats.EMPTY)), ok,
                        begin.runId(), RunStage.STARTED);
            } else if (task instanceof SnapshotWriter.Write write) {
                decide(a -> a.onIndexReady(new AccountCommand.RunIndexReady(write.runId(), "s-" + write.runId(), 1, now,
                        List.of())), ok, write.runId(), RunStage.SNAPSHOT_WRITTEN);
            } else {
                SnapshotWriter.Resolve resolve = (SnapshotWriter.Resolve) task;
                decide(ok ? a -> a.onRollbackDone(new AccountCommand.RunRollbackDone(resolve.runId(), 1))
                        : a -> a.onResolutionFailed(new AccountCommand.RunResolutionFailed(resolve.runId(),
                                FailureKind.LOCATION_UNAVAILABLE, "down")));
            }
        }

        private void decide(Function<Account, Account.Decision> success, boolean ok, String runId, RunStage stage) {
            decide(ok ? success : a -> a.onStepFailed(new AccountCommand.RunStepFailed(runId, stage,
                    FailureKind.LOCATION_UNAVAILABLE, "down")));
        }

        void prunerAnswers(boolean ok) {
            Pruner.Command task = prunerTask;
            prunerTask = null;
            if (!ok) {
                String pruneId = task instanceof Pruner.ExecutePrune execute ? execute.pruneId() : null;
                decide(a -> a.onPruneStepFailed(new AccountCommand.PruneStepFailed(pruneId, FailureKind.LOCATION_UNAVAILABLE, "down")));
            } else if (task instanceof Pruner.ExecutePrune execute) {
                decide(a -> a.onPruneExecuted(new AccountCommand.PruneExecuted(execute.pruneId(), null, 1, 0)));
            } else {
                PrunePlan plan = ids % 2 == 0 ? PLAN : null;
                decide(a -> a.onPrunePlanReady(new AccountCommand.PrunePlanReady(plan)));
            }
        }

        void staleReport() {
            AccountState before = state;
            Account.Decision decision = account().onIndexReady(new AccountCommand.RunIndexReady("run-of-another-life", "s", 1, now,
                    List.of()));
            assertEquals(List.of(), decision.events());
            assertEquals(before, state);
        }

        /** The process dies: the journal stays, everything in memory and every pending answer is lost. */
        void crash() {
            activity = Account.Activity.IDLE;
            burst = null;
            permitAsked = false;
            permitHeld = false; // the node's permits see the holder stop
            retryIn = null;
            writerTask = null;
            prunerTask = null;
            openRuns.retainAll(plannedUnresolved); // a run not planned yet was journaled by nothing: it dies with the node
            decide(Account::onRecovered);
        }

        /**
         * The world answers everything with success until nothing is pending: a run alive now
         * finishes, and changes recorded since it started cause exactly one more run.
         */
        void settle() {
            if (burst != null) {
                burstEnds();
            }
            AccountState.RunInFlight run = activity.shown(state).runInFlight(); // a run being started is alive too
            boolean alive = run != null && run.stage() != RunStage.FAILED && writerTask != null
                    && !(writerTask instanceof SnapshotWriter.Resolve);
            long coveredByAlive = alive ? run.generation() : state.lastSuccessfulGeneration();
            int expectedRuns = state.changeGeneration() > coveredByAlive ? 1 : 0;
            long generation = state.changeGeneration();
            int startedBefore = startedRuns.size();
            for (int i = 0; i < 100 && (permitAsked || writerTask != null || prunerTask != null || retryIn != null); i++) {
                if (writerTask != null) {
                    writerAnswers(true);
                } else if (prunerTask != null) {
                    prunerAnswers(true);
                } else if (permitAsked) {
                    grant();
                } else {
                    retry();
                }
            }
            String aliveId = alive ? run.runId() : null;
            long started = startedRuns.subList(startedBefore, startedRuns.size()).stream().filter(id -> !id.equals(aliveId)).count();
            assertEquals(expectedRuns, started, "runs after the one alive, for changes up to generation " + generation);
            assertNull(state.runInFlight());
            assertEquals(state.changeGeneration(), state.lastSuccessfulGeneration(), "every change is backed up");
            assertTrue(!activity.holdingPermit() && !activity.awaitingPermit(), "the permit is back");
        }

        void checkInvariants() {
            assertTrue(state.changeGeneration() >= lastChangeGeneration, "change generation went back");
            assertTrue(state.lastSuccessfulGeneration() >= lastSuccessfulGeneration, "successful generation went back");
            assertTrue(state.lastSuccessfulGeneration() <= state.changeGeneration(), "backed up more than changed");
            lastChangeGeneration = state.changeGeneration();
            lastSuccessfulGeneration = state.lastSuccessfulGeneration();
            assertTrue(openRuns.size() <= 1, "runs in flight: " + openRuns);
            assertEquals(activity.holdingPermit(), permitHeld, "the account and the permits agree on the permit");
            assertEquals(activity.awaitingPermit(), permitAsked, "the account and the permits agree on the wait");
            if (writerTask != null || prunerTask != null) {
                assertTrue(activity.working() != Account.Working.NOTHING, "work pending while the account thinks it idles");
            }
        }
    }
}
