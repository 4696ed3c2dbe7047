package io.vaultkeep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import scala.concurrent.Promise;
import scala.jdk.javaapi.FutureConverters;

class PlainFutureTest {

    @Test
    void stepsAfterAPekkoFutureRunOnTheThreadThatCompletesIt() throws Exception {
        Promise<String> reply = Promise.apply();
        CompletionStage<String> pekko = FutureConverters.asJava(reply.future()); // what an ask or a stream hands out

        CompletableFuture<Thread> plainStep = PlainFuture.of(pekko).thenApply(value -> Thread.currentThread());
        reply.success("status");

        assertSame(Thread.currentThread(), plainStep.get(), "a plain step runs where the reply completes, on no new thread");
    }

    @Test
    void aFailureComesThroughAsItWas() {
        Promise<String> reply = Promise.apply();
        CompletableFuture<String> plain = PlainFuture.of(FutureConverters.asJava(reply.future()));
        IllegalStateException failure = new IllegalStateException("no answer");

        reply.failure(failure);

        ExecutionException thrown = assertThrows(ExecutionException.class, plain::get);
        assertSame(failure, thrown.getCause());
    }

    @Test
    void anAlreadyCompletedFutureGivesItsValue() throws Exception {
        CompletableFuture<String> plain = PlainFuture.of(FutureConverters.asJava(scala.concurrent.Future.successful("done")));

        assertEquals("done", plain.getNow(null));
    }
}
