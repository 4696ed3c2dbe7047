package io.vaultkeep.engine.account;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** Work the blocking threads refuse (a node stopping) fails its future: the actor that asked never sees a throw. */
class BlockingTest {

    private static final Executor REFUSING = task -> {
        throw new RejectedExecutionException("the pool is shut down");
    };

    @Test
    void refusedWorkFailsItsFutureInsteadOfThrowing() {
        for (CompletableFuture<String> future : java.util.List.of(
                Blocking.call(REFUSING, () -> "never"),
                Blocking.call(REFUSING, Duration.ofSeconds(5), "planning the prune", () -> "never"))) {
            assertTrue(future.isCompletedExceptionally());
            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, future::get);
            assertInstanceOf(RejectedExecutionException.class, failed.getCause());
            assertTrue(FailureClassifier.classify(failed).kind() == FailureKind.INTERNAL);
        }
    }
}
