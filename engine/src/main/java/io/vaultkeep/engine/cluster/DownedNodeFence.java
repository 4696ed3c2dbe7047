package io.vaultkeep.engine.cluster;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Stops a node of a cluster the moment it learns it was downed (a split brain resolver's decision,
 * e.g. after it was frozen or cut off): another node runs its accounts by then, so it must not
 * finish a run of its own. Pekko's coordinated shutdown after a downing waits for peers that no
 * longer answer it (a minute and more was seen); this does not wait.
 */
public final class DownedNodeFence {

    private static final Duration CHECK_EVERY = Duration.ofMillis(200);

    private DownedNodeFence() {}

    /** Whether the node must stop now: it is down, or its engine stopped, and not because it was told to stop. */
    public static boolean mustStop(MemberStatus self, boolean engineTerminated, boolean stopping) {
        return !stopping && (self == MemberStatus.down() || self == MemberStatus.removed() || engineTerminated);
    }

    /**
     * Checks the node's own membership every 200 ms on a daemon thread and calls {@code stop} once
     * {@link #mustStop} says so.
     */
    public static void watch(ActorSystem<?> system, BooleanSupplier stopping, Runnable stop) {
        ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vaultkeep-downed-node-fence");
            thread.setDaemon(true);
            return thread;
        });
        checks.scheduleWithFixedDelay(() -> {
            boolean terminated = system.whenTerminated().isCompleted();
            if (mustStop(Cluster.get(system).selfMember().status(), terminated, stopping.getAsBoolean())) {
                checks.shutdown();
                stop.run();
            }
        }, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }
}
