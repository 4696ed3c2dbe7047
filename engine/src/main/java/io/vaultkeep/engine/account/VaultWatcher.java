package io.vaultkeep.engine.account;

import io.vaultkeep.engine.source.VaultSource;
import io.vaultkeep.storage.repository.BackupSource;
import java.io.IOException;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Owns the account's {@link VaultSource}: reports its changes to the account as
 * {@link AccountCommand.VaultChanged} and hands the vault to the writer on request. It never
 * writes the repository.
 */
public final class VaultWatcher extends AbstractBehavior<VaultWatcher.Command> {

    public sealed interface Command {}

    /** Asks for the current vault; the answer is a {@link FetchResult}. */
    public record FetchVault(ActorRef<FetchResult> replyTo) implements Command, LocalOnlyMessage {}

    private record SourceChanged(String revision) implements Command, LocalOnlyMessage {}

    private record Fetched(ActorRef<FetchResult> replyTo, BackupSource vault, Throwable failure)
            implements Command, LocalOnlyMessage {}

    public sealed interface FetchResult extends LocalOnlyMessage {}

    public record VaultFetched(BackupSource vault) implements FetchResult {}

    public record FetchFailed(FailureKind kind, String message) implements FetchResult {}

    private final ActorRef<AccountCommand> account;
    private final Executor blocking;
    private final VaultSource source;
    private final FailureClassifier.Failure broken;

    public static Behavior<Command> create(VaultSource.Factory factory, ActorRef<AccountCommand> account, Executor blocking) {
        return Behaviors.setup(ctx -> new VaultWatcher(ctx, factory, account, blocking));
    }

    private VaultWatcher(ActorContext<Command> ctx, VaultSource.Factory factory, ActorRef<AccountCommand> account,
                         Executor blocking) {
        super(ctx);
        this.account = account;
        this.blocking = blocking;
        VaultSource made = null;
        FailureClassifier.Failure failure = null;
        try {
            made = factory.create();
            ActorRef<Command> self = ctx.getSelf();
            made.start(revision -> self.tell(new SourceChanged(revision)));
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
        return newReceiveBuilder()
                .onMessage(SourceChanged.class, this::onChanged)
                .onMessage(FetchVault.class, this::onFetch)
                .onMessage(Fetched.class, this::onFetched)
                .onSignal(PostStop.class, s -> stopSource())
                .onSignal(PreRestart.class, s -> stopSource())
                .build();
    }

    private Behavior<Command> onChanged(SourceChanged changed) {
        account.tell(new AccountCommand.VaultChanged(changed.revision()));
        return this;
    }

    private Behavior<Command> onFetch(FetchVault fetch) {
        if (source == null) {
            fetch.replyTo().tell(new FetchFailed(broken.kind(), broken.message()));
            return this;
        }
        getContext().pipeToSelf(Blocking.call(blocking, source::fetch), (taken, failure) -> new Fetched(fetch.replyTo(), taken, failure));
        return this;
    }

    private Behavior<Command> onFetched(Fetched fetched) {
        if (fetched.failure() != null) {
            FailureClassifier.Failure failure = FailureClassifier.ofSource(fetched.failure());
            fetched.replyTo().tell(new FetchFailed(failure.kind(), failure.message()));
        } else {
            fetched.replyTo().tell(new VaultFetched(fetched.vault()));
        }
        return this;
    }

    private Behavior<Command> stopSource() {
        if (source != null) {
            source.stop();
        }
        return this;
    }
}
