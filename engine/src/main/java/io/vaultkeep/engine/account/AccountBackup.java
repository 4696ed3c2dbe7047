package io.vaultkeep.engine.account;

import io.vaultkeep.engine.account.AccountCommand.BackupDue;
import io.vaultkeep.engine.account.AccountCommand.BackupNow;
import io.vaultkeep.engine.account.AccountCommand.GetStatus;
import io.vaultkeep.engine.account.AccountCommand.Passivate;
import io.vaultkeep.engine.account.AccountCommand.PermitGranted;
import io.vaultkeep.engine.account.AccountCommand.PruneExecuted;
import io.vaultkeep.engine.account.AccountCommand.PrunePlanReady;
import io.vaultkeep.engine.account.AccountCommand.PruneStepFailed;
import io.vaultkeep.engine.account.AccountCommand.Reload;
import io.vaultkeep.engine.account.AccountCommand.RetryDue;
import io.vaultkeep.engine.account.AccountCommand.RunBlobsReady;
import io.vaultkeep.engine.account.AccountCommand.RunFoundCommitted;
import io.vaultkeep.engine.account.AccountCommand.RunIndexReady;
import io.vaultkeep.engine.account.AccountCommand.RunPlanReady;
import io.vaultkeep.engine.account.AccountCommand.RunResolutionFailed;
import io.vaultkeep.engine.account.AccountCommand.RunRollbackDone;
import io.vaultkeep.engine.account.AccountCommand.RunSnapshotReady;
import io.vaultkeep.engine.account.AccountCommand.RunStepFailed;
import io.vaultkeep.engine.account.AccountCommand.VaultChanged;
import io.vaultkeep.engine.account.AccountCommand.Wake;
import io.vaultkeep.engine.account.AccountEvent.BlobsStored;
import io.vaultkeep.engine.account.AccountEvent.ChangeRecorded;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One account's journaled brain, a Cluster Sharding entity. It decides nothing itself: it asks
 * {@link AccountState} what to journal and what to do next, journals that, and then tells its
 * children (watcher, debouncer, writer, dedup, pruner) to do the next step. Repository work waits
 * for one of the node's {@link RunPermits} and gives it back after every piece of work.
 */
public final class AccountBackup extends EventSourcedBehavior<AccountCommand, AccountEvent, AccountState> {

    public static final EntityTypeKey<AccountCommand> ENTITY_TYPE = EntityTypeKey.create(AccountCommand.class, "account");

    private static final String RETRY_TIMER = "retry";

    /** What this incarnation is executing right now (not journaled: the journal knows what is in flight). */
    private enum Working { NOTHING, RUN, RESOLVE, PLAN_PRUNE, PRUNE }

    private final String accountId;
    private final ActorContext<AccountCommand> ctx;
    private final TimerScheduler<AccountCommand> timers;
    private final AccountRegistry registry;
    private final EngineTuning tuning;
    private final ActorRef<RunPermits.Command> permits;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final Clock clock;
    private final Executor blocking;

    // the settings and the children made from them; replaced together when the settings change
    private AccountSettings settings;
    private int childGeneration;
    private List<ActorRef<?>> children = List.of();
    private ActorRef<Debouncer.Command> debouncer;
    private ActorRef<SnapshotWriter.Command> writer;
    private ActorRef<Pruner.Command> pruner;

    private boolean debouncing;
    private String lastSeenRevision;
    private boolean awaitingPermit;
    private boolean holdingPermit;
    private Working working = Working.NOTHING;
    private boolean reloadPending;

    /**
     * Registers the entity type with sharding. Settings come from the registry by account id when
     * an entity starts; an id the registry does not know stops its entity at once.
     */
    public static ActorRef<ShardingEnvelope<AccountCommand>> init(ClusterSharding sharding, AccountRegistry registry,
                                                                   ActorRef<RunPermits.Command> permits) {
        return sharding.init(Entity.of(ENTITY_TYPE,
                        entity -> create(entity.getEntityId(), registry, permits, entity.getShard(), Clock.systemUTC()))
                .withStopMessage(new Passivate()));
    }

    /**
     * The entity, tuned from the actor system's config.
     *
     * @param shard the entity's shard, for passivation; null when not run by sharding (tests)
     */
    public static Behavior<AccountCommand> create(String accountId, AccountRegistry registry,
                                                  ActorRef<RunPermits.Command> permits,
                                                  ActorRef<ClusterSharding.ShardCommand> shard, Clock clock) {
        return create(accountId, registry, permits, shard, clock, null);
    }

    /** The entity with the given tuning (null: from the actor system's config). */
    public static Behavior<AccountCommand> create(String accountId, AccountRegistry registry,
                                                  ActorRef<RunPermits.Command> permits,
                                                  ActorRef<ClusterSharding.ShardCommand> shard, Clock clock,
                                                  EngineTuning tuningOrNull) {
        return Behaviors.setup(ctx -> {
            Optional<AccountSettings> settings = registry.settings(accountId);
            if (settings.isEmpty()) {
                ctx.getLog().warn("account {} is not registered on this node: its entity stops", accountId);
                return Behaviors.stopped();
            }
            EngineTuning tuning = tuningOrNull != null ? tuningOrNull : EngineTuning.fromConfig(ctx.getSystem().settings().config());
            return Behaviors.withTimers(timers ->
                    new AccountBackup(ctx, timers, accountId, registry, settings.get(), tuning, permits, shard, clock));
        });
    }

    private AccountBackup(ActorContext<AccountCommand> ctx, TimerScheduler<AccountCommand> timers, String accountId,
                          AccountRegistry registry, AccountSettings settings, EngineTuning tuning,
                          ActorRef<RunPermits.Command> permits, ActorRef<ClusterSharding.ShardCommand> shard, Clock clock) {
        super(PersistenceId.of(ENTITY_TYPE.name(), accountId), Optional.empty());
        this.ctx = ctx;
        this.timers = timers;
        this.accountId = accountId;
        this.registry = registry;
        this.tuning = tuning;
        this.permits = permits;
        this.shard = shard;
        this.clock = clock;
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(EngineTuning.BLOCKING_DISPATCHER));
        this.settings = settings;
        spawnChildren();
    }

    private void spawnChildren() {
        ActorRef<AccountCommand> self = ctx.getSelf();
        String suffix = childGeneration == 0 ? "" : "-" + childGeneration;
        // a child that throws is restarted; a writer restarted mid-run reports the run as failed
        ActorRef<VaultWatcher.Command> watcher = ctx.spawn(Behaviors.supervise(VaultWatcher.create(settings.source(), self, blocking))
                .onFailure(SupervisorStrategy.restart()), "vault-watcher" + suffix);
        ActorRef<BlobDedup.Command> dedup = ctx.spawn(BlobDedup.create(blocking), "blob-dedup" + suffix);
        debouncer = ctx.spawn(Behaviors.supervise(Debouncer.create(tuning.debounce(), self, clock))
                .onFailure(SupervisorStrategy.restart()), "debouncer" + suffix);
        writer = ctx.spawn(Behaviors.supervise(SnapshotWriter.create(settings, self, watcher, dedup, blocking, clock,
                tuning.fetchTimeout())).onFailure(SupervisorStrategy.restart()), "snapshot-writer" + suffix);
        pruner = ctx.spawn(Pruner.create(settings, self, blocking, clock), "pruner" + suffix);
        children = List.of(watcher, dedup, debouncer, writer, pruner);
    }

    @Override
    public AccountState emptyState() {
        return AccountState.EMPTY;
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(tuning.snapshotEvery(), tuning.keepSnapshots()).withDeleteEventsOnSnapshot();
    }

    @Override
    public EventHandler<AccountState, AccountEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(AccountState::apply);
    }

    @Override
    public SignalHandler<AccountState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::onRecovered)
                .onSignal(RecoveryFailed.class, (state, failed) ->
                        ctx.getLog().error("account {}: its journal cannot be read: {}", accountId, failed.getFailure().toString()))
                .build();
    }

    @Override
    public CommandHandler<AccountCommand, AccountEvent, AccountState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Wake.class, () -> Effect().none())
                .onCommand(VaultChanged.class, this::onVaultChanged)
                .onCommand(BackupDue.class, this::onBackupDue)
                .onCommand(BackupNow.class, this::onBackupNow)
                .onCommand(GetStatus.class, this::onGetStatus)
                .onCommand(Reload.class, this::onReload)
                .onCommand(Passivate.class, () -> Effect().stop())
                .onCommand(RetryDue.class, (state, retry) -> {
                    scheduleWork(state);
                    return Effect().none();
                })
                .onCommand(PermitGranted.class, this::onPermitGranted)
                .onCommand(RunPlanReady.class, this::onPlanReady)
                .onCommand(AccountCommand.RunUnchanged.class, this::onUnchanged)
                .onCommand(RunBlobsReady.class, this::onBlobsReady)
                .onCommand(RunSnapshotReady.class, this::onSnapshotReady)
                .onCommand(RunIndexReady.class, this::onIndexReady)
                .onCommand(RunStepFailed.class, this::onStepFailed)
                .onCommand(RunFoundCommitted.class, this::onFoundCommitted)
                .onCommand(RunRollbackDone.class, this::onRollbackDone)
                .onCommand(RunResolutionFailed.class, this::onResolutionFailed)
                .onCommand(PrunePlanReady.class, this::onPrunePlanReady)
                .onCommand(PruneExecuted.class, this::onPruneExecuted)
                .onCommand(PruneStepFailed.class, this::onPruneStepFailed)
                .build();
    }

    // ---- changes

    private void onRecovered(AccountState state) {
        if (state.runInFlight() != null) {
            ctx.getLog().info("account {}: run {} was interrupted at {}; resolving it", accountId,
                    state.runInFlight().runId(), state.runInFlight().stage());
        }
        if (state.pruneInFlight() != null) {
            ctx.getLog().info("account {}: prune {} was interrupted; continuing it", accountId, state.pruneInFlight().pruneId());
        }
        scheduleWork(state);
    }

    private Effect<AccountEvent, AccountState> onVaultChanged(AccountState state, VaultChanged changed) {
        String known = debouncing ? lastSeenRevision : state.latestRevision();
        if (changed.revision() != null && changed.revision().equals(known)) {
            return Effect().none(); // a source restating what it has
        }
        debouncing = true;
        lastSeenRevision = changed.revision();
        debouncer.tell(new Debouncer.ChangeSeen(changed.revision()));
        return Effect().none();
    }

    private Effect<AccountEvent, AccountState> onBackupDue(AccountState state, BackupDue due) {
        debouncing = false;
        Optional<ChangeRecorded> change = state.recordChange(due.revision(), false, clock.instant());
        if (change.isEmpty()) {
            return Effect().none();
        }
        return Effect().persist(change.get()).thenRun(this::scheduleWork);
    }

    private Effect<AccountEvent, AccountState> onBackupNow(AccountState state, BackupNow now) {
        debouncing = false;
        debouncer.tell(new Debouncer.CancelBurst()); // the run this starts covers the burst
        String revision = lastSeenRevision != null ? lastSeenRevision : state.latestRevision();
        ChangeRecorded change = state.recordChange(revision, true, clock.instant()).orElseThrow();
        return Effect().persist(change).thenRun(this::scheduleWork);
    }

    private Effect<AccountEvent, AccountState> onGetStatus(AccountState state, GetStatus ask) {
        boolean working = this.working != Working.NOTHING;
        ask.replyTo().tell(StatusView.of(accountId, state, new StatusView.Activity(debouncing, awaitingPermit, working)));
        return Effect().none();
    }

    /**
     * New settings take effect between two pieces of work: the children are replaced in place, so
     * no message to the account is lost (as it could be across a passivation). Removed settings
     * stop the entity.
     */
    private Effect<AccountEvent, AccountState> onReload(AccountState state, Reload reload) {
        Optional<AccountSettings> fresh = registry.settings(accountId);
        if (fresh.isEmpty()) {
            ctx.getLog().info("account {} was removed: its entity stops", accountId);
            return passivate();
        }
        if (working != Working.NOTHING) {
            reloadPending = true; // the work in progress finishes with the settings it started with
            return Effect().none();
        }
        children.forEach(ctx::stop);
        settings = fresh.get();
        childGeneration++;
        debouncing = false; // the new watcher reports what its source has
        lastSeenRevision = null;
        spawnChildren();
        scheduleWork(state);
        return Effect().none();
    }

    private Effect<AccountEvent, AccountState> passivate() {
        if (shard == null) {
            return Effect().stop();
        }
        shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
        return Effect().none();
    }

    // ---- scheduling work under a permit

    /** Decides what is due and asks for a permit, or sets the retry timer; idempotent. */
    private void scheduleWork(AccountState state) {
        if (working != Working.NOTHING || awaitingPermit || holdingPermit) {
            return;
        }
        AccountState.Work next = state.nextWork(clock.instant());
        if (next instanceof AccountState.Work.Idle) {
            timers.cancel(RETRY_TIMER);
        } else if (next instanceof AccountState.Work.WaitUntil wait) {
            Duration delay = Duration.between(clock.instant(), wait.at());
            timers.startSingleTimer(RETRY_TIMER, new RetryDue(), delay.isNegative() ? Duration.ZERO : delay);
        } else {
            awaitingPermit = true;
            permits.tell(new RunPermits.Acquire(accountId, ctx.getSelf()));
        }
    }

    private Effect<AccountEvent, AccountState> onPermitGranted(AccountState state, PermitGranted granted) {
        awaitingPermit = false;
        holdingPermit = true;
        if (working != Working.NOTHING) {
            return Effect().none();
        }
        Instant now = clock.instant();
        AccountState.Work next = state.nextWork(now);
        if (next instanceof AccountState.Work.ResolveRun resolve) {
            working = Working.RESOLVE;
            AccountState.RunInFlight run = resolve.run();
            if (!run.planned()) {
                return Effect().persist(new RunRolledBack(run.runId(), 0, now)).thenRun(this::workDone); // nothing was written
            }
            writer.tell(new SnapshotWriter.Resolve(run.runId(), run.snapshotId(), run.snapshotKey(), run.newBlobIds()));
            return Effect().none();
        }
        if (next instanceof AccountState.Work.ContinuePrune prune) {
            working = Working.PRUNE;
            pruner.tell(new Pruner.ExecutePrune(prune.prune().pruneId(), prune.prune().plan()));
            return Effect().none();
        }
        if (next instanceof AccountState.Work.PlanPrune) {
            return planPrune(state);
        }
        if (next instanceof AccountState.Work.StartRun) {
            working = Working.RUN;
            RunStarted started = state.startRun(UUID.randomUUID().toString(), now);
            return Effect().persist(started).thenRun(s -> writer.tell(new SnapshotWriter.Begin(started.runId())));
        }
        workDone(state); // nothing is due any more (backup now was answered meanwhile, or a backoff began)
        return Effect().none();
    }

    private void workDone(AccountState state) {
        working = Working.NOTHING;
        if (holdingPermit) {
            holdingPermit = false;
            permits.tell(new RunPermits.Release(accountId, ctx.getSelf()));
        }
        if (reloadPending) {
            reloadPending = false;
            ctx.getSelf().tell(new Reload());
        }
        scheduleWork(state);
    }

    // ---- the run, step by step: journal the report, then ask for the next step

    private Effect<AccountEvent, AccountState> onPlanReady(AccountState state, RunPlanReady plan) {
        if (!state.expects(plan.runId(), RunStage.STARTED)) {
            return stale(plan);
        }
        return Effect().persist(new RunPlanned(plan.runId(), plan.snapshotId(), plan.snapshotKey(), plan.newBlobIds(), plan.stats()))
                .thenRun(s -> writer.tell(new SnapshotWriter.StoreBlobs(plan.runId())));
    }

    private Effect<AccountEvent, AccountState> onUnchanged(AccountState state, AccountCommand.RunUnchanged unchanged) {
        if (!state.expects(unchanged.runId(), RunStage.STARTED)) {
            return stale(unchanged);
        }
        ctx.getLog().info("account {}: unchanged since snapshot {}; nothing committed", accountId, unchanged.snapshotId());
        AccountEvent.RunUnchanged event = new AccountEvent.RunUnchanged(unchanged.runId(), unchanged.snapshotId(), clock.instant(),
                unchanged.warnings());
        return Effect().persist(event).thenRun(s -> {
            publish(new BackupNotice.Unchanged(accountId, event.runId(), event.snapshotId(), event.at()));
            workDone(s);
        });
    }

    private Effect<AccountEvent, AccountState> onBlobsReady(AccountState state, RunBlobsReady blobs) {
        if (!state.expects(blobs.runId(), RunStage.PLANNED)) {
            return stale(blobs);
        }
        return Effect().persist(new BlobsStored(blobs.runId(), blobs.blobIds()))
                .thenRun(s -> writer.tell(new SnapshotWriter.WriteSnapshot(blobs.runId())));
    }

    private Effect<AccountEvent, AccountState> onSnapshotReady(AccountState state, RunSnapshotReady snapshot) {
        if (!state.expects(snapshot.runId(), RunStage.BLOBS_STORED)) {
            return stale(snapshot);
        }
        return Effect().persist(new SnapshotWritten(snapshot.runId(), snapshot.snapshotId(), snapshot.snapshotKey(), snapshot.storedSize()))
                .thenRun(s -> writer.tell(new SnapshotWriter.CommitIndex(snapshot.runId())));
    }

    private Effect<AccountEvent, AccountState> onIndexReady(AccountState state, RunIndexReady index) {
        if (!state.expects(index.runId(), RunStage.SNAPSHOT_WRITTEN)) {
            return stale(index);
        }
        return committed(new IndexCommitted(index.runId(), index.snapshotId(), index.indexGeneration(), index.createdAt(), false,
                index.warnings()));
    }

    private Effect<AccountEvent, AccountState> onFoundCommitted(AccountState state, RunFoundCommitted found) {
        if (!state.inFlight(found.runId())) {
            return stale(found);
        }
        ctx.getLog().info("account {}: run {} had committed snapshot {} before the journal recorded it",
                accountId, found.runId(), found.snapshotId());
        return committed(new IndexCommitted(found.runId(), found.snapshotId(), found.indexGeneration(), found.createdAt(), true,
                List.of()));
    }

    private Effect<AccountEvent, AccountState> committed(IndexCommitted event) {
        return Effect().persist(event).thenRun(s -> {
            publish(new BackupNotice.SnapshotCommitted(accountId, event.runId(), event.snapshotId(),
                    event.snapshotCreatedAt(), event.foundOnRecovery(), event.warnings()));
            if (settings.retentionMax() > 0) {
                working = Working.PLAN_PRUNE;
                pruner.tell(new Pruner.PlanPrune());
            } else {
                workDone(s); // retention is due: the next piece of work records that nothing is to prune
            }
        });
    }

    /** Retention left over from a commit (after a crash, or a failed plan): plan it now, under the permit held. */
    private Effect<AccountEvent, AccountState> planPrune(AccountState state) {
        working = Working.PLAN_PRUNE;
        if (settings.retentionMax() <= 0) {
            return Effect().persist(new RetentionChecked(clock.instant())).thenRun(this::workDone);
        }
        pruner.tell(new Pruner.PlanPrune());
        return Effect().none();
    }

    private Effect<AccountEvent, AccountState> onStepFailed(AccountState state, RunStepFailed failed) {
        if (!state.inFlight(failed.runId())) {
            return stale(failed);
        }
        Instant now = clock.instant();
        RunFailed event = new RunFailed(failed.runId(), failed.stage(), failed.kind(), failed.message(), now,
                state.retryAfterNextFailure(tuning.backoff(), now, ThreadLocalRandom.current().nextDouble()));
        return Effect().persist(event).thenRun(s -> {
            announceFailure(s, event.runId(), event);
            AccountState.RunInFlight left = s.runInFlight();
            if (left != null && left.runId().equals(failed.runId())) {
                // it wrote (or may have written) objects: settle them while still holding the permit
                working = Working.RESOLVE;
                writer.tell(new SnapshotWriter.Resolve(left.runId(), left.snapshotId(), left.snapshotKey(), left.newBlobIds()));
            } else {
                workDone(s);
            }
        });
    }

    private Effect<AccountEvent, AccountState> onRollbackDone(AccountState state, RunRollbackDone done) {
        if (!state.inFlight(done.runId())) {
            return stale(done);
        }
        return Effect().persist(new RunRolledBack(done.runId(), done.deletedObjects(), clock.instant())).thenRun(this::workDone);
    }

    private Effect<AccountEvent, AccountState> onResolutionFailed(AccountState state, RunResolutionFailed failed) {
        if (!state.inFlight(failed.runId())) {
            return stale(failed);
        }
        Instant now = clock.instant();
        RunFailed event = new RunFailed(failed.runId(), RunStage.FAILED, failed.kind(), failed.message(), now,
                state.retryAfterNextFailure(tuning.backoff(), now, ThreadLocalRandom.current().nextDouble()));
        return Effect().persist(event).thenRun(s -> {
            announceFailure(s, failed.runId(), event);
            workDone(s);
        });
    }

    // ---- retention

    private Effect<AccountEvent, AccountState> onPrunePlanReady(AccountState state, PrunePlanReady ready) {
        if (working != Working.PLAN_PRUNE) {
            return stale(ready);
        }
        if (ready.plan() == null) {
            return Effect().persist(new RetentionChecked(clock.instant())).thenRun(this::workDone);
        }
        String pruneId = UUID.randomUUID().toString();
        return Effect().persist(new PrunePlanned(pruneId, ready.plan(), clock.instant())).thenRun(s -> {
            working = Working.PRUNE;
            pruner.tell(new Pruner.ExecutePrune(pruneId, ready.plan()));
        });
    }

    private Effect<AccountEvent, AccountState> onPruneExecuted(AccountState state, PruneExecuted done) {
        if (state.pruneInFlight() == null || !state.pruneInFlight().pruneId().equals(done.pruneId())) {
            return stale(done);
        }
        return Effect().persist(new PruneCompleted(done.pruneId(), done.indexKey(), done.deletedSnapshots(),
                done.deletedBlobs(), clock.instant())).thenRun(s -> {
                    publish(new BackupNotice.SnapshotsPruned(accountId, done.pruneId(), done.deletedSnapshots(), done.deletedBlobs()));
                    workDone(s);
                });
    }

    private Effect<AccountEvent, AccountState> onPruneStepFailed(AccountState state, PruneStepFailed failed) {
        if (working != Working.PLAN_PRUNE && working != Working.PRUNE) {
            return stale(failed);
        }
        Instant now = clock.instant();
        PruneFailed event = new PruneFailed(failed.pruneId(), failed.kind(), failed.message(), now,
                state.retryAfterNextFailure(tuning.backoff(), now, ThreadLocalRandom.current().nextDouble()));
        return Effect().persist(event).thenRun(s -> {
            ctx.getLog().warn("account {}: prune failed ({}): {}; retry at {}", accountId, failed.kind(), failed.message(), s.nextRetryAt());
            publish(new BackupNotice.BackupFailed(accountId, null, failed.kind(), failed.message(),
                    s.consecutiveFailures(), s.nextRetryAt()));
            workDone(s);
        });
    }

    // ---- helpers

    private void announceFailure(AccountState state, String runId, RunFailed event) {
        ctx.getLog().warn("account {}: run {} failed at {} ({}): {}; attempt {} failed, retry at {}", accountId, runId,
                event.stage(), event.kind(), event.message(), state.consecutiveFailures(), state.nextRetryAt());
        publish(new BackupNotice.BackupFailed(accountId, runId, event.kind(), event.message(),
                state.consecutiveFailures(), state.nextRetryAt()));
    }

    private void publish(BackupNotice notice) {
        ctx.getSystem().eventStream().tell(new EventStream.Publish<>(notice));
    }

    private Effect<AccountEvent, AccountState> stale(AccountCommand report) {
        ctx.getLog().debug("account {}: ignoring a report that does not match the journal: {}", accountId, report);
        return Effect().none();
    }
}
