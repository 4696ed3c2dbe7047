package io.vaultkeep.engine.account;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Signal;
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
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import scala.Tuple2;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * One account's journaled brain, a Cluster Sharding entity. It decides nothing itself: {@link Account}
 * decides on every input; this shell journals the events, replies, and hands the actions to
 * {@link AccountChildren}, which carries them out (children, run permits, timer, event stream, log).
 */
public final class AccountBackup extends EventSourcedBehavior<AccountCommand, AccountEvent, AccountState> {

    public static final EntityTypeKey<AccountCommand> ENTITY_TYPE = EntityTypeKey.create(AccountCommand.class, "account");

    private static final String SETTINGS_TIMER = "settings-wait";

    private final String accountId;
    private final ActorContext<AccountCommand> ctx;
    private final TimerScheduler<AccountCommand> timers;
    private final SettingsSource settingsSource;
    private final EngineTuning tuning;
    private final ActorRef<RunPermits.Command> permits;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final Clock clock;
    /** Made once this node has the account's settings: null while the entity waits for them. */
    private AccountChildren children;
    private SettingsWait settingsWait;
    /** Why the entity last found no settings here, as logged: a new reason while it waits is logged too. */
    private String missingBecause;
    private Account.Activity activity = Account.Activity.IDLE;

    /**
     * Registers the entity type with sharding. Settings come from this node's {@code settings} by
     * account id when an entity starts; an entity whose account the node has no settings for (yet)
     * waits for them (see {@link SettingsWait} and {@link SettingsLookup}).
     */
    public static ActorRef<ShardingEnvelope<AccountCommand>> init(ClusterSharding sharding, SettingsSource settings,
                                                                   ActorRef<RunPermits.Command> permits, EngineTuning tuning,
                                                                   SettingsWait.Limits wait) {
        // the node's tuning and wait limits, read once by the engine: not a copy kept by every entity
        return sharding.init(Entity.of(ENTITY_TYPE, entity -> create(entity.getEntityId(), settings, permits, entity.getShard(),
                        Clock.systemUTC(), tuning, wait))
                .withStopMessage(new AccountCommand.Passivate()));
    }

    /**
     * The entity with the given tuning and settings wait (null: from the actor system's config).
     *
     * @param shard the entity's shard, for passivation; null when not run by sharding (tests)
     */
    public static Behavior<AccountCommand> create(String accountId, AccountRegistry registry,
                                                  ActorRef<RunPermits.Command> permits,
                                                  ActorRef<ClusterSharding.ShardCommand> shard, Clock clock,
                                                  EngineTuning tuningOrNull, SettingsWait.Limits waitOrNull) {
        return create(accountId, SettingsSource.local(registry), permits, shard, clock, tuningOrNull, waitOrNull);
    }

    /** As above, with settings from {@code settings} (a node of a cluster, a resolver). */
    public static Behavior<AccountCommand> create(String accountId, SettingsSource settings,
                                                  ActorRef<RunPermits.Command> permits,
                                                  ActorRef<ClusterSharding.ShardCommand> shard, Clock clock,
                                                  EngineTuning tuningOrNull, SettingsWait.Limits waitOrNull) {
        return Behaviors.setup(ctx -> {
            var config = ctx.getSystem().settings().config();
            EngineTuning tuning = tuningOrNull != null ? tuningOrNull : EngineTuning.fromConfig(config);
            SettingsWait.Limits wait = waitOrNull != null ? waitOrNull : SettingsWait.Limits.fromConfig(config);
            return Behaviors.withTimers(timers ->
                    new AccountBackup(ctx, timers, accountId, settings, tuning, wait, permits, shard, clock));
        });
    }

    private AccountBackup(ActorContext<AccountCommand> ctx, TimerScheduler<AccountCommand> timers, String accountId,
                          SettingsSource settingsSource, EngineTuning tuning, SettingsWait.Limits wait,
                          ActorRef<RunPermits.Command> permits, ActorRef<ClusterSharding.ShardCommand> shard, Clock clock) {
        super(PersistenceId.of(ENTITY_TYPE.name(), accountId), Optional.empty());
        this.ctx = ctx;
        this.timers = timers;
        this.accountId = accountId;
        this.settingsSource = settingsSource;
        this.tuning = tuning;
        this.permits = permits;
        this.shard = shard;
        this.clock = clock;
        SettingsLookup lookup = settingsSource.lookup(accountId);
        Optional<AccountSettings> settings = lookup.settings();
        this.settingsWait = SettingsWait.atStart(settings.isPresent(), wait);
        if (settings.isPresent()) {
            makeChildren(settings.get());
        } else {
            missingBecause = lookup.missingBecause().orElseThrow();
            // recovery still runs meanwhile, so status shows what the journal knows (an interrupted run too)
            ctx.getLog().warn("account {} has no settings on node {}: {}; its entity waits up to {} for them",
                    accountId, ctx.getSystem().address(), lookup.missingBecause().orElseThrow(), wait.patience());
            timers.startSingleTimer(SETTINGS_TIMER, new AccountCommand.SettingsWaitOver(), wait.patience());
        }
    }

    /**
     * The only way to the account's settings: this node's registration or resolver, while the account
     * is registered in the cluster (nothing is journaled or sent between nodes).
     */
    private Optional<AccountSettings> settingsHere() {
        return settingsSource.settings(accountId);
    }

    private void makeChildren(AccountSettings settings) {
        children = new AccountChildren(ctx, timers, accountId, this::settingsHere, settings, tuning, permits, shard, clock);
    }

    @Override
    public AccountState emptyState() {
        return AccountState.EMPTY;
    }

    /**
     * Every event carries this tag, so that the notifier reads all accounts' events in journal
     * order with one {@code eventsByTag} query and one offset (events from before tagging have none).
     */
    public static final String NOTIFY_TAG = "account";
    private static final java.util.Set<String> TAGS = java.util.Set.of(NOTIFY_TAG);

    @Override
    public java.util.Set<String> tagsFor(AccountEvent event) {
        return TAGS;
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(tuning.snapshotEvery(), tuning.keepSnapshots()).withDeleteEventsOnSnapshot();
    }

    @Override
    public EventHandler<AccountState, AccountEvent> eventHandler() {
        // one handler for every entity (it captures nothing), not a builder's cases made per entity
        return APPLY;
    }

    private static final EventHandler<AccountState, AccountEvent> APPLY = (state, event) -> event.applyTo(state);

    @Override
    public SignalHandler<AccountState> signalHandler() {
        return new SignalHandler<>(new Signals());
    }

    /**
     * What the builder's two {@code onSignal}s did, as one function of the entity's: the builder's
     * chain (its cases, their lambdas and two {@code orElse}) was kept by every entity.
     */
    private final class Signals extends AbstractPartialFunction<Tuple2<AccountState, Signal>, BoxedUnit> {
        @Override
        public boolean isDefinedAt(Tuple2<AccountState, Signal> stateAndSignal) {
            Signal signal = stateAndSignal._2();
            return RecoveryCompleted.instance().equals(signal) || signal instanceof RecoveryFailed;
        }

        @Override
        public BoxedUnit apply(Tuple2<AccountState, Signal> stateAndSignal) {
            Signal signal = stateAndSignal._2();
            if (RecoveryCompleted.instance().equals(signal)) {
                // recovery decides no events (a signal handler cannot persist), only what to take up
                if (children != null) { // a waiting entity takes up what recovery found once its settings come
                    carry(stateAndSignal._1(), Account::onRecovered);
                }
            } else if (signal instanceof RecoveryFailed failed) {
                ctx.getLog().error("account {}: its journal cannot be read: {}", accountId, failed.getFailure().toString());
            } else {
                throw new scala.MatchError(signal); // as a partial function applied outside its domain
            }
            return BoxedUnit.UNIT;
        }
    }

    @Override
    public CommandHandler<AccountCommand, AccountEvent, AccountState> commandHandler() {
        return (state, command) -> {
            SettingsWait before = settingsWait;
            SettingsLookup lookup = before.ready() ? null : settingsSource.lookup(accountId); // looked up once
            Optional<AccountSettings> here = lookup == null ? Optional.empty() : lookup.settings();
            SettingsWait.Next next = before.on(command, here.isPresent());
            settingsWait = next.after();
            if (lookup != null && next.after().phase() == SettingsWait.Phase.WAITING) {
                lookup.missingBecause().filter(why -> !why.equals(missingBecause)).ifPresent(why -> {
                    missingBecause = why; // e.g. the node has heard of the registration now, but has no resolver
                    ctx.getLog().warn("account {} still has no settings on node {}: {}", accountId, ctx.getSystem().address(), why);
                });
            }
            return switch (next.verdict()) {
                case HANDLE -> ready(state, command);
                case TAKE_SETTINGS -> takeSettings(state, here.orElseThrow());
                case STASH -> Effect().stash();
                case DROP -> dropped(command, next.after().overflowedNow(before));
                case ANSWER_STATUS -> {
                    ((AccountCommand.GetStatus) command).replyTo().tell(StatusView.waitingForSettings(accountId, state).onNode(node()));
                    yield Effect().none();
                }
                case STOP -> Effect().stop();
                case GIVE_UP -> giveUp();
                case LEAVE -> leave();
                case IGNORE -> Effect().none();
            };
        };
    }

    /** The registration came: the entity starts as if its settings had been here from the start, then replays its stash. */
    private Effect<AccountEvent, AccountState> takeSettings(AccountState state, AccountSettings settings) {
        timers.cancel(SETTINGS_TIMER);
        makeChildren(settings);
        ctx.getLog().info("account {}: registered on node {}; its entity starts", accountId, ctx.getSystem().address());
        return carry(state, Account::onRecovered).thenUnstashAll();
    }

    private Effect<AccountEvent, AccountState> giveUp() {
        ctx.getLog().warn("account {} still has no settings on node {} after {} ({}): its entity stops, dropping {} "
                        + "waiting command(s); the next one sent to it starts it again", accountId, ctx.getSystem().address(),
                settingsWait.limits().patience(), settingsSource.lookup(accountId).missingBecause().orElse("they came just now"),
                settingsWait.stashed());
        AccountChildren.passivate(ctx, shard);
        return Effect().unstashAll(); // each comes back as dropped
    }

    private Effect<AccountEvent, AccountState> leave() {
        ctx.getLog().info("account {} was removed while its entity waited for settings on node {}: it stops, dropping {} "
                + "waiting command(s)", accountId, ctx.getSystem().address(), settingsWait.stashed());
        timers.cancel(SETTINGS_TIMER);
        AccountChildren.passivate(ctx, shard);
        return Effect().unstashAll(); // each comes back as dropped
    }

    private Effect<AccountEvent, AccountState> dropped(AccountCommand command, boolean stashJustFull) {
        if (stashJustFull) {
            ctx.getLog().warn("account {}: {} commands already wait for its settings on node {} (settings-wait-stash): "
                    + "more are dropped", accountId, settingsWait.stashed(), ctx.getSystem().address());
        } else {
            ctx.getLog().debug("account {}: {} dropped, the entity has no settings on this node", accountId,
                    command.getClass().getSimpleName());
        }
        return Effect().none();
    }

    /** This node as {@code host:port}, so that a status asked through any node says where the account runs. */
    private String node() {
        return io.vaultkeep.engine.cluster.ClusterMembers.node(ctx.getSystem().address());
    }

    /**
     * The entity's commands once it has its settings. One method rather than a handler built per
     * entity with {@code newCommandHandlerBuilder}: that builds some twenty cases and forty lambdas
     * for every entity, which an idle account kept for its whole life.
     */
    private Effect<AccountEvent, AccountState> ready(AccountState s, AccountCommand c) {
        if (c instanceof AccountCommand.Wake) {
            return Effect().none();
        } else if (c instanceof AccountCommand.GetStatus ask) {
            ask.replyTo().tell(StatusView.of(accountId, activity.shown(s), activity.view()).onNode(node()));
            return Effect().none();
        } else if (c instanceof AccountCommand.Passivate) {
            return Effect().stop();
        } else if (c instanceof AccountCommand.Reload) {
            return carry(s, a -> a.onReload(settingsHere().isPresent()));
        } else if (c instanceof AccountCommand.Unregistered) {
            // every node that learns of a removal sends this: only the one it leaves without settings acts
            return settingsHere().isPresent() ? Effect().none() : carry(s, a -> a.onReload(false));
        } else if (c instanceof AccountCommand.VaultChanged m) {
            return carry(s, a -> a.onVaultChanged(m.revision()));
        } else if (c instanceof AccountCommand.BackupDue m) {
            return carry(s, a -> a.onBackupDue(m.revision()));
        } else if (c instanceof AccountCommand.BackupNow) {
            return carry(s, Account::onBackupNow);
        } else if (c instanceof AccountCommand.RetryDue) {
            return carry(s, Account::onRetryDue);
        } else if (c instanceof AccountCommand.PermitGranted) {
            return carry(s, Account::onPermitGranted);
        } else if (c instanceof AccountCommand.PermitReminder) {
            return carry(s, Account::onPermitReminder);
        } else if (c instanceof AccountCommand.DebounceCheck) {
            children.debounceCheck();
            return Effect().none();
        } else if (c instanceof AccountCommand.RunPlanReady m) {
            return carry(s, a -> a.onPlanReady(m));
        } else if (c instanceof AccountCommand.RunUnchanged m) {
            return carry(s, a -> a.onUnchanged(m));
        } else if (c instanceof AccountCommand.RunProgress m) {
            return carry(s, a -> a.onProgress(m));
        } else if (c instanceof AccountCommand.RunIndexReady m) {
            return carry(s, a -> a.onIndexReady(m));
        } else if (c instanceof AccountCommand.RunStepFailed m) {
            return carry(s, a -> a.onStepFailed(m));
        } else if (c instanceof AccountCommand.RunFoundCommitted m) {
            return carry(s, a -> a.onFoundCommitted(m));
        } else if (c instanceof AccountCommand.RunRollbackDone m) {
            return carry(s, a -> a.onRollbackDone(m));
        } else if (c instanceof AccountCommand.RunResolutionFailed m) {
            return carry(s, a -> a.onResolutionFailed(m));
        } else if (c instanceof AccountCommand.PrunePlanReady m) {
            return carry(s, a -> a.onPrunePlanReady(m));
        } else if (c instanceof AccountCommand.PruneExecuted m) {
            return carry(s, a -> a.onPruneExecuted(m));
        } else if (c instanceof AccountCommand.PruneStepFailed m) {
            return carry(s, a -> a.onPruneStepFailed(m));
        }
        // as the builder did (a MatchError): only SettingsWaitOver is left, and the settings wait never hands it on
        throw new IllegalArgumentException("account " + accountId + ": no handler for command " + c.getClass().getName());
    }

    /** Asks {@link Account} to decide, journals its events, then carries out its actions. */
    private EffectBuilder<AccountEvent, AccountState> carry(AccountState state, Function<Account, Account.Decision> decide) {
        Account.Moment moment = new Account.Moment(clock.instant(), ThreadLocalRandom.current().nextDouble(),
                UUID.randomUUID().toString());
        Account.Decision decision = decide.apply(new Account(accountId, state, activity, children.settings().retentionMax(),
                tuning.backoff(), moment));
        activity = decision.activity();
        if (decision.events().isEmpty()) {
            decision.actions().forEach(action -> action.runOn(children));
            return Effect().none();
        }
        long persisting = System.nanoTime();
        return Effect().persist(decision.events()).thenRun(after -> {
            EngineMeters.get(ctx.getSystem()).journalWrite(java.time.Duration.ofNanos(System.nanoTime() - persisting));
            decision.actions().forEach(action -> action.runOn(children));
        });
    }
}
