package io.vaultkeep.engine.source.bitwarden;

import io.vaultkeep.engine.PlainFuture;
import io.vaultkeep.engine.source.SourceScheduling;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BitwardenSource}'s polls as a stream on the actor system: each element waits its delay on
 * the system's scheduler, then polls on the blocking dispatcher, one poll at a time; the delay after
 * it comes from the outcome (interval, backoff, Retry-After), so the feedback is an unfold rather
 * than a fixed tick. A kill switch ends it. Kept apart from the source so that a one-shot command,
 * which only fetches, loads no Pekko class.
 */
final class PollingStream {

    /** What one poll found: a revision to report (or null) and how long to wait before the next poll. */
    record PollOutcome(String report, Duration nextPoll) {}

    private static final Logger LOG = LoggerFactory.getLogger(PollingStream.class);

    private PollingStream() {}

    /**
     * @param stopped whether the source has stopped: nothing is reported after it says so
     * @return what ends the polling
     */
    static Runnable start(SourceScheduling.OnActorSystem on, Supplier<PollOutcome> poll, Consumer<String> report,
                          BooleanSupplier stopped, String accountId) {
        Scheduler timers = on.system().classicSystem().scheduler();
        Pair<UniqueKillSwitch, CompletionStage<Done>> running = Source.unfoldAsync(Duration.ZERO, (Duration delay) ->
                        PlainFuture.of(Patterns.after(delay, timers, on.blockingDispatcher(), () -> CompletableFuture.supplyAsync(poll, on.blocking())))
                                .thenApply(outcome -> Optional.of(Pair.create(outcome.nextPoll(), outcome))))
                .viaMat(KillSwitches.single(), Keep.right())
                .filter(outcome -> outcome.report() != null && !stopped.getAsBoolean())
                .toMat(Sink.foreach(outcome -> report.accept(outcome.report())), Keep.both())
                .run(on.system());
        PlainFuture.of(running.second()).whenComplete((done, failure) -> {
            if (failure != null && !stopped.getAsBoolean()) {
                LOG.error("account {}: polling stopped: {}", accountId, failure.toString());
            }
        });
        UniqueKillSwitch killSwitch = running.first();
        return killSwitch::shutdown;
    }
}
