package io.vaultkeep.engine.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.apache.pekko.remote.artery.ArteryTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the last step of an actor system's termination: Artery's own shutdown. After the
 * coordinated shutdown's last phase stops the actors, Pekko 1.7's Artery aborts its remoting
 * streams and waits for every one to complete, without a deadline (apache/pekko#3247; Pekko 2 waits
 * at most {@code shutdown-streams-timeout}, 10 s, then goes on: #3317). An outbound TLS connection
 * that outlives the abort (its TLS actor and TCP connection stay, the stream never completes) keeps
 * the system from terminating for good, though the node has left the cluster: seen in about 1 of
 * 20 stops of a member on a loaded machine. So the streams get {@link #STREAMS_TIMEOUT}, as in
 * Pekko 2; then their materializers are shut down, which ends them (their completion futures fail,
 * which Artery's shutdown accepts), and Artery unbinds and the system terminates.
 */
public final class RemotingShutdown {

    /** How long Artery's streams may take to complete once aborted: Pekko 2's shutdown-streams-timeout. */
    public static final Duration STREAMS_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RemotingShutdown.class);

    private RemotingShutdown() {}

    /**
     * Has the system's last shutdown phase free a termination stuck in Artery's streams: once Artery's
     * shutdown has run for {@link #STREAMS_TIMEOUT} (seen at two looks that far apart), its streams
     * are shut down. The looks run on a JDK timer, not the system's scheduler, which a terminating
     * system closes; they stop when the system has terminated, or after {@link #LOOKS}.
     */
    public static void bound(ActorSystem<?> system) {
        ArteryTransport artery = artery(system);
        if (artery == null) {
            return; // no remoting: nothing to bound
        }
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseActorSystemTerminate(), "vaultkeep-bound-remoting-shutdown",
                () -> {
                    look(system, artery, false, LOOKS);
                    return CompletableFuture.completedFuture(Done.getInstance());
                });
    }

    /** Looks at a terminating system: at most this many times (5 minutes), then it is left as it is. */
    static final int LOOKS = 30;

    private static void look(ActorSystem<?> system, ArteryTransport artery, boolean shuttingDownBefore, int looksLeft) {
        CompletableFuture.delayedExecutor(STREAMS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (system.getWhenTerminated().toCompletableFuture().isDone() || looksLeft <= 1) {
                return;
            }
            boolean shuttingDown = artery.isShutdown();
            if (shuttingDown && shuttingDownBefore) {
                abortIfStuck(system);
            } else {
                look(system, artery, shuttingDown, looksLeft - 1); // the actors are still stopping, or Artery has just begun
            }
        });
    }

    private static ArteryTransport artery(ActorSystem<?> system) {
        ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(system);
        return classic.provider() instanceof RemoteActorRefProvider remote && remote.transport() instanceof ArteryTransport artery
                ? artery : null;
    }

    /**
     * When Artery's shutdown has begun and the system has still not terminated, shuts down the
     * materializers of its streams, so that the streams that missed the abort complete. Whether it did.
     */
    public static boolean abortIfStuck(ActorSystem<?> system) {
        if (system.getWhenTerminated().toCompletableFuture().isDone()) {
            return false;
        }
        ArteryTransport artery = artery(system);
        if (artery == null || !artery.isShutdown()) {
            return false;
        }
        LOG.warn("the remoting streams of {} did not complete within {} of their abort (Pekko 1.7, apache/pekko#3247): "
                + "shutting them down so that the actor system terminates", system.address(), STREAMS_TIMEOUT);
        artery.materializer().shutdown();
        artery.controlMaterializer().shutdown();
        return true;
    }
}
