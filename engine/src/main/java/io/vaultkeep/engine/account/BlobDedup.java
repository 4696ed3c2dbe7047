package io.vaultkeep.engine.account;

import io.vaultkeep.engine.account.OpenRuns.OpenRun;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.repository.IndexCache;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The dedup step of a run, and the account's dedup knowledge. Given the fetched vault, it opens the
 * repository under the writer lock, reads the catalogue and decides, attachment by attachment,
 * whether a catalogued blob holds its bytes (by Keyguard fingerprint, then by content hash) or a new
 * blob must be stored ({@link BackupRun#plan()}); nothing is written. The catalogue comes from the
 * index objects this account has read before ({@link IndexCache}, kept by the account across the
 * runs of a burst of changes, {@link #KEEP_INDEXES}, while this actor lives only as long as a run):
 * the listing is read every run, so another writer's commit or a prune is always seen, but an index
 * is read only once. The planned run goes to the writer, which finishes it once the plan is journaled; its plan
 * goes to the account, which journals it. A vault with nothing new ends here: the account is told
 * it is unchanged.
 */
public final class BlobDedup extends AbstractBehavior<BlobDedup.Command> {

    /** Local-only: from the account's watcher. */
    public sealed interface Command extends LocalOnlyMessage {}

    /** The watcher fetched run {@code runId}'s vault. */
    public record PlanRun(String runId, FetchedVault vault) implements Command {}

    /**
     * How long the indexes are kept after a run. Changes come in bursts (a person edits several
     * items over some minutes), and within one the runs read nothing twice; between bursts an idle
     * account should cost little memory, and the index it would keep grows with its catalogue.
     */
    public static final Duration KEEP_INDEXES = Duration.ofMinutes(10);

    private final AccountSettings settings;
    private final ActorRef<AccountCommand> account;
    private final ActorRef<SnapshotWriter.Command> writer;
    private final OpenRuns openRuns;
    private final Executor blocking;
    private final Clock clock;
    private final Duration stepTimeout;
    private final IndexCache knownIndexes;

    /** @param knownIndexes the account's indexes read before, which outlive this actor */
    public static Behavior<Command> create(AccountSettings settings, ActorRef<AccountCommand> account,
                                           ActorRef<SnapshotWriter.Command> writer, OpenRuns openRuns, IndexCache knownIndexes,
                                           Executor blocking, Clock clock, Duration stepTimeout) {
        return Behaviors.setup(ctx -> new BlobDedup(ctx, settings, account, writer, openRuns, knownIndexes, blocking, clock, stepTimeout));
    }

    private BlobDedup(ActorContext<Command> ctx, AccountSettings settings, ActorRef<AccountCommand> account,
                      ActorRef<SnapshotWriter.Command> writer, OpenRuns openRuns, IndexCache knownIndexes, Executor blocking,
                      Clock clock, Duration stepTimeout) {
        super(ctx);
        this.knownIndexes = knownIndexes;
        this.settings = settings;
        this.account = account;
        this.writer = writer;
        this.openRuns = openRuns;
        this.blocking = blocking;
        this.clock = clock;
        this.stepTimeout = stepTimeout;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(PlanRun.class, this::onPlanRun)
                .build();
    }

    private Behavior<Command> onPlanRun(PlanRun request) {
        String runId = request.runId();
        FetchedVault vault = settings.includeAttachments() ? request.vault() : request.vault().withoutAttachments();
        org.slf4j.Logger log = getContext().getLog();
        // the outcome is told from the blocking thread: this actor keeps no state of the run (tell is thread-safe)
        Blocking.call(blocking, stepTimeout, "planning the run", () -> openAndPlan(vault),
                        late -> openRuns.close(late.open()))
                .whenComplete((planned, failure) -> {
                    if (failure != null) {
                        FailureClassifier.Failure why = FailureClassifier.classify(failure);
                        account.tell(new AccountCommand.RunStepFailed(runId, RunStage.STARTED, why.kind(), why.message()));
                        return;
                    }
                    BackupRun.Plan plan = planned.plan();
                    plan.damagedBlobs().forEach(line -> log.warn("{}: {}", settings.accountId(), line));
                    if (plan.unchangedSince() != null) {
                        openRuns.close(planned.open()); // planned only: nothing was written, and nothing will be
                        account.tell(new AccountCommand.RunUnchanged(runId, plan.unchangedSince(), planned.open().warnings()));
                        return;
                    }
                    // the writer holds the run before the account can ask it to write (both told from this thread, in order)
                    writer.tell(new SnapshotWriter.Hold(runId, planned.open()));
                    account.tell(new AccountCommand.RunPlanReady(runId, plan.snapshotId(), plan.snapshotKey(), plan.newBlobIds(),
                            plan.stats()));
                });
        return this;
    }

    private record Planned(OpenRun open, BackupRun.Plan plan) {}

    private Planned openAndPlan(FetchedVault vault) throws IOException {
        RepositoryAccess access = RepositoryAccess.openOrCreate(settings, clock, knownIndexes);
        OpenRun open;
        try {
            open = new OpenRun(access, access.repository().startRun(vault), vault.warnings());
        } catch (IOException | RuntimeException e) {
            access.close();
            throw e;
        }
        openRuns.register(open);
        try {
            return new Planned(open, open.run().plan());
        } catch (IOException | RuntimeException e) {
            openRuns.close(open);
            throw e;
        }
    }
}
