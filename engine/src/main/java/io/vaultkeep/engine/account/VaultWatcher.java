package io.vaultkeep.engine.account;

import io.vaultkeep.engine.source.SourceScheduling;
import io.vaultkeep.engine.source.VaultSource;
import io.vaultkeep.storage.repository.FetchedVault;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Owns the account's {@link VaultSource}: the source reports its changes straight to the account as
 * {@link AccountCommand.VaultChanged}, and when a run starts the watcher fetches the vault and hands
 * it straight to the run's blob dedup (a failed or late fetch is the run's failure, told to the account).
 * It never writes the repository.
 */
public final class VaultWatcher extends AbstractBehavior<VaultWatcher.Command> {

    /** Local-only: from the account. */
    public sealed interface Command extends LocalOnlyMessage {}

    /**
     * Run {@code runId} started: fetch the vault for it, for {@code dedup}. The account decides the
     * fetch ({@link #FetchFor(String)}); its children address it to the dedup they spawn for the run.
     */
    public record FetchFor(String runId, ActorRef<BlobDedup.Command> dedup) implements Command {
        public FetchFor(String runId) {
            this(runId, null);
        }

        FetchFor to(ActorRef<BlobDedup.Command> runDedup) {
            return new FetchFor(runId, runDedup);
        }
    }

    private final ActorRef<AccountCommand> account;
    private final Executor blocking;
    private final Duration fetchTimeout;
    private final VaultSource source;
    private final FailureClassifier.Failure broken;

    /** @param fetchTimeout how long a fetch may take before the run fails */
    public static Behavior<Command> create(VaultSource.Factory factory, ActorRef<AccountCommand> account,
                                           Executor blocking, Duration fetchTimeout) {
        return Behaviors.setup(ctx -> new VaultWatcher(ctx, factory, account, blocking, fetchTimeout));
    }

    private VaultWatcher(ActorContext<Command> ctx, VaultSource.Factory factory, ActorRef<AccountCommand> account,
                         Executor blocking, Duration fetchTimeout) {
        super(ctx);
        this.account = account;
        this.blocking = blocking;
        this.fetchTimeout = fetchTimeout;
        VaultSource made = null;
        FailureClassifier.Failure failure = null;
        try {
            made = factory.create(SourceScheduling.onActorSystem(ctx.getSystem(), blocking));
            // straight to the account (tell is thread-safe): the watcher has nothing to add to a change
            made.start(revision -> account.tell(new AccountCommand.VaultChanged(revision)));
        } catch (IOException | RuntimeException e) {
            // the account stays up: every fetch reports this, and the account backs off as for any failure
            failure = FailureClassifier.ofSource(e);
            ctx.getLog().warn("vault source of {} cannot start: {}", ctx.getSelf().path().parent().name(), failure.message());
        }
        this.source = failure == null ? made : null;
        this.broken = failure;
    }

    @Override
    public Receive<Command> createReceive() {
        return new Handling();
    }

    /**
     * What a receive builder's three cases did, in one object: the builder's cases, their lambdas
     * and lists were kept by every account's watcher. What matches none is unhandled, as built.
     */
    private final class Handling extends Receive<Command> {
        @Override
        public Behavior<Command> receiveMessage(Command message) {
            return message instanceof FetchFor fetch ? onFetch(fetch) : Behaviors.unhandled();
        }

        @Override
        public Behavior<Command> receiveSignal(Signal signal) {
            return signal instanceof PostStop || signal instanceof PreRestart ? stopSource() : Behaviors.unhandled();
        }
    }

    private Behavior<Command> onFetch(FetchFor fetch) {
        if (source == null) {
            return fetchFailed(fetch.runId(), broken);
        }
        if (fetch.dedup() == null) { // a bug, not the source's failure: say so rather than fetch for no one
            return fetchFailed(fetch.runId(), new FailureClassifier.Failure(FailureKind.INTERNAL,
                    "run " + fetch.runId() + " has no blob dedup to hand its vault to"));
        }
        // handed on from the blocking thread: the watcher keeps nothing of a fetch
        Blocking.call(blocking, fetchTimeout, "fetching the vault", source::fetch).whenComplete((vault, failure) -> {
            if (failure != null) {
                fetchFailed(fetch.runId(), FailureClassifier.ofSource(failure));
            } else {
                fetch.dedup().tell(new BlobDedup.PlanRun(fetch.runId(), vault));
            }
        });
        return this;
    }

    private Behavior<Command> fetchFailed(String runId, FailureClassifier.Failure failure) {
        account.tell(new AccountCommand.RunStepFailed(runId, RunStage.STARTED, failure.kind(), failure.message()));
        return this;
    }

    private Behavior<Command> stopSource() {
        if (source != null) {
            source.stop();
        }
        return this;
    }
}
