package io.vaultkeep.engine.account;

import io.vaultkeep.protocol.account.AccountCommand;
import io.vaultkeep.protocol.account.DebouncerCommand;
import io.vaultkeep.protocol.account.DebouncerCommand.CancelBurst;
import io.vaultkeep.protocol.account.DebouncerCommand.ChangeSeen;
import io.vaultkeep.protocol.account.DebouncerCommand.DueCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/** Folds a burst of changes into one {@link AccountCommand.BackupDue}, as {@link DebounceRule} says. */
public final class Debouncer extends AbstractBehavior<DebouncerCommand> {

    private static final String TIMER = "due";

    private final DebounceRule rule;
    private final ActorRef<AccountCommand> account;
    private final TimerScheduler<DebouncerCommand> timers;
    private final Clock clock;
    private DebounceRule.Burst burst;

    public static Behavior<DebouncerCommand> create(DebounceRule rule, ActorRef<AccountCommand> account, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Debouncer(ctx, rule, account, timers, clock)));
    }

    private Debouncer(ActorContext<DebouncerCommand> ctx, DebounceRule rule, ActorRef<AccountCommand> account,
                      TimerScheduler<DebouncerCommand> timers, Clock clock) {
        super(ctx);
        this.rule = rule;
        this.account = account;
        this.timers = timers;
        this.clock = clock;
    }

    @Override
    public Receive<DebouncerCommand> createReceive() {
        return newReceiveBuilder()
                .onMessage(ChangeSeen.class, this::onChange)
                .onMessage(DueCheck.class, m -> onDueCheck())
                .onMessage(CancelBurst.class, m -> onCancel())
                .build();
    }

    private Behavior<DebouncerCommand> onChange(ChangeSeen change) {
        Instant now = clock.instant();
        burst = burst == null ? rule.start(now, change.revision()) : rule.add(burst, now, change.revision());
        scheduleCheck(now);
        return this;
    }

    private Behavior<DebouncerCommand> onDueCheck() {
        if (burst == null) {
            return this;
        }
        Instant now = clock.instant();
        if (rule.due(burst, now)) {
            account.tell(new AccountCommand.BackupDue(burst.revision()));
            burst = null;
        } else {
            scheduleCheck(now); // a timer may fire a little early
        }
        return this;
    }

    private Behavior<DebouncerCommand> onCancel() {
        burst = null;
        timers.cancel(TIMER);
        return this;
    }

    private void scheduleCheck(Instant now) {
        Duration wait = Duration.between(now, rule.dueAt(burst));
        timers.startSingleTimer(TIMER, new DueCheck(), wait.isNegative() ? Duration.ZERO : wait);
    }
}
