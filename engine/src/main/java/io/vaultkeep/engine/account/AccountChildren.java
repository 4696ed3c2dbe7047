package io.vaultkeep.engine.account;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * An account entity's reach: its children (watcher, debouncer, writer, dedup), made from its
 * current settings and replaced with them, the pruning steps ({@link Pruner}, no actor), the node's run permits, its retry timer, the event stream
 * and its log. It carries out the actions {@link Account} decides, and decides nothing.
 */
final class AccountChildren implements Account.World {

    private static final String RETRY_TIMER = "retry";
    private static final String PERMIT_REMINDER = "permit-reminder";
    /** Long enough never to matter while the permits work, short enough that a lost request costs little. */
    private static final Duration PERMIT_REMINDER_INTERVAL = Duration.ofSeconds(30);

    private final String accountId;
    private final ActorContext<AccountCommand> ctx;
    private final TimerScheduler<AccountCommand> timers;
    private final Supplier<Optional<AccountSettings>> settingsHere;
    private final EngineTuning tuning;
    private final ActorRef<RunPermits.Command> permits;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final Clock clock;
    private final Executor blocking;

    // the settings and the children made from them; replaced together when the settings change
    private AccountSettings settings;
    private int childGeneration;
    private List<ActorRef<?>> children = List.of();
    private ActorRef<VaultWatcher.Command> watcher;
    private ActorRef<Debouncer.Command> debouncer;
    private ActorRef<SnapshotWriter.Command> writer;
    /** The run whose vault was last asked for, and when: its end notice gives the run's duration. */
    private String timedRunId;
    private java.time.Instant timedRunStart;

    AccountChildren(ActorContext<AccountCommand> ctx, TimerScheduler<AccountCommand> timers, String accountId,
                    Supplier<Optional<AccountSettings>> settingsHere, AccountSettings settings, EngineTuning tuning,
                    ActorRef<RunPermits.Command> permits, ActorRef<ClusterSharding.ShardCommand> shard, Clock clock) {
        this.ctx = ctx;
        this.timers = timers;
        this.accountId = accountId;
        this.settingsHere = settingsHere;
        this.tuning = tuning;
        this.permits = permits;
        this.shard = shard;
        this.clock = clock;
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(EngineTuning.BLOCKING_DISPATCHER));
        this.settings = settings;
        spawnChildren();
    }

    AccountSettings settings() {
        return settings;
    }

    private void spawnChildren() {
        ActorRef<AccountCommand> self = ctx.getSelf();
        String suffix = childGeneration == 0 ? "" : "-" + childGeneration;
        // a child that throws is restarted; a writer restarted mid-run reports the run as failed
        OpenRuns openRuns = new OpenRuns(message -> ctx.getLog().debug("account {}: {}", accountId, message));
        debouncer = ctx.spawn(Behaviors.supervise(Debouncer.create(tuning.debounce(), self, clock))
                .onFailure(SupervisorStrategy.restart()), "debouncer" + suffix);
        writer = ctx.spawn(Behaviors.supervise(SnapshotWriter.create(settings, self, openRuns, blocking, clock, tuning.stepTimeout()))
                .onFailure(SupervisorStrategy.restart()), "snapshot-writer" + suffix);
        // a run's vault goes watcher → dedup (which plans it) → writer (which finishes it), never back
        ActorRef<BlobDedup.Command> dedup = ctx.spawn(Behaviors.supervise(BlobDedup.create(settings, self, writer, openRuns,
                blocking, clock, tuning.stepTimeout())).onFailure(SupervisorStrategy.restart()), "blob-dedup" + suffix);
        watcher = ctx.spawn(Behaviors.supervise(VaultWatcher.create(settings.source(), self, dedup, blocking, tuning.fetchTimeout()))
                .onFailure(SupervisorStrategy.restart()), "vault-watcher" + suffix);
        children = List.of(watcher, dedup, debouncer, writer);
    }

    @Override
    public void watcher(VaultWatcher.Command command) {
        if (command instanceof VaultWatcher.FetchFor fetch) {
            timedRunId = fetch.runId();
            timedRunStart = clock.instant();
        }
        watcher.tell(command);
    }

    @Override
    public void debouncer(Debouncer.Command command) {
        debouncer.tell(command);
    }

    @Override
    public void permit(boolean take) {
        permits.tell(take ? new RunPermits.Acquire(accountId, ctx.getSelf()) : new RunPermits.Release(accountId, ctx.getSelf()));
        if (take) {
            timers.startSingleTimer(PERMIT_REMINDER, new AccountCommand.PermitReminder(), PERMIT_REMINDER_INTERVAL);
        }
    }

    @Override
    public void retryTimer(Duration delay) {
        if (delay == null) {
            timers.cancel(RETRY_TIMER);
        } else {
            timers.startSingleTimer(RETRY_TIMER, new AccountCommand.RetryDue(), delay);
        }
    }

    @Override
    public void writer(SnapshotWriter.Command command) {
        writer.tell(command);
    }

    @Override
    public void pruner(Pruner.Command command) {
        Pruner.carryOut(command, settings, ctx.getSelf(), blocking, clock, tuning.stepTimeout());
    }

    @Override
    public void publish(BackupNotice notice) {
        String runId = notice instanceof BackupNotice.SnapshotCommitted c ? c.runId()
                : notice instanceof BackupNotice.Unchanged u ? u.runId()
                : notice instanceof BackupNotice.BackupFailed f ? f.runId() : null;
        if (timedRunId != null && timedRunId.equals(runId)) {
            EngineMeters.get(ctx.getSystem()).run(accountId, Duration.between(timedRunStart, clock.instant()));
            timedRunId = null;
        }
        ctx.getSystem().eventStream().tell(new EventStream.Publish<>(notice));
    }

    @Override
    public void log(Account.Level level, String message) {
        switch (level) {
            case DEBUG -> ctx.getLog().debug("account {}: {}", accountId, message);
            case INFO -> ctx.getLog().info("account {}: {}", accountId, message);
            case WARN -> ctx.getLog().warn("account {}: {}", accountId, message);
        }
    }

    @Override
    public void replaceChildren() {
        children.forEach(ctx::stop);
        settingsHere.get().ifPresent(fresh -> settings = fresh);
        childGeneration++;
        spawnChildren();
    }

    @Override
    public void passivate() {
        passivate(ctx, shard);
    }

    /** Asks the shard to stop the entity, so that what comes meanwhile waits for its next incarnation. */
    static void passivate(ActorContext<AccountCommand> ctx, ActorRef<ClusterSharding.ShardCommand> shard) {
        if (shard == null) {
            ctx.getSelf().tell(new AccountCommand.Passivate()); // not run by sharding (tests): stop as sharding would ask
        } else {
            shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
        }
    }

    @Override
    public void reload() {
        ctx.getSelf().tell(new AccountCommand.Reload());
    }
}
