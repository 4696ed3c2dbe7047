package io.vaultkeep.engine.account;

import io.vaultkeep.engine.account.AccountCommand.PruneExecuted;
import io.vaultkeep.engine.account.AccountCommand.PrunePlanReady;
import io.vaultkeep.engine.account.AccountCommand.PruneStepFailed;
import io.vaultkeep.engine.account.AccountCommand.RunFoundCommitted;
import io.vaultkeep.engine.account.AccountCommand.RunIndexReady;
import io.vaultkeep.engine.account.AccountCommand.RunPlanReady;
import io.vaultkeep.engine.account.AccountCommand.RunResolutionFailed;
import io.vaultkeep.engine.account.AccountCommand.RunRollbackDone;
import io.vaultkeep.engine.account.AccountCommand.RunStepFailed;
import io.vaultkeep.engine.account.AccountEvent.ChangeRecorded;
import io.vaultkeep.engine.account.AccountEvent.IndexCommitted;
import io.vaultkeep.engine.account.AccountEvent.PruneCompleted;
import io.vaultkeep.engine.account.AccountEvent.PruneFailed;
import io.vaultkeep.engine.account.AccountEvent.PrunePlanned;
import io.vaultkeep.engine.account.AccountEvent.RetentionChecked;
import io.vaultkeep.engine.account.AccountEvent.RunFailed;
import io.vaultkeep.engine.account.AccountEvent.RunPlanned;
import io.vaultkeep.engine.account.AccountEvent.RunRolledBack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every decision of an account, pure (no actor runtime in here): given the journaled
 * {@link AccountState}, what the entity is doing right now ({@link Activity}) and one input, it says
 * which events to journal, what the entity does next, and which {@link Action}s to carry out once
 * the events are journaled. {@code AccountBackup} only carries decisions out. There is one
 * {@code on…} method per input rather than one {@code decide} switching over them: without pattern
 * switches (Java 17) that is how the compiler keeps every input handled.
 *
 * @param retentionMax the account's retention (0: never prune)
 * @param moment the time, a random draw and a fresh id, taken by the entity for this one input
 */
public record Account(String accountId, AccountState state, Activity activity, int retentionMax, BackoffPolicy backoff,
                      Moment moment) {

    /** What this incarnation is executing (not journaled: the journal knows what is in flight). */
    public enum Working { NOTHING, RUN, RESOLVE, PLAN_PRUNE, PRUNE }

    /**
     * What the entity does that the journal does not record, lost with the incarnation on purpose:
     * a recovered entity asks for a permit afresh and resolves what the journal says is in flight.
     *
     * @param lastSeenRevision the newest revision the source reported in the burst being debounced
     * @param reloadPending new settings arrived during work: they are taken once it is done
     * @param starting the run being started, journaled only with its plan (or its end): until the plan
     *     nothing is written to the repository, so a crash before it leaves nothing to resolve
     * @param reached how far the planned run's writer got (reported, not journaled: recovery needs only the plan)
     */
    public record Activity(boolean debouncing, String lastSeenRevision, boolean awaitingPermit, boolean holdingPermit,
                           Working working, boolean reloadPending, AccountState.RunInFlight starting, RunStage reached) {

        public static final Activity IDLE = new Activity(false, null, false, false, Working.NOTHING, false, null, null);

        Activity debouncing(boolean on, String revision) {
            return new Activity(on, revision, awaitingPermit, holdingPermit, working, reloadPending, starting, reached);
        }

        Activity permit(boolean awaiting, boolean holding) {
            return new Activity(debouncing, lastSeenRevision, awaiting, holding, working, reloadPending, starting, reached);
        }

        Activity working(Working now) {
            return new Activity(debouncing, lastSeenRevision, awaitingPermit, holdingPermit, now, reloadPending, starting, reached);
        }

        Activity reloadPending(boolean pending) {
            return new Activity(debouncing, lastSeenRevision, awaitingPermit, holdingPermit, working, pending, starting, reached);
        }

        Activity starting(AccountState.RunInFlight run) {
            return new Activity(debouncing, lastSeenRevision, awaitingPermit, holdingPermit, working, reloadPending, run, null);
        }

        Activity reached(RunStage stage) {
            return new Activity(debouncing, lastSeenRevision, awaitingPermit, holdingPermit, working, reloadPending, starting, stage);
        }

        /**
         * The journaled state as status shows it: a run being started is in flight too, and a
         * planned run shows how far its writer got.
         */
        public AccountState shown(AccountState state) {
            AccountState shown = starting == null ? state : state.withRun(starting);
            AccountState.RunInFlight run = shown.runInFlight();
            return reached != null && run != null && run.stage() == RunStage.PLANNED ? shown.withRun(run.at(reached)) : shown;
        }

        public StatusView.Activity view() {
            return new StatusView.Activity(debouncing, awaitingPermit, working != Working.NOTHING);
        }
    }

    /** @param freshId a new unique id, used when the decision starts a run or plans a prune */
    public record Moment(Instant now, double random, String freshId) {}

    /** The world outside the decision, as the entity reaches it; each {@link Action} says which part it uses. */
    public interface World {
        void watcher(VaultWatcher.Command command);

        void debouncer(Debouncer.Command command);

        /** Asks the node's run permits for a permit ({@code take}), or gives the one held back. */
        void permit(boolean take);

        /** Sets the backoff timer to fire after {@code delay}, or cancels it (null). */
        void retryTimer(Duration delay);

        void writer(SnapshotWriter.Command command);

        void pruner(Pruner.Command command);

        void publish(BackupNotice notice);

        void log(Level level, String message);

        /** Takes the registry's settings for this account and replaces the children with ones made from them. */
        void replaceChildren();

        /** The account was removed from the registry: its entity stops. */
        void passivate();

        /** Deferred settings: the entity reloads them now that its work is done. */
        void reload();
    }

    public enum Level { DEBUG, INFO, WARN }

    /** One thing to do after the decision's events are journaled; each says how it is done. */
    public sealed interface Action {
        void runOn(World world);
    }

    public record Debounce(String revision) implements Action {
        @Override
        public void runOn(World world) {
            world.debouncer(new Debouncer.ChangeSeen(revision));
        }
    }

    public record CancelBurst() implements Action {
        @Override
        public void runOn(World world) {
            world.debouncer(new Debouncer.CancelBurst());
        }
    }

    public record AcquirePermit() implements Action {
        @Override
        public void runOn(World world) {
            world.permit(true);
        }
    }

    public record ReleasePermit() implements Action {
        @Override
        public void runOn(World world) {
            world.permit(false);
        }
    }

    public record RetryIn(Duration delay) implements Action {
        @Override
        public void runOn(World world) {
            world.retryTimer(delay);
        }
    }

    public record CancelRetry() implements Action {
        @Override
        public void runOn(World world) {
            world.retryTimer(null);
        }
    }

    public record TellWatcher(VaultWatcher.Command command) implements Action {
        @Override
        public void runOn(World world) {
            world.watcher(command);
        }
    }

    public record TellWriter(SnapshotWriter.Command command) implements Action {
        @Override
        public void runOn(World world) {
            world.writer(command);
        }
    }

    public record TellPruner(Pruner.Command command) implements Action {
        @Override
        public void runOn(World world) {
            world.pruner(command);
        }
    }

    public record Publish(BackupNotice notice) implements Action {
        @Override
        public void runOn(World world) {
            world.publish(notice);
        }
    }

    public record Log(Level level, String message) implements Action {
        @Override
        public void runOn(World world) {
            world.log(level, message);
        }
    }

    public record ReplaceChildren() implements Action {
        @Override
        public void runOn(World world) {
            world.replaceChildren();
        }
    }

    public record Passivate() implements Action {
        @Override
        public void runOn(World world) {
            world.passivate();
        }
    }

    public record Reload() implements Action {
        @Override
        public void runOn(World world) {
            world.reload();
        }
    }

    /** What to journal, the entity's activity from now on, and what to do once the events are journaled. */
    public record Decision(List<AccountEvent> events, Activity activity, List<Action> actions) {
        public Decision {
            events = List.copyOf(events);
            actions = List.copyOf(actions);
        }
    }

    // ---- changes and requests

    /** Right after recovery: say what was interrupted, then take up whatever is due. */
    public Decision onRecovered() {
        Step step = new Step();
        if (state.runInFlight() != null) {
            step.log(Level.INFO, "run " + state.runInFlight().runId() + " was interrupted at " + state.runInFlight().stage()
                    + "; resolving it");
        }
        if (state.pruneInFlight() != null) {
            step.log(Level.INFO, "prune " + state.pruneInFlight().pruneId() + " was interrupted; continuing it");
        }
        return step.scheduleWork().done();
    }

    /** The source reports a revision: the debouncer folds it into the burst, unless it is nothing new. */
    public Decision onVaultChanged(String revision) {
        Step step = new Step();
        String known = activity.debouncing() ? activity.lastSeenRevision() : state.latestRevision();
        if (revision != null && revision.equals(known)) {
            return step.done(); // a source restating what it has
        }
        step.activity = activity.debouncing(true, revision);
        return step.then(new Debounce(revision)).done();
    }

    /** The debouncer says a burst is over. */
    public Decision onBackupDue(String revision) {
        Step step = new Step();
        step.activity = step.activity.debouncing(false, step.activity.lastSeenRevision());
        Optional<ChangeRecorded> change = state.recordChange(revision, false, moment.now());
        return change.isEmpty() ? step.done() : step.persist(change.get()).scheduleWork().done();
    }

    /** Back up now: the run it starts covers the burst being debounced, if any. */
    public Decision onBackupNow() {
        Step step = new Step();
        step.activity = step.activity.debouncing(false, step.activity.lastSeenRevision());
        String revision = activity.lastSeenRevision() != null ? activity.lastSeenRevision() : state.latestRevision();
        return step.then(new CancelBurst())
                .persist(state.recordChange(revision, true, moment.now()).orElseThrow())
                .scheduleWork().done();
    }

    /**
     * New settings take effect between two pieces of work: the children are replaced in place, so
     * no message to the account is lost (as it could be across a passivation). Removed settings
     * stop the entity.
     *
     * @param registered whether the registry still has settings for the account
     */
    public Decision onReload(boolean registered) {
        Step step = new Step();
        if (!registered) {
            return step.log(Level.INFO, "the account was removed: its entity stops").then(new Passivate()).done();
        }
        if (activity.working() != Working.NOTHING) {
            step.activity = activity.reloadPending(true); // the work in progress finishes with the settings it started with
            return step.done();
        }
        step.activity = activity.debouncing(false, null); // the new watcher reports what its source has
        step.then(new ReplaceChildren());
        if (state.consecutiveFailures() > 0) {
            // new settings may be the fix (a password, a key, a location): retried now, not after the backoff
            step.persist(state.recordChange(activity.lastSeenRevision() != null ? activity.lastSeenRevision()
                    : state.latestRevision(), true, moment.now()).orElseThrow());
        }
        return step.scheduleWork().done();
    }

    /** The backoff wait is over. */
    public Decision onRetryDue() {
        return new Step().scheduleWork().done();
    }

    /**
     * Still waiting for a permit: ask again. A permit request must never be lost for good (an account
     * queued forever backs nothing up), and the permits answer a repeated request idempotently.
     */
    public Decision onPermitReminder() {
        Step step = new Step();
        return activity.awaitingPermit() ? step.then(new AcquirePermit()).done() : step.done();
    }

    // ---- work under a permit

    /**
     * A permit arrived: do what is due. The order is {@link AccountState#nextWork}'s; a run not
     * planned wrote nothing and is rolled back without touching the repository.
     */
    public Decision onPermitGranted() {
        Step step = new Step();
        step.activity = activity.permit(false, true);
        if (activity.working() != Working.NOTHING) {
            return step.done();
        }
        AccountState.Work next = state.nextWork(moment.now());
        if (next instanceof AccountState.Work.ResolveRun resolve) {
            step.activity = step.activity.working(Working.RESOLVE);
            AccountState.RunInFlight run = resolve.run();
            return run.planned() ? step.then(resolve(run)).done()
                    : step.persist(new RunRolledBack(run.runId(), 0, moment.now())).workDone().done(); // nothing was written
        }
        if (next instanceof AccountState.Work.ContinuePrune prune) {
            step.activity = step.activity.working(Working.PRUNE);
            return step.then(new TellPruner(new Pruner.ExecutePrune(prune.prune().pruneId(), prune.prune().plan()))).done();
        }
        if (next instanceof AccountState.Work.PlanPrune) {
            return step.planPrune().done();
        }
        if (next instanceof AccountState.Work.StartRun) {
            AccountState.RunInFlight started = state.startRun(moment.freshId(), moment.now());
            step.activity = step.activity.working(Working.RUN).starting(started);
            return step.then(new TellWatcher(new VaultWatcher.FetchFor(started.runId()))).done();
        }
        return step.workDone().done(); // nothing is due any more (backup now was answered meanwhile, or a backoff began)
    }

    // ---- the run: its start with its plan, then the commit (or a failure and the rollback)

    /** The plan is journaled, with the run's start, in one write before anything is written to the repository. */
    public Decision onPlanReady(RunPlanReady plan) {
        if (!starting(plan.runId())) {
            return stale(plan);
        }
        return new Step().started()
                .persist(RunPlanned.of(activity.starting(), plan.snapshotId(), plan.snapshotKey(), plan.newBlobIds(), plan.stats()))
                .then(new TellWriter(new SnapshotWriter.Write(plan.runId()))).done();
    }

    public Decision onUnchanged(AccountCommand.RunUnchanged unchanged) {
        if (!starting(unchanged.runId())) {
            return stale(unchanged);
        }
        AccountEvent.RunUnchanged event = new AccountEvent.RunUnchanged(unchanged.runId(), unchanged.snapshotId(), moment.now(),
                unchanged.warnings(), activity.starting().generation());
        return new Step().log(Level.INFO, "unchanged since snapshot " + unchanged.snapshotId() + "; nothing committed")
                .started()
                .persist(event)
                .then(new Publish(new BackupNotice.Unchanged(accountId, event.runId(), event.snapshotId(), event.at())))
                .workDone().done();
    }

    /** The writer got one step further: status shows it, the journal need not. */
    public Decision onProgress(AccountCommand.RunProgress progress) {
        if (!state.expects(progress.runId(), RunStage.PLANNED)) {
            return stale(progress);
        }
        Step step = new Step();
        step.activity = activity.reached(progress.reached());
        return step.done();
    }

    /** The writer stored, wrote and committed what the journaled plan said, in one go. */
    public Decision onIndexReady(RunIndexReady index) {
        if (!state.expects(index.runId(), RunStage.PLANNED)) {
            return stale(index);
        }
        return new Step().committed(new IndexCommitted(index.runId(), index.snapshotId(), index.indexGeneration(),
                index.createdAt(), false, index.warnings())).done();
    }

    public Decision onFoundCommitted(RunFoundCommitted found) {
        if (!state.inFlight(found.runId())) {
            return stale(found);
        }
        return new Step().log(Level.INFO, "run " + found.runId() + " had committed snapshot " + found.snapshotId()
                        + " before the journal recorded it")
                .committed(new IndexCommitted(found.runId(), found.snapshotId(), found.indexGeneration(), found.createdAt(),
                        true, List.of())).done();
    }

    /** A step failed: journaled with its backoff; what a planned run may have written is settled under the same permit. */
    public Decision onStepFailed(RunStepFailed failed) {
        if (!state.inFlight(failed.runId()) && !starting(failed.runId())) {
            return stale(failed);
        }
        Step step = new Step().started().persist(new RunFailed(failed.runId(), failed.stage(), failed.kind(), failed.message(),
                moment.now(), retryAt(failed.kind()))).announceFailure(failed.runId(), failed.stage(), failed.kind(), failed.message());
        AccountState.RunInFlight left = step.after.runInFlight();
        if (left != null && left.runId().equals(failed.runId())) {
            step.activity = step.activity.working(Working.RESOLVE);
            return step.then(resolve(left)).done();
        }
        return step.workDone().done();
    }

    public Decision onRollbackDone(RunRollbackDone done) {
        if (!state.inFlight(done.runId())) {
            return stale(done);
        }
        return new Step().persist(new RunRolledBack(done.runId(), done.deletedObjects(), moment.now())).workDone().done();
    }

    public Decision onResolutionFailed(RunResolutionFailed failed) {
        if (!state.inFlight(failed.runId())) {
            return stale(failed);
        }
        return new Step().persist(new RunFailed(failed.runId(), RunStage.FAILED, failed.kind(), failed.message(), moment.now(),
                        retryAt(failed.kind())))
                .announceFailure(failed.runId(), RunStage.FAILED, failed.kind(), failed.message())
                .workDone().done();
    }

    // ---- retention

    public Decision onPrunePlanReady(PrunePlanReady ready) {
        if (activity.working() != Working.PLAN_PRUNE) {
            return stale(ready);
        }
        if (ready.plan() == null) {
            return new Step().persist(new RetentionChecked(moment.now())).workDone().done();
        }
        Step step = new Step().persist(new PrunePlanned(moment.freshId(), ready.plan(), moment.now()));
        step.activity = step.activity.working(Working.PRUNE);
        return step.then(new TellPruner(new Pruner.ExecutePrune(moment.freshId(), ready.plan()))).done();
    }

    public Decision onPruneExecuted(PruneExecuted done) {
        if (state.pruneInFlight() == null || !state.pruneInFlight().pruneId().equals(done.pruneId())) {
            return stale(done);
        }
        return new Step().persist(new PruneCompleted(done.pruneId(), done.indexKey(), done.deletedSnapshots(), done.deletedBlobs(),
                        moment.now()))
                .then(new Publish(new BackupNotice.SnapshotsPruned(accountId, done.pruneId(), done.deletedSnapshots(),
                        done.deletedBlobs())))
                .workDone().done();
    }

    public Decision onPruneStepFailed(PruneStepFailed failed) {
        if (activity.working() != Working.PLAN_PRUNE && activity.working() != Working.PRUNE) {
            return stale(failed);
        }
        Step step = new Step().persist(new PruneFailed(failed.pruneId(), failed.kind(), failed.message(), moment.now(), retryAt(failed.kind())));
        AccountState after = step.after;
        return step.log(Level.WARN, "prune failed (" + failed.kind() + "): " + failed.message() + "; retry at " + after.nextRetryAt())
                .then(new Publish(new BackupNotice.BackupFailed(accountId, null, failed.kind(), failed.message(),
                        after.consecutiveFailures(), after.nextRetryAt())))
                .workDone().done();
    }

    // ---- helpers

    private boolean starting(String runId) {
        return activity.starting() != null && activity.starting().runId().equals(runId);
    }

    private Instant retryAt(FailureKind kind) {
        return state.retryAfterNextFailure(backoff, kind, moment.now(), moment.random());
    }

    private static Action resolve(AccountState.RunInFlight run) {
        return new TellWriter(new SnapshotWriter.Resolve(run.runId(), run.snapshotId(), run.snapshotKey(), run.newBlobIds()));
    }

    private Decision stale(AccountCommand report) {
        return new Step().log(Level.DEBUG, "ignoring a report that does not match the journal: " + report).done();
    }

    /** A decision being built: the events so far, the state they lead to, the activity and the actions. */
    private final class Step {
        private final List<AccountEvent> events = new ArrayList<>();
        private final List<Action> actions = new ArrayList<>();
        private AccountState after = state;
        private Activity activity = Account.this.activity;

        Step persist(AccountEvent event) {
            events.add(event);
            after = event.applyTo(after);
            return this;
        }

        Step then(Action action) {
            actions.add(action);
            return this;
        }

        /** The run being started, if any, is no longer only this incarnation's: the event that ends or plans it is journaled. */
        Step started() {
            activity = activity.starting(null);
            return this;
        }

        Step log(Level level, String message) {
            return then(new Log(level, message));
        }

        Decision done() {
            return new Decision(events, activity, actions);
        }

        /** Asks for a permit when work is due, or sets the retry timer; nothing while work is in hand. */
        Step scheduleWork() {
            if (activity.working() != Working.NOTHING || activity.awaitingPermit() || activity.holdingPermit()) {
                return this;
            }
            AccountState.Work next = after.nextWork(moment.now());
            if (next instanceof AccountState.Work.Idle) {
                return then(new CancelRetry());
            }
            if (next instanceof AccountState.Work.WaitUntil wait) {
                Duration delay = Duration.between(moment.now(), wait.at());
                return then(new RetryIn(delay.isNegative() ? Duration.ZERO : delay));
            }
            activity = activity.permit(true, false);
            return then(new AcquirePermit());
        }

        /** The piece of work is over: the permit goes back, deferred settings are taken, and what is due next is asked for. */
        Step workDone() {
            activity = activity.working(Working.NOTHING).reached(null);
            if (activity.holdingPermit()) {
                activity = activity.permit(activity.awaitingPermit(), false);
                then(new ReleasePermit());
            }
            if (activity.reloadPending()) {
                activity = activity.reloadPending(false);
                then(new Reload());
            }
            return scheduleWork();
        }

        Step committed(IndexCommitted event) {
            persist(event).then(new Publish(new BackupNotice.SnapshotCommitted(accountId, event.runId(), event.snapshotId(),
                    event.snapshotCreatedAt(), event.foundOnRecovery(), event.warnings())));
            if (retentionMax > 0) {
                activity = activity.working(Working.PLAN_PRUNE);
                return then(new TellPruner(new Pruner.PlanPrune()));
            }
            // every snapshot is kept: journaled with the commit, in the same write and under the same permit
            return persist(new RetentionChecked(moment.now())).workDone();
        }

        /** Retention left over from a commit (after a crash, or a failed plan): plan it now, under the permit held. */
        Step planPrune() {
            activity = activity.working(Working.PLAN_PRUNE);
            if (retentionMax <= 0) {
                return persist(new RetentionChecked(moment.now())).workDone();
            }
            return then(new TellPruner(new Pruner.PlanPrune()));
        }

        Step announceFailure(String runId, RunStage stage, FailureKind kind, String message) {
            return log(Level.WARN, "run " + runId + " failed at " + stage + " (" + kind + "): " + message + "; attempt "
                    + after.consecutiveFailures() + " failed, retry at " + after.nextRetryAt())
                    .then(new Publish(new BackupNotice.BackupFailed(accountId, runId, kind, message,
                            after.consecutiveFailures(), after.nextRetryAt())));
        }
    }
}
