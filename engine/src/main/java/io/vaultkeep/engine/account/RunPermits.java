package io.vaultkeep.engine.account;

import io.vaultkeep.protocol.account.AccountCommand;
import io.vaultkeep.protocol.account.RunPermitsCommand;
import io.vaultkeep.protocol.account.RunPermitsCommand.Acquire;
import io.vaultkeep.protocol.account.RunPermitsCommand.GetPermitCounts;
import io.vaultkeep.protocol.account.RunPermitsCommand.HolderStopped;
import io.vaultkeep.protocol.account.RunPermitsCommand.PermitCounts;
import io.vaultkeep.protocol.account.RunPermitsCommand.Release;
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
public final class RunPermits extends AbstractBehavior<RunPermitsCommand> {

    private final int limit;
    private final Set<ActorRef<AccountCommand>> holders = new LinkedHashSet<>();
    private final Deque<ActorRef<AccountCommand>> waiting = new ArrayDeque<>();

    public static Behavior<RunPermitsCommand> create(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one run permit is needed: " + limit);
        }
        return Behaviors.setup(ctx -> new RunPermits(ctx, limit));
    }

    private RunPermits(ActorContext<RunPermitsCommand> ctx, int limit) {
        super(ctx);
        this.limit = limit;
    }

    @Override
    public Receive<RunPermitsCommand> createReceive() {
        return newReceiveBuilder()
                .onMessage(Acquire.class, this::onAcquire)
                .onMessage(Release.class, m -> forget(m.holder()))
                .onMessage(HolderStopped.class, m -> forget(m.holder()))
                .onMessage(GetPermitCounts.class, this::onCounts)
                .build();
    }

    private Behavior<RunPermitsCommand> onAcquire(Acquire acquire) {
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

    private Behavior<RunPermitsCommand> forget(ActorRef<AccountCommand> holder) {
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

    private Behavior<RunPermitsCommand> onCounts(GetPermitCounts ask) {
        ask.replyTo().tell(new PermitCounts(limit, holders.size(), waiting.size()));
        return this;
    }
}
