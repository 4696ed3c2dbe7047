package io.vaultkeep.engine.account;

import io.vaultkeep.engine.transfer.AttachmentTransfers;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.BackupSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Executes one backup run on the blocking dispatcher, each step under its deadline: the plan is
 * reported to the account, which journals it; then blobs, snapshot and index are written in one go
 * and the commit (or the stage a failure reached) is reported. Holds the in-memory {@link BackupRun}
 * and the open repository meanwhile; both die with this actor, which is why the journal, not this
 * actor, is what recovery trusts.
 */
public final class SnapshotWriter extends AbstractBehavior<SnapshotWriter.Command> {

    /** Local-only: between the account and its own writer. */
    public sealed interface Command extends LocalOnlyMessage {}

    /** The watcher fetched the run's vault: open (or create) the repository and plan the run. */
    public record Begin(String runId, BackupSource vault) implements Command {}

    /**
     * The plan is journaled: store the blobs, write the snapshot, commit the index, one after the
     * other without asking again. Recovery needs only the plan (what a rollback may delete), so the
     * steps in between are not journaled; a failure reports the stage it reached.
     */
    public record Write(String runId) implements Command {}

    /** Settle a run the journal recorded as planned: found committed, or rolled back. */
    public record Resolve(String runId, String snapshotId, String snapshotKey, List<String> newBlobIds)
            implements Command {
        public Resolve {
            newBlobIds = List.copyOf(newBlobIds);
        }
    }

    private record RunOpened(String runId, OpenRun open, Throwable failure) implements Command {}

    private record PlanReceived(BlobDedup.PlanResult result) implements Command {}

    /** A step is over; {@code report} is what the account is told. */
    private record StepFinished(String runId, AccountCommand report, boolean runOver) implements Command {}

    /** @param warnings what the source left out of the vault, reported with the commit */
    private record OpenRun(RepositoryAccess access, BackupRun run, List<String> warnings) {}

    private final AccountSettings settings;
    private final ActorRef<AccountCommand> account;
    private final ActorRef<BlobDedup.Command> dedup;
    private final ActorRef<BlobDedup.PlanResult> planAdapter;
    private final Executor blocking;
    private final Clock clock;
    private final Duration stepTimeout;
    private final AttachmentTransfers transfers;
    private String activeRunId;
    private OpenRun active;
    /**
     * Runs opened on the blocking dispatcher whose {@link RunOpened} this actor has not taken yet: an
     * open run holds the repository's writer lock (and keeps refreshing it), so one whose message
     * would reach a stopped actor must be closed by the stop, or the lock would never be released.
     */
    private final Set<OpenRun> unclaimed = new HashSet<>();
    private boolean stopped;

    public static Behavior<Command> create(AccountSettings settings, ActorRef<AccountCommand> account,
                                           ActorRef<BlobDedup.Command> dedup, Executor blocking, Clock clock,
                                           Duration stepTimeout) {
        return Behaviors.setup(ctx -> new SnapshotWriter(ctx, settings, account, dedup, blocking, clock, stepTimeout));
    }

    private SnapshotWriter(ActorContext<Command> ctx, AccountSettings settings, ActorRef<AccountCommand> account,
                           ActorRef<BlobDedup.Command> dedup, Executor blocking, Clock clock, Duration stepTimeout) {
        super(ctx);
        this.settings = settings;
        this.account = account;
        this.dedup = dedup;
        this.blocking = blocking;
        this.transfers = new AttachmentTransfers(ctx.getSystem(), blocking, AttachmentTransfers.DEFAULT_PARALLELISM);
        this.clock = clock;
        this.stepTimeout = stepTimeout;
        this.planAdapter = ctx.messageAdapter(BlobDedup.PlanResult.class, PlanReceived::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Begin.class, this::onBegin)
                .onMessage(RunOpened.class, this::onOpened)
                .onMessage(PlanReceived.class, this::onPlan)
                .onMessage(Write.class, this::onWrite)
                .onMessage(StepFinished.class, this::onStepFinished)
                .onMessage(Resolve.class, this::onResolve)
                .onSignal(PostStop.class, s -> stop())
                .onSignal(PreRestart.class, s -> stop())
                .build();
    }

    // ---- begin: repository, plan

    private Behavior<Command> onBegin(Begin begin) {
        closeActive();
        String runId = begin.runId();
        activeRunId = runId;
        BackupSource vault = begin.vault();
        BackupSource chosen = settings.includeAttachments() ? vault
                : new BackupSource(vault.vaultJson(), vault.cipherCount(), false, vault.attachments(), vault.unavailableAttachmentCount(), vault.warnings());
        getContext().pipeToSelf(onBlocking("opening the repository", () -> {
            RepositoryAccess access = RepositoryAccess.openOrCreate(settings, clock);
            OpenRun open;
            try {
                open = new OpenRun(access, access.repository().startRun(chosen), chosen.warnings());
            } catch (IOException | RuntimeException e) {
                access.close();
                throw e;
            }
            synchronized (unclaimed) {
                if (stopped) {
                    access.close();
                    throw new IllegalStateException("the snapshot writer stopped while run " + runId + " was opened");
                }
                unclaimed.add(open);
            }
            return open;
        }, this::abandon), (open, failure) -> new RunOpened(runId, open, failure));
        return this;
    }

    private Behavior<Command> onOpened(RunOpened opened) {
        synchronized (unclaimed) {
            unclaimed.remove(opened.open());
        }
        if (!opened.runId().equals(activeRunId)) {
            closeQuietly(opened.open());
            return this;
        }
        if (opened.failure() != null) {
            return failed(opened.runId(), RunStage.STARTED, opened.failure());
        }
        if (active != null) {
            closeQuietly(active); // the same run begun twice: only one may hold the repository's lock
        }
        active = opened.open();
        dedup.tell(new BlobDedup.PlanRun(opened.runId(), active.run(), planAdapter));
        return this;
    }

    private Behavior<Command> onPlan(PlanReceived received) {
        if (received.result() instanceof BlobDedup.PlanFailed failed) {
            return failed.runId().equals(activeRunId) ? failed(failed.runId(), RunStage.STARTED, failed.failure()) : this;
        }
        BlobDedup.Planned planned = (BlobDedup.Planned) received.result();
        if (planned.runId().equals(activeRunId)) {
            BackupRun.Plan plan = planned.plan();
            plan.damagedBlobs().forEach(line -> getContext().getLog().warn("{}: {}", settings.accountId(), line));
            if (plan.unchangedSince() != null) {
                List<String> warnings = active.warnings();
                closeActive(); // planned only: nothing was written, and nothing will be
                account.tell(new AccountCommand.RunUnchanged(planned.runId(), plan.unchangedSince(), warnings));
                return this;
            }
            account.tell(new AccountCommand.RunPlanReady(planned.runId(), plan.snapshotId(), plan.snapshotKey(),
                    plan.newBlobIds(), plan.stats()));
        }
        return this;
    }

    // ---- the steps after the plan, each under its own deadline

    private Behavior<Command> onWrite(Write write) {
        String runId = write.runId();
        if (active == null || !runId.equals(activeRunId)) {
            return failed(runId, RunStage.PLANNED, FailureKind.INTERNAL, "run " + runId + " is not open in this writer (restarted?)");
        }
        OpenRun open = active;
        AtomicReference<RunStage> reached = new AtomicReference<>(RunStage.PLANNED);
        // downloads and uploads of the new attachments overlap (a stream, a few at once)
        CompletableFuture<AccountCommand> committed = Blocking.within(transfers.storePlanned(open.run()), stepTimeout,
                        "storing the blobs")
                .thenCompose(blobs -> {
                    progress(runId, reached, RunStage.BLOBS_STORED);
                    return onBlocking("writing the snapshot", open.run()::writeSnapshot);
                })
                .thenCompose(snapshot -> {
                    progress(runId, reached, RunStage.SNAPSHOT_WRITTEN);
                    return onBlocking("committing the index", open.run()::commit);
                })
                .thenApply(index -> new AccountCommand.RunIndexReady(runId, index.snapshotId(), index.generation(),
                        index.createdAt(), open.warnings()));
        getContext().pipeToSelf(committed, (report, failure) ->
                new StepFinished(runId, failure == null ? report : failureReport(runId, reached.get(), failure), true));
        return this;
    }

    private Behavior<Command> onStepFinished(StepFinished finished) {
        if (finished.runOver() && finished.runId().equals(activeRunId)) {
            closeActive();
        }
        account.tell(finished.report());
        return this;
    }

    /** Called on the blocking thread between two steps: only the thread-safe tell, no actor state. */
    private void progress(String runId, AtomicReference<RunStage> reached, RunStage stage) {
        reached.set(stage);
        account.tell(new AccountCommand.RunProgress(runId, stage));
    }

    // ---- resolving a planned run that did not commit in this incarnation

    private Behavior<Command> onResolve(Resolve resolve) {
        closeActive();
        getContext().pipeToSelf(onBlocking("resolving run " + resolve.runId(), () -> {
            if (!RepositoryAccess.exists(settings)) {
                return new AccountCommand.RunRollbackDone(resolve.runId(), 0); // nothing there to undo
            }
            try (RepositoryAccess access = RepositoryAccess.open(settings, clock)) {
                RunResolution.Outcome outcome = RunResolution.resolve(access.repository(), resolve.snapshotId(),
                        resolve.snapshotKey(), resolve.newBlobIds());
                return outcome instanceof RunResolution.FoundCommitted found
                        ? new AccountCommand.RunFoundCommitted(resolve.runId(), resolve.snapshotId(),
                                found.indexGeneration(), found.createdAt())
                        : new AccountCommand.RunRollbackDone(resolve.runId(), ((RunResolution.RolledBack) outcome).deletedObjects());
            }
        }), (report, failure) -> {
            if (failure == null) {
                return new StepFinished(resolve.runId(), report, false);
            }
            FailureClassifier.Failure why = FailureClassifier.classify(failure);
            return new StepFinished(resolve.runId(),
                    new AccountCommand.RunResolutionFailed(resolve.runId(), why.kind(), why.message()), false);
        });
        return this;
    }

    // ---- helpers

    /** Blocking work under the step deadline; a run whose step fails so is closed, which ends a stalled call. */
    private <T> CompletableFuture<T> onBlocking(String what, Callable<T> work) {
        return Blocking.call(blocking, stepTimeout, what, work);
    }

    private CompletableFuture<OpenRun> onBlocking(String what, Callable<OpenRun> work, Consumer<OpenRun> abandoned) {
        return Blocking.call(blocking, stepTimeout, what, work, abandoned);
    }

    /**
     * A run opened after its deadline, on the blocking thread: nobody takes it, and it holds the
     * repository's writer lock, so it is closed at once (no logging: this is not the actor's thread).
     */
    private void abandon(OpenRun open) {
        synchronized (unclaimed) {
            unclaimed.remove(open);
        }
        try {
            open.access().close();
        } catch (IOException ignored) {
            // the lock expires unrefreshed; the next run takes it over
        }
    }

    private Behavior<Command> failed(String runId, RunStage at, Throwable failure) {
        return report(runId, failureReport(runId, at, failure));
    }

    private Behavior<Command> failed(String runId, RunStage at, FailureKind kind, String message) {
        return report(runId, new AccountCommand.RunStepFailed(runId, at, kind, message));
    }

    private Behavior<Command> report(String runId, AccountCommand report) {
        if (runId.equals(activeRunId)) {
            closeActive();
        }
        account.tell(report);
        return this;
    }

    private static AccountCommand failureReport(String runId, RunStage at, Throwable failure) {
        FailureClassifier.Failure why = FailureClassifier.classify(failure);
        return new AccountCommand.RunStepFailed(runId, at, why.kind(), why.message());
    }

    /** Closes the active run and every run opened for this actor that it will never receive. */
    private Behavior<Command> stop() {
        closeActive();
        List<OpenRun> orphans;
        synchronized (unclaimed) {
            stopped = true;
            orphans = List.copyOf(unclaimed);
            unclaimed.clear();
        }
        orphans.forEach(this::closeQuietly);
        return this;
    }

    private Behavior<Command> closeActive() {
        OpenRun open = active;
        active = null;
        activeRunId = null;
        closeQuietly(open);
        return this;
    }

    private void closeQuietly(OpenRun open) {
        if (open == null) {
            return;
        }
        try {
            open.access().close();
        } catch (IOException e) {
            getContext().getLog().debug("closing a repository failed: {}", e.getMessage());
        }
    }

}
