package io.vaultkeep.engine.account;

import io.vaultkeep.storage.repository.RepositoryPrune;
import io.vaultkeep.protocol.repository.PrunePlan;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Retention for one account, in two steps the account journals between: plan (what retention drops
 * from the current catalogue; pure, writes nothing), then execute the journaled plan (pruned index,
 * then the dropped snapshots, then unreferenced blobs). Executing the same plan again after a crash
 * finishes it and deletes nothing else. Its messages are local-only, and neither names what to
 * delete: "plan a prune" and "carry out the journaled prune", whose deletions are derived again from
 * the index the pruner reads itself ({@link RepositoryPrune#execute}).
 */
public final class Pruner {

    public sealed interface Command extends LocalOnlyMessage {}

    public record PlanPrune() implements Command {}

    public record ExecutePrune(String pruneId, PrunePlan plan) implements Command {}

    private Pruner() {}

    /**
     * Starts the command's work on the blocking threads; its outcome is told to the account. Not an
     * actor: the pruner keeps nothing between commands (its work always ran on the blocking threads and
     * answered the account from there), and an idle account should not pay for a child that holds nothing.
     */
    static void carryOut(Command command, AccountSettings settings, ActorRef<AccountCommand> account,
                         Executor blocking, Clock clock, Duration stepTimeout) {
        if (command instanceof PlanPrune) {
            onBlocking(blocking, stepTimeout, "planning the prune", () -> {
                try (RepositoryAccess access = RepositoryAccess.open(settings, clock)) {
                    PrunePlan decided = access.repository().planPrune(settings.retentionMax(), clock.instant());
                    return new AccountCommand.PrunePlanReady(decided.dropsAnything() ? decided : null);
                }
            }, account, failure -> new AccountCommand.PruneStepFailed(null, failure.kind(), failure.message()));
        } else if (command instanceof ExecutePrune execute) {
            onBlocking(blocking, stepTimeout, "pruning", () -> {
                try (RepositoryAccess access = RepositoryAccess.open(settings, clock)) {
                    RepositoryPrune.Result result = access.repository().prune(execute.plan(), settings.retentionMax());
                    return new AccountCommand.PruneExecuted(execute.pruneId(), result.indexKey(),
                            result.deletedSnapshots(), result.deletedBlobs());
                }
            }, account, failure -> new AccountCommand.PruneStepFailed(execute.pruneId(), failure.kind(), failure.message()));
        }
    }

    private static void onBlocking(Executor blocking, Duration deadline, String what, Callable<AccountCommand> work,
                                   ActorRef<AccountCommand> account,
                                   Function<FailureClassifier.Failure, AccountCommand> onFailure) {
        Blocking.call(blocking, deadline, what, work).whenComplete((report, failure) ->
                account.tell(failure == null ? report : onFailure.apply(FailureClassifier.classify(failure))));
    }
}
