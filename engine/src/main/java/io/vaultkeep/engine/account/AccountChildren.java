package io.vaultkeep.engine.account;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import io.vaultkeep.storage.repository.IndexCache;
import org.apache.pekko.actor.Cancellable;
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
 * An account entity's reach: its children (watcher, writer, dedup), its debouncer, made from its
 * current settings and replaced with them, the pruning steps ({@link Pruner}, no actor), the node's
 * run permits, its retry timer, the event stream and its log. It carries out the actions
 * {@link Account} decides, and decides nothing.
 *
 * <p>An idle account should cost little heap, and most accounts are idle most of the time: the
 * debouncer is no actor but the entity's timer, the writer and the dedup exist only while the
 * account holds a run permit (every run, resolution and prune happens under one), and the indexes
 * the dedup read are kept here, for a while after the newest run ({@link BlobDedup#KEEP_INDEXES}).
 */
final class AccountChildren implements Account.World {

    private static final String RETRY_TIMER = "retry";
    private static final String PERMIT_REMINDER = "permit-reminder";
    private static final String DEBOUNCE_TIMER = "debounce";
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
    /** The burst being debounced: the entity's timer checks it (no actor of its own). */
    private final Debouncer debouncer;
    // spawned for the work of one permit, stopped when it is given back (null meanwhile)
    private ActorRef<SnapshotWriter.Command> writer;
    private ActorRef<BlobDedup.Command> dedup;
    private int workers;
    /** The indexes read by this account's runs, kept across a burst of runs; null once forgotten. */
    private final AtomicReference<IndexCache> knownIndexes = new AtomicReference<>();
    private Cancellable forgetIndexes;
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
        this.debouncer = new Debouncer(tuning.debounce());
        spawnChildren();
    }

    AccountSettings settings() {
        return settings;
    }

    private void spawnChildren() {
        ActorRef<AccountCommand> self = ctx.getSelf();
        // the first watcher's name is the literal itself: "vault-watcher" + "" would be a string of every account's own
        String name = childGeneration == 0 ? "vault-watcher" : "vault-watcher-" + childGeneration;
        // a child that throws is restarted
        watcher = ctx.spawn(Behaviors.supervise(VaultWatcher.create(settings.source(), self, blocking, tuning.fetchTimeout()))
                .onFailure(SupervisorStrategy.restart()), name);
        children = List.of(watcher);
    }

    /** The writer and the dedup, for the work of the permit just taken; the writer closes what they opened when it stops. */
    private void spawnWorkers() {
        if (writer != null) {
            return;
        }
        ActorRef<AccountCommand> self = ctx.getSelf();
        String suffix = "-" + ++workers; // a stopped child's name is free only once it has terminated
        OpenRuns openRuns = new OpenRuns(message -> ctx.getLog().debug("account {}: {}", accountId, message));
        writer = ctx.spawn(Behaviors.supervise(SnapshotWriter.create(settings, self, openRuns, blocking, clock, tuning.stepTimeout()))
                .onFailure(SupervisorStrategy.restart()), "snapshot-writer" + suffix);
        // a run's vault goes watcher → dedup (which plans it) → writer (which finishes it), never back
        dedup = ctx.spawn(Behaviors.supervise(BlobDedup.create(settings, self, writer, openRuns, indexes(),
                blocking, clock, tuning.stepTimeout())).onFailure(SupervisorStrategy.restart()), "blob-dedup" + suffix);
    }

    private void stopWorkers() {
        if (writer != null) {
            ctx.stop(dedup);
            ctx.stop(writer);
            writer = null;
            dedup = null;
        }
    }

    private IndexCache indexes() {
        return knownIndexes.updateAndGet(kept -> kept != null ? kept : new IndexCache());
    }

    /**
     * The indexes are forgotten {@link BlobDedup#KEEP_INDEXES} after the newest run started; on the
     * scheduler's thread, not this actor's, hence the atomic reference.
     */
    private void keepIndexes() {
        if (forgetIndexes != null) {
            forgetIndexes.cancel();
        }
        IndexCache kept = indexes();
        forgetIndexes = ctx.getSystem().scheduler().scheduleOnce(BlobDedup.KEEP_INDEXES,
                () -> knownIndexes.compareAndSet(kept, null), ctx.getExecutionContext());
    }

    @Override
    public void watcher(VaultWatcher.Command command) {
        if (command instanceof VaultWatcher.FetchFor fetch) {
            timedRunId = fetch.runId();
            timedRunStart = clock.instant();
            spawnWorkers();
            keepIndexes();
            watcher.tell(fetch.to(dedup));
            return;
        }
        watcher.tell(command);
    }

    @Override
    public void debouncer(Debouncer.Command command) {
        if (command instanceof Debouncer.ChangeSeen change) {
            timers.startSingleTimer(DEBOUNCE_TIMER, new AccountCommand.DebounceCheck(), debouncer.change(clock.instant(), change.revision()));
        } else {
            debouncer.cancel();
            timers.cancel(DEBOUNCE_TIMER);
        }
    }

    /** The debounce timer fired: a burst that is over is told to the entity, as the debouncer actor told it. */
    void debounceCheck() {
        Debouncer.Check check = debouncer.check(clock.instant());
        if (check.due()) {
            ctx.getSelf().tell(new AccountCommand.BackupDue(check.revision()));
        } else if (check.again() != null) {
            timers.startSingleTimer(DEBOUNCE_TIMER, new AccountCommand.DebounceCheck(), check.again());
        }
    }

    @Override
    public void permit(boolean take) {
        permits.tell(take ? new RunPermits.Acquire(accountId, ctx.getSelf()) : new RunPermits.Release(accountId, ctx.getSelf()));
        if (take) {
            timers.startSingleTimer(PERMIT_REMINDER, new AccountCommand.PermitReminder(), PERMIT_REMINDER_INTERVAL);
        } else {
            stopWorkers(); // the work the permit covered is over (the account works only under a permit)
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
        spawnWorkers(); // a resolution after recovery starts with the writer
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
            timedRunStart = null; // an idle account keeps neither
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
        debouncer(new Debouncer.CancelBurst()); // as the debouncer stopped with the children did
        stopWorkers();
        // another repository, perhaps: what was read of the old one is not trusted for it
        if (forgetIndexes != null) {
            forgetIndexes.cancel();
        }
        knownIndexes.set(null);
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
