package io.vaultkeep.engine.account;

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
public final class Debouncer extends AbstractBehavior<Debouncer.Command> {

    /** Changes in, one {@link AccountCommand.BackupDue} per burst out; local-only, between an entity and its child. */
    public sealed interface Command extends LocalOnlyMessage {}

    public record ChangeSeen(String revision) implements Command {}

    /** Forget the burst in progress: a run that covers it was started another way (backup now). */
    public record CancelBurst() implements Command {}

    /** The debouncer's own timer: private, so nothing else can send it and it never leaves the JVM. */
    private record DueCheck() implements Command {}

    private static final String TIMER = "due";

    private final DebounceRule rule;
    private final ActorRef<AccountCommand> account;
    private final TimerScheduler<Command> timers;
    private final Clock clock;
    private DebounceRule.Burst burst;

    public static Behavior<Command> create(DebounceRule rule, ActorRef<AccountCommand> account, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Debouncer(ctx, rule, account, timers, clock)));
    }

    private Debouncer(ActorContext<Command> ctx, DebounceRule rule, ActorRef<AccountCommand> account,
                      TimerScheduler<Command> timers, Clock clock) {
        super(ctx);
        this.rule = rule;
        this.account = account;
        this.timers = timers;
        this.clock = clock;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ChangeSeen.class, this::onChange)
                .onMessage(DueCheck.class, m -> onDueCheck())
                .onMessage(CancelBurst.class, m -> onCancel())
                .build();
    }

    private Behavior<Command> onChange(ChangeSeen change) {
        Instant now = clock.instant();
        burst = burst == null ? rule.start(now, change.revision()) : rule.add(burst, now, change.revision());
        scheduleCheck(now);
        return this;
    }

    private Behavior<Command> onDueCheck() {
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

    private Behavior<Command> onCancel() {
        burst = null;
        timers.cancel(TIMER);
        return this;
    }

    private void scheduleCheck(Instant now) {
        Duration wait = Duration.between(now, rule.dueAt(burst));
        timers.startSingleTimer(TIMER, new DueCheck(), wait.isNegative() ? Duration.ZERO : wait);
    }
}
