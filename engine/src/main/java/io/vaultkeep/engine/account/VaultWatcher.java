package io.vaultkeep.engine.account;

import io.vaultkeep.engine.source.SourceScheduling;
import io.vaultkeep.engine.source.VaultSource;
import io.vaultkeep.storage.repository.BackupSource;
import java.io.IOException;
import java.time.Duration;
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
 * {@link AccountCommand.VaultChanged}, and when a run starts fetches the vault and hands it straight
 * to the writer (a failed or late fetch is the run's failure, told to the account). It never writes
 * the repository.
 */
public final class VaultWatcher extends AbstractBehavior<VaultWatcher.Command> {

    /** Local-only: between the account, its watcher and its writer. */
    public sealed interface Command extends LocalOnlyMessage {}

    /** Run {@code runId} started: fetch the vault for it. */
    public record FetchFor(String runId) implements Command {}

    private record SourceChanged(String revision) implements Command {}

    private record Fetched(String runId, BackupSource vault, Throwable failure) implements Command {}

    private final ActorRef<AccountCommand> account;
    private final ActorRef<SnapshotWriter.Command> writer;
    private final Executor blocking;
    private final Duration fetchTimeout;
    private final VaultSource source;
    private final FailureClassifier.Failure broken;

    /** @param fetchTimeout how long a fetch may take before the run fails */
    public static Behavior<Command> create(VaultSource.Factory factory, ActorRef<AccountCommand> account,
                                           ActorRef<SnapshotWriter.Command> writer, Executor blocking, Duration fetchTimeout) {
        return Behaviors.setup(ctx -> new VaultWatcher(ctx, factory, account, writer, blocking, fetchTimeout));
    }

    private VaultWatcher(ActorContext<Command> ctx, VaultSource.Factory factory, ActorRef<AccountCommand> account,
                         ActorRef<SnapshotWriter.Command> writer, Executor blocking, Duration fetchTimeout) {
        super(ctx);
        this.account = account;
        this.writer = writer;
        this.blocking = blocking;
        this.fetchTimeout = fetchTimeout;
        VaultSource made = null;
        FailureClassifier.Failure failure = null;
        try {
            made = factory.create(SourceScheduling.onActorSystem(ctx.getSystem(), blocking));
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
                .onMessage(FetchFor.class, this::onFetch)
                .onMessage(Fetched.class, this::onFetched)
                .onSignal(PostStop.class, s -> stopSource())
                .onSignal(PreRestart.class, s -> stopSource())
                .build();
    }

    private Behavior<Command> onChanged(SourceChanged changed) {
        account.tell(new AccountCommand.VaultChanged(changed.revision()));
        return this;
    }

    private Behavior<Command> onFetch(FetchFor fetch) {
        if (source == null) {
            return fetchFailed(fetch.runId(), broken);
        }
        getContext().pipeToSelf(Blocking.call(blocking, fetchTimeout, "fetching the vault", source::fetch),
                (vault, failure) -> new Fetched(fetch.runId(), vault, failure));
        return this;
    }

    private Behavior<Command> onFetched(Fetched fetched) {
        if (fetched.failure() != null) {
            return fetchFailed(fetched.runId(), FailureClassifier.ofSource(fetched.failure()));
        }
        writer.tell(new SnapshotWriter.Begin(fetched.runId(), fetched.vault()));
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
