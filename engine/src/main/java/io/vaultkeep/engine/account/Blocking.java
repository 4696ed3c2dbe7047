package io.vaultkeep.engine.account;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Blocking work (a repository or a source call) run on the blocking dispatcher, its outcome as a
 * future an actor pipes to itself. What the work throws completes the future as is (wrapped once in
 * a {@link CompletionException}, which {@link FailureClassifier} looks through).
 */
final class Blocking {

    private Blocking() {}

    static <T> CompletableFuture<T> call(Executor pool, Callable<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, pool);
    }
}
