package io.vaultkeep.engine.source;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import scala.concurrent.ExecutionContext;
import scala.concurrent.ExecutionContextExecutor;

/**
 * Where a source runs its timed and blocking work. Under an account entity that is the entity's actor
 * system: its scheduler and the blocking dispatcher, so no source keeps a thread pool of its own. A
 * one-shot command that never starts Pekko only fetches, and gives a plain executor.
 */
public sealed interface SourceScheduling {

    /** Runs blocking work (file scans, HTTP requests). */
    Executor blocking();

    /** Runs {@code task} on {@link #blocking()} once, after {@code delay}. */
    ScheduledTask scheduleOnce(Duration delay, Runnable task);

    /** Runs {@code task} on {@link #blocking()} after {@code initialDelay}, then {@code delay} after each run ends. */
    ScheduledTask scheduleWithFixedDelay(Duration initialDelay, Duration delay, Runnable task);

    /** A scheduled task; cancelling one that already ran or was cancelled does nothing. */
    interface ScheduledTask {
        void cancel();

        /** Whether it ran (a one-shot task) or was cancelled. */
        boolean isDone();
    }

    /**
     * Sources of an account entity: timers on the system's scheduler, work on the blocking dispatcher
     * (as looked up from the system's dispatchers, which is already an execution context).
     */
    static SourceScheduling onActorSystem(ActorSystem<?> system, Executor blockingDispatcher) {
        // the work is the record's: this interface's own code names no Pekko or Scala type, so a
        // one-shot command that uses fetchOnly() loads none
        return OnActorSystem.of(system, blockingDispatcher);
    }

    /** For tests and tools that watch without an actor system. */
    static SourceScheduling onExecutor(ScheduledExecutorService executor) {
        return new OnExecutor(executor);
    }

    /** For a one-shot command: it fetches once on its own thread and never starts the source. */
    static SourceScheduling fetchOnly() {
        return new FetchOnly();
    }

    record FetchOnly() implements SourceScheduling {
        @Override
        public Executor blocking() {
            return Runnable::run;
        }

        @Override
        public ScheduledTask scheduleOnce(Duration delay, Runnable task) {
            throw new IllegalStateException("a source made for one fetch schedules nothing");
        }

        @Override
        public ScheduledTask scheduleWithFixedDelay(Duration initialDelay, Duration delay, Runnable task) {
            throw new IllegalStateException("a source made for one fetch schedules nothing");
        }
    }

    record OnActorSystem(ActorSystem<?> system, ExecutionContextExecutor blockingDispatcher) implements SourceScheduling {

        public OnActorSystem {
            Objects.requireNonNull(system, "system");
            Objects.requireNonNull(blockingDispatcher, "blockingDispatcher");
        }

        static OnActorSystem of(ActorSystem<?> system, Executor blockingDispatcher) {
            return new OnActorSystem(system, blockingDispatcher instanceof ExecutionContextExecutor context ? context
                    : ExecutionContext.fromExecutor(blockingDispatcher));
        }

        @Override
        public Executor blocking() {
            return blockingDispatcher;
        }

        @Override
        public ScheduledTask scheduleOnce(Duration delay, Runnable task) {
            AtomicBoolean ran = new AtomicBoolean();
            Cancellable timer = system.scheduler().scheduleOnce(delay, () -> {
                ran.set(true);
                task.run();
            }, blockingDispatcher);
            return new PekkoTask(timer, ran);
        }

        @Override
        public ScheduledTask scheduleWithFixedDelay(Duration initialDelay, Duration delay, Runnable task) {
            return new PekkoTask(system.scheduler().scheduleWithFixedDelay(initialDelay, delay, task, blockingDispatcher),
                    new AtomicBoolean());
        }

        private record PekkoTask(Cancellable timer, AtomicBoolean ran) implements ScheduledTask {
            @Override
            public void cancel() {
                timer.cancel();
            }

            @Override
            public boolean isDone() {
                return ran.get() || timer.isCancelled();
            }
        }
    }

    record OnExecutor(ScheduledExecutorService executor) implements SourceScheduling {

        public OnExecutor {
            Objects.requireNonNull(executor, "executor");
        }

        @Override
        public Executor blocking() {
            return executor;
        }

        @Override
        public ScheduledTask scheduleOnce(Duration delay, Runnable task) {
            return new FutureTask(executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
        }

        @Override
        public ScheduledTask scheduleWithFixedDelay(Duration initialDelay, Duration delay, Runnable task) {
            return new FutureTask(executor.scheduleWithFixedDelay(task, initialDelay.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS));
        }

        private record FutureTask(ScheduledFuture<?> future) implements ScheduledTask {
            @Override
            public void cancel() {
                future.cancel(false);
            }

            @Override
            public boolean isDone() {
                return future.isDone();
            }
        }
    }
}
