package io.vaultkeep.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Waits for an actor system that was told to terminate, as long as its coordinated shutdown may take
 * by its own configuration (each phase may run to its timeout on a loaded machine), and says where
 * it stuck when it does not: a test's own guess of "long enough" failed on a loaded CI machine.
 */
public final class SystemTermination {

    /** What a system may take beyond its phases to stop its actors. */
    private static final Duration MARGIN = Duration.ofSeconds(15);

    private SystemTermination() {}

    public static void await(ActorSystem<?> system) throws Exception {
        Duration bound = coordinatedShutdownBound(system).plus(MARGIN);
        try {
            system.getWhenTerminated().toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the actor system at " + system.address() + " did not terminate within " + bound
                    + " (its coordinated shutdown's phase timeouts and " + MARGIN + "); its threads:\n" + threads(), e);
        }
    }

    /** The sum of the coordinated shutdown's phase timeouts in this system's config. */
    static Duration coordinatedShutdownBound(ActorSystem<?> system) {
        com.typesafe.config.Config shutdown = system.settings().config().getConfig("pekko.coordinated-shutdown");
        Duration fallback = shutdown.getDuration("default-phase-timeout");
        com.typesafe.config.Config phases = shutdown.getConfig("phases");
        return phases.root().keySet().stream()
                .map(phase -> phases.getConfig("\"" + phase + "\""))
                .map(phase -> phase.hasPath("timeout") ? phase.getDuration("timeout") : fallback)
                .reduce(Duration.ZERO, Duration::plus);
    }

    private static String threads() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            dump.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState()).append('\n');
            StackTraceElement[] stack = thread.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 12); i++) {
                dump.append("    at ").append(stack[i]).append('\n');
            }
        }
        return dump.toString();
    }
}
