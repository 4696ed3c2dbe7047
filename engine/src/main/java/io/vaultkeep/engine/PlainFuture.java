package io.vaultkeep.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A Pekko future (an ask's reply, a stream's completion, {@code Patterns.after}) as a plain
 * {@link CompletableFuture}. Pekko hands out Scala's {@code FutureConverters.CF}, which turns every
 * {@code thenApply}, {@code whenComplete} or {@code handle} on it into its {@code ...Async} twin on
 * the JDK's default executor; with fewer than three cores that executor starts a new thread for each
 * step. A host asking 10,000 accounts for their status started 10,000 threads per request. Steps on
 * the future this returns run where the JDK runs them: on the thread that completes it.
 */
public final class PlainFuture {

    private static final Executor ON_THE_COMPLETING_THREAD = Runnable::run;

    private PlainFuture() {}

    public static <T> CompletableFuture<T> of(CompletionStage<T> stage) {
        CompletableFuture<T> plain = new CompletableFuture<>();
        // the executor variant is not redirected: with a direct executor it completes in place
        stage.whenCompleteAsync((value, failure) -> {
            if (failure != null) {
                plain.completeExceptionally(failure);
            } else {
                plain.complete(value);
            }
        }, ON_THE_COMPLETING_THREAD);
        return plain;
    }
}
