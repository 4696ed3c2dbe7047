package io.vaultkeep.engine.account;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How the account actors are tuned, read from {@code vaultkeep.engine} in the actor system's
 * config (defaults in the engine's reference.conf).
 *
 * @param snapshotEvery the entity snapshots its state every this many events and deletes older events
 * @param fetchTimeout how long a run waits for its vault source before it counts as failed
 * @param stepTimeout how long one repository step (open and plan, store, snapshot, commit, resolve,
 *     prune plan or prune) may take before it counts as failed, so that a stalled server cannot hold
 *     a run permit forever
 */
public record EngineTuning(DebounceRule debounce, BackoffPolicy backoff, int snapshotEvery, int keepSnapshots,
                           Duration fetchTimeout, Duration stepTimeout, int maxConcurrentRuns) {

    /** The dispatcher every blocking repository and source call runs on. */
    public static final String BLOCKING_DISPATCHER = "vaultkeep.blocking-dispatcher";

    public EngineTuning {
        if (snapshotEvery < 1 || keepSnapshots < 1) {
            throw new IllegalArgumentException("snapshot-every and keep-snapshots must be positive");
        }
        if (maxConcurrentRuns < 1) {
            throw new IllegalArgumentException("max-concurrent-runs must be positive: " + maxConcurrentRuns);
        }
    }

    public static EngineTuning fromConfig(Config root) {
        Config c = root.getConfig("vaultkeep.engine");
        return new EngineTuning(
                new DebounceRule(c.getDuration("debounce.quiet-window"), c.getDuration("debounce.max-delay")),
                new BackoffPolicy(c.getDuration("backoff.base"), c.getDuration("backoff.cap"), c.getDouble("backoff.jitter"),
                        c.getDuration("backoff.attention-cap")),
                c.getInt("journal.snapshot-every"),
                c.getInt("journal.keep-snapshots"),
                c.getDuration("fetch-timeout"),
                c.getDuration("step-timeout"),
                c.getInt("max-concurrent-runs"));
    }
}
