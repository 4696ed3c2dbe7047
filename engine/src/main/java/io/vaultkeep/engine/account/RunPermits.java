package io.vaultkeep.engine.account;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The node's limit on concurrent repository work: at most {@code limit} accounts hold a permit,
 * the others wait first come, first served. A permit comes back on release or when its holder
 * stops, so a crashed account never keeps one.
 */
public final class RunPermits extends AbstractBehavior<RunPermits.Command> {

    /**
     * An account asks for a permit, gets {@link AccountCommand.PermitGranted} when one is free, and
     * releases it whatever the outcome. Local-only: the permits are this node's.
     */
    public sealed interface Command extends LocalOnlyMessage {}

    public record Acquire(String accountId, ActorRef<AccountCommand> holder) implements Command {}

    public record Release(String accountId, ActorRef<AccountCommand> holder) implements Command {}

    public record GetPermitCounts(ActorRef<PermitCounts> replyTo) implements Command {}

    /** Sent to itself when a holder or a waiter stops: private, nobody else may release a permit so. */
    private record HolderStopped(ActorRef<AccountCommand> holder) implements Command {}

    public record PermitCounts(int limit, int inUse, int waiting) implements LocalOnlyMessage {}

    private final int limit;
    private final Set<ActorRef<AccountCommand>> holders = new LinkedHashSet<>();
    private final Deque<ActorRef<AccountCommand>> waiting = new ArrayDeque<>();

    public static Behavior<Command> create(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one run permit is needed: " + limit);
        }
        return Behaviors.setup(ctx -> new RunPermits(ctx, limit));
    }

    private RunPermits(ActorContext<Command> ctx, int limit) {
        super(ctx);
        this.limit = limit;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Acquire.class, this::onAcquire)
                .onMessage(Release.class, m -> forget(m.holder()))
                .onMessage(HolderStopped.class, m -> forget(m.holder()))
                .onMessage(GetPermitCounts.class, this::onCounts)
                .build();
    }

    private Behavior<Command> onAcquire(Acquire acquire) {
        ActorRef<AccountCommand> holder = acquire.holder();
        if (holders.contains(holder)) {
            holder.tell(new AccountCommand.PermitGranted()); // asked again: it has one already
        } else if (!waiting.contains(holder)) {
            getContext().watchWith(holder, new HolderStopped(holder));
            if (holders.size() < limit) {
                grant(holder);
            } else {
                waiting.addLast(holder);
            }
        }
        return this;
    }

    private Behavior<Command> forget(ActorRef<AccountCommand> holder) {
        boolean held = holders.remove(holder);
        boolean waited = waiting.remove(holder);
        if (held || waited) {
            getContext().unwatch(holder);
        }
        while (holders.size() < limit && !waiting.isEmpty()) {
            grant(waiting.removeFirst());
        }
        return this;
    }

    private void grant(ActorRef<AccountCommand> holder) {
        holders.add(holder);
        holder.tell(new AccountCommand.PermitGranted());
    }

    private Behavior<Command> onCounts(GetPermitCounts ask) {
        ask.replyTo().tell(new PermitCounts(limit, holders.size(), waiting.size()));
        return this;
    }
}
