package io.vaultkeep.engine;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vaultkeep.engine.transport.RemotingShutdown;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.slf4j.LoggerFactory;

/**
 * Waits for an actor system that was told to terminate: first its coordinated shutdown, as long as
 * its phases may take by its own configuration (each may run to its timeout on a loaded machine),
 * then the system's own termination, the actors stopping and Artery shutting down last. Pekko 1.7's
 * Artery may wait for ever for a remoting stream there (see {@link RemotingShutdown}); after
 * {@link RemotingShutdown#STREAMS_TIMEOUT} its streams are shut down, as Pekko 2 does. When the
 * system still does not terminate, it says where it stuck: which phase timed out, which actors are left.
 */
public final class SystemTermination {

    /** What a system may take beyond its phases (and Artery's streams) to stop its actors. */
    private static final Duration MARGIN = Duration.ofSeconds(15);

    private SystemTermination() {}

    public static void await(ActorSystem<?> system) throws Exception {
        try (PhaseTimeouts timeouts = PhaseTimeouts.of(system)) {
            Duration phases = coordinatedShutdownBound(system).plus(MARGIN);
            // run() again only returns the run that terminate() started
            CompletableFuture<?> run = CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
                    .toCompletableFuture();
            try {
                run.get(phases.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw stuck(system, "its coordinated shutdown did not run its phases within " + phases
                        + " (their timeouts and " + MARGIN + ")", timeouts, e);
            }
            // every phase ran (the last, actor-system-terminate, stops the actors; Artery shuts down after them)
            if (terminates(system, RemotingShutdown.STREAMS_TIMEOUT)) {
                return;
            }
            boolean freed = RemotingShutdown.abortIfStuck(system);
            if (!terminates(system, MARGIN)) {
                throw stuck(system, "its coordinated shutdown ran every phase, but the system did not terminate within "
                        + RemotingShutdown.STREAMS_TIMEOUT.plus(MARGIN) + (freed ? " (Artery's remoting streams shut down after "
                        + RemotingShutdown.STREAMS_TIMEOUT + ")" : ""), timeouts, null);
            }
            if (freed) {
                System.err.println("SystemTermination: " + system.address() + " terminated once Artery's remoting streams, stuck for "
                        + RemotingShutdown.STREAMS_TIMEOUT + ", were shut down" + timeouts.described());
            }
        }
    }

    private static boolean terminates(ActorSystem<?> system, Duration within) throws Exception {
        try {
            system.getWhenTerminated().toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    private static AssertionError stuck(ActorSystem<?> system, String what, PhaseTimeouts timeouts, Exception cause) {
        return new AssertionError("the actor system at " + system.address() + " did not terminate: " + what
                + timeouts.described() + "; its actors:\n" + actors(system) + "\nits threads:\n" + threads(), cause);
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

    /** Pekko's "Coordinated shutdown phase [..] timed out" warnings for one system, as they are logged. */
    private static final class PhaseTimeouts extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private static final String LOGGER = "org.apache.pekko.actor.CoordinatedShutdown";
        private final String address;
        private final List<String> seen = new CopyOnWriteArrayList<>();

        private PhaseTimeouts(String address) {
            this.address = address;
        }

        static PhaseTimeouts of(ActorSystem<?> system) {
            PhaseTimeouts timeouts = new PhaseTimeouts(system.address().toString());
            timeouts.start();
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LOGGER)).addAppender(timeouts);
            return timeouts;
        }

        @Override
        protected void append(ILoggingEvent event) {
            // Pekko's Slf4jLogger names the system in the MDC; both systems of a test are "vaultkeep"
            if (address.equals(event.getMDCPropertyMap().get("pekkoAddress")) && event.getFormattedMessage().contains("timed out")) {
                seen.add(event.getFormattedMessage());
            }
        }

        String described() {
            return seen.isEmpty() ? "; no phase timed out" : "; " + String.join("; ", seen);
        }

        @Override
        public void close() {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LOGGER)).detachAppender(this);
            stop();
        }
    }

    /** The actors still alive: which one a stuck termination waits for. */
    private static String actors(ActorSystem<?> system) {
        return ((ExtendedActorSystem) Adapter.toClassic(system)).printTree();
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
