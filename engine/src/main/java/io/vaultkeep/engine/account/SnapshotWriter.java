package io.vaultkeep.engine.account;

import io.vaultkeep.engine.account.OpenRuns.OpenRun;
import io.vaultkeep.engine.transfer.AttachmentTransfers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Finishes a planned run once its plan is journaled: stores the new blobs, writes the snapshot and
 * commits the index, in one go on the blocking dispatcher, each step under its deadline, and reports
 * the commit (or the stage a failure reached). Also settles a run the journal recorded as planned
 * but this incarnation did not finish (found committed, or rolled back). The open run it holds dies
 * with this actor's children generation ({@link OpenRuns}), which is why the journal, not this
 * actor, is what recovery trusts.
 */
public final class SnapshotWriter extends AbstractBehavior<SnapshotWriter.Command> {

    /** Local-only: from the account and its blob dedup. */
    public sealed interface Command extends LocalOnlyMessage {}

    /** The dedup opened and planned run {@code runId}: hold it until its plan is journaled. */
    public record Hold(String runId, OpenRun open) implements Command {}

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

    private final AccountSettings settings;
    private final ActorRef<AccountCommand> account;
    private final OpenRuns openRuns;
    private final Executor blocking;
    private final Clock clock;
    private final Duration stepTimeout;
    private final AttachmentTransfers transfers;
    /** The planned run waiting for its journaled plan, or null. */
    private Hold held;

    public static Behavior<Command> create(AccountSettings settings, ActorRef<AccountCommand> account, OpenRuns openRuns,
                                           Executor blocking, Clock clock, Duration stepTimeout) {
        return Behaviors.setup(ctx -> new SnapshotWriter(ctx, settings, account, openRuns, blocking, clock, stepTimeout));
    }

    private SnapshotWriter(ActorContext<Command> ctx, AccountSettings settings, ActorRef<AccountCommand> account,
                           OpenRuns openRuns, Executor blocking, Clock clock, Duration stepTimeout) {
        super(ctx);
        this.settings = settings;
        this.account = account;
        this.openRuns = openRuns;
        this.blocking = blocking;
        this.transfers = new AttachmentTransfers(ctx.getSystem(), blocking, AttachmentTransfers.DEFAULT_PARALLELISM);
        this.clock = clock;
        this.stepTimeout = stepTimeout;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Hold.class, this::onHold)
                .onMessage(Write.class, this::onWrite)
                .onMessage(Resolve.class, this::onResolve)
                // the children generation ends with this actor: nothing it or the dedup opened may outlive it
                .onSignal(PostStop.class, s -> {
                    openRuns.closeAll();
                    return this;
                })
                .onSignal(PreRestart.class, s -> release())
                .build();
    }

    private Behavior<Command> onHold(Hold hold) {
        release(); // one run at a time holds the repository's lock
        held = hold;
        return this;
    }

    // ---- the steps after the plan, each under its own deadline

    private Behavior<Command> onWrite(Write write) {
        String runId = write.runId();
        if (held == null || !runId.equals(held.runId())) {
            account.tell(new AccountCommand.RunStepFailed(runId, RunStage.PLANNED, FailureKind.INTERNAL,
                    "run " + runId + " is not open in this writer (restarted?)"));
            return this;
        }
        OpenRun open = held.open();
        held = null; // the chain below owns the run now, and closes it
        AtomicReference<RunStage> reached = new AtomicReference<>(RunStage.PLANNED);
        // downloads and uploads of the new attachments overlap (a stream, a few at once)
        Blocking.within(transfers.storePlanned(open.run()), stepTimeout, "storing the blobs")
                .thenCompose(blobs -> {
                    progress(runId, reached, RunStage.BLOBS_STORED);
                    return Blocking.call(blocking, stepTimeout, "writing the snapshot", open.run()::writeSnapshot);
                })
                .thenCompose(snapshot -> {
                    progress(runId, reached, RunStage.SNAPSHOT_WRITTEN);
                    return Blocking.call(blocking, stepTimeout, "committing the index", open.run()::commit);
                })
                .whenComplete((index, failure) -> {
                    openRuns.close(open); // a step past its deadline is ended so: its repository closes under it
                    account.tell(failure == null
                            ? new AccountCommand.RunIndexReady(runId, index.snapshotId(), index.generation(), index.createdAt(),
                                    open.warnings())
                            : failureReport(runId, reached.get(), failure));
                });
        return this;
    }

    /** Called on the blocking thread between two steps: only the thread-safe tell, no actor state. */
    private void progress(String runId, AtomicReference<RunStage> reached, RunStage stage) {
        reached.set(stage);
        account.tell(new AccountCommand.RunProgress(runId, stage));
    }

    // ---- resolving a planned run that did not commit in this incarnation

    private Behavior<Command> onResolve(Resolve resolve) {
        release();
        CompletableFuture<AccountCommand> resolved = Blocking.call(blocking, stepTimeout, "resolving run " + resolve.runId(), () -> {
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
        });
        resolved.whenComplete((report, failure) -> {
            if (failure == null) {
                account.tell(report);
            } else {
                FailureClassifier.Failure why = FailureClassifier.classify(failure);
                account.tell(new AccountCommand.RunResolutionFailed(resolve.runId(), why.kind(), why.message()));
            }
        });
        return this;
    }

    // ---- helpers

    private Behavior<Command> release() {
        if (held != null) {
            openRuns.close(held.open());
            held = null;
        }
        return this;
    }

    private static AccountCommand failureReport(String runId, RunStage at, Throwable failure) {
        FailureClassifier.Failure why = FailureClassifier.classify(failure);
        return new AccountCommand.RunStepFailed(runId, at, why.kind(), why.message());
    }
}
