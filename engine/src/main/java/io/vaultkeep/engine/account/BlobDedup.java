package io.vaultkeep.engine.account;

import io.vaultkeep.storage.repository.BackupRun;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The dedup step of a run: {@link BackupRun#plan()} maps every attachment (by Keyguard fingerprint,
 * then by content hash) to an existing blob or names a new one, before anything is written. The
 * catalogue it decides against is the run's own fresh read of the index, so no cache is kept here:
 * one would only go stale when another writer or a prune changes the repository.
 */
public final class BlobDedup {

    public sealed interface Command extends LocalOnlyMessage {}

    public record PlanRun(String runId, BackupRun run, ActorRef<PlanResult> replyTo) implements Command {}

    public sealed interface PlanResult extends LocalOnlyMessage {}

    public record Planned(String runId, BackupRun run, BackupRun.Plan plan) implements PlanResult {}

    public record PlanFailed(String runId, Throwable failure) implements PlanResult {}

    private BlobDedup() {}

    public static Behavior<Command> create(Executor blocking, Duration stepTimeout) {
        return Behaviors.receive(Command.class)
                .onMessage(PlanRun.class, request -> {
                    Blocking.call(blocking, stepTimeout, "planning the run", request.run()::plan).whenComplete((plan, failure) -> request.replyTo().tell(failure == null
                            ? new Planned(request.runId(), request.run(), plan)
                            : new PlanFailed(request.runId(), failure)));
                    return Behaviors.same();
                })
                .build();
    }
}
