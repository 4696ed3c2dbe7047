package io.vaultkeep.engine.account;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
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
 * One account's journaled brain, a Cluster Sharding entity. It decides nothing itself: {@link Account}
 * decides on every input; this shell journals the events, replies, and hands the actions to
 * {@link AccountChildren}, which carries them out (children, run permits, timer, event stream, log).
 */
public final class AccountBackup extends EventSourcedBehavior<AccountCommand, AccountEvent, AccountState> {

    public static final EntityTypeKey<AccountCommand> ENTITY_TYPE = EntityTypeKey.create(AccountCommand.class, "account");

    private final String accountId;
    private final ActorContext<AccountCommand> ctx;
    private final AccountRegistry registry;
    private final EngineTuning tuning;
    private final Clock clock;
    private final AccountChildren children;
    private Account.Activity activity = Account.Activity.IDLE;

    /**
     * Registers the entity type with sharding. Settings come from the registry by account id when
     * an entity starts; an id the registry does not know stops its entity at once.
     */
    public static ActorRef<ShardingEnvelope<AccountCommand>> init(ClusterSharding sharding, AccountRegistry registry,
                                                                   ActorRef<RunPermits.Command> permits) {
        return sharding.init(Entity.of(ENTITY_TYPE,
                        entity -> create(entity.getEntityId(), registry, permits, entity.getShard(), Clock.systemUTC()))
                .withStopMessage(new AccountCommand.Passivate()));
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
        this.accountId = accountId;
        this.registry = registry;
        this.tuning = tuning;
        this.clock = clock;
        this.children = new AccountChildren(ctx, timers, accountId, registry, settings, tuning, permits, shard, clock);
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
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> event.applyTo(state));
    }

    @Override
    public SignalHandler<AccountState> signalHandler() {
        return newSignalHandlerBuilder()
                // recovery decides no events (a signal handler cannot persist), only what to take up
                .onSignal(RecoveryCompleted.instance(), state -> carry(state, Account::onRecovered))
                .onSignal(RecoveryFailed.class, (state, failed) ->
                        ctx.getLog().error("account {}: its journal cannot be read: {}", accountId, failed.getFailure().toString()))
                .build();
    }

    @Override
    public CommandHandler<AccountCommand, AccountEvent, AccountState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(AccountCommand.Wake.class, () -> Effect().none())
                .onCommand(AccountCommand.GetStatus.class, (state, ask) -> {
                    ask.replyTo().tell(StatusView.of(accountId, activity.shown(state), activity.view()));
                    return Effect().none();
                })
                .onCommand(AccountCommand.Passivate.class, () -> Effect().stop())
                .onCommand(AccountCommand.Reload.class, (s, c) -> carry(s, a -> a.onReload(registry.settings(accountId).isPresent())))
                .onCommand(AccountCommand.VaultChanged.class, (s, c) -> carry(s, a -> a.onVaultChanged(c.revision())))
                .onCommand(AccountCommand.BackupDue.class, (s, c) -> carry(s, a -> a.onBackupDue(c.revision())))
                .onCommand(AccountCommand.BackupNow.class, (s, c) -> carry(s, Account::onBackupNow))
                .onCommand(AccountCommand.RetryDue.class, (s, c) -> carry(s, Account::onRetryDue))
                .onCommand(AccountCommand.PermitGranted.class, (s, c) -> carry(s, Account::onPermitGranted))
                .onCommand(AccountCommand.RunPlanReady.class, (s, c) -> carry(s, a -> a.onPlanReady(c)))
                .onCommand(AccountCommand.RunUnchanged.class, (s, c) -> carry(s, a -> a.onUnchanged(c)))
                .onCommand(AccountCommand.RunProgress.class, (s, c) -> carry(s, a -> a.onProgress(c)))
                .onCommand(AccountCommand.RunIndexReady.class, (s, c) -> carry(s, a -> a.onIndexReady(c)))
                .onCommand(AccountCommand.RunStepFailed.class, (s, c) -> carry(s, a -> a.onStepFailed(c)))
                .onCommand(AccountCommand.RunFoundCommitted.class, (s, c) -> carry(s, a -> a.onFoundCommitted(c)))
                .onCommand(AccountCommand.RunRollbackDone.class, (s, c) -> carry(s, a -> a.onRollbackDone(c)))
                .onCommand(AccountCommand.RunResolutionFailed.class, (s, c) -> carry(s, a -> a.onResolutionFailed(c)))
                .onCommand(AccountCommand.PrunePlanReady.class, (s, c) -> carry(s, a -> a.onPrunePlanReady(c)))
                .onCommand(AccountCommand.PruneExecuted.class, (s, c) -> carry(s, a -> a.onPruneExecuted(c)))
                .onCommand(AccountCommand.PruneStepFailed.class, (s, c) -> carry(s, a -> a.onPruneStepFailed(c)))
                .build();
    }

    /** Asks {@link Account} to decide, journals its events, then carries out its actions. */
    private Effect<AccountEvent, AccountState> carry(AccountState state, Function<Account, Account.Decision> decide) {
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
