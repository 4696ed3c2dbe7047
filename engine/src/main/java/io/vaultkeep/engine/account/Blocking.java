package io.vaultkeep.engine.account;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Blocking work (a repository or a source call) run on the blocking dispatcher, its outcome as a
 * future an actor pipes to itself. What the work throws completes the future as is (wrapped once in
 * a {@link CompletionException}, which {@link FailureClassifier} looks through).
 */
final class Blocking {

    private Blocking() {}

    /** A step that did not finish within its deadline: its location is treated as unavailable. */
    static final class DeadlineExceeded extends IOException {
        DeadlineExceeded(String what, Duration deadline) {
            super(what + " did not finish within " + deadline);
        }
    }

    static <T> CompletableFuture<T> call(Executor pool, Callable<T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return work.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, pool);
        } catch (RejectedExecutionException refused) {
            return CompletableFuture.failedFuture(refused); // see below
        }
    }

    /**
     * As {@link #call(Executor, Callable)}, but the future fails with {@link DeadlineExceeded} once
     * {@code deadline} has passed, and the work's thread is interrupted: a stalled server must not
     * hold a run (and its permit) forever. The caller closes what the work was using (its store),
     * which ends a read the interrupt cannot.
     *
     * @param what the step, for the failure's message (no secrets)
     */
    static <T> CompletableFuture<T> call(Executor pool, Duration deadline, String what, Callable<T> work) {
        return call(pool, deadline, what, work, late -> { });
    }

    /**
     * As {@link #call(Executor, Duration, String, Callable)}, and what the work returns after its
     * deadline (nobody will take it) goes to {@code abandoned}: an open repository must still be closed.
     */
    static <T> CompletableFuture<T> call(Executor pool, Duration deadline, String what, Callable<T> work,
                                         Consumer<? super T> abandoned) {
        CompletableFuture<T> result = new CompletableFuture<>();
        FutureTask<Void> task = new FutureTask<>(() -> {
            try {
                T value = work.call();
                if (!result.complete(value)) {
                    abandoned.accept(value);
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
            return null;
        });
        try {
            pool.execute(task);
        } catch (RejectedExecutionException refused) {
            // the blocking threads refuse work while the node stops: the caller hears of it as of any
            // failure, on its future, instead of a throw in the actor that asked
            return CompletableFuture.failedFuture(refused);
        }
        return result.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS).handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            if (failure instanceof TimeoutException) {
                task.cancel(true);
                throw new CompletionException(new DeadlineExceeded(what, deadline));
            }
            throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure);
        });
    }

    /**
     * Work already running elsewhere (a stream of transfers), failing with {@link DeadlineExceeded}
     * once {@code deadline} has passed; the caller then closes the store, which ends what still runs.
     */
    static <T> CompletableFuture<T> within(CompletionStage<T> work, Duration deadline, String what) {
        return work.toCompletableFuture().copy().orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS).handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            if (failure instanceof TimeoutException) {
                throw new CompletionException(new DeadlineExceeded(what, deadline));
            }
            throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure);
        });
    }
}
