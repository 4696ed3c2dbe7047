package io.vaultkeep.engine.config;

import java.util.List;

/** How many snapshots a prune keeps: Keyguard's choices (5, 10, 30, 60, 90) or never prune. */
public sealed interface Retention {

    List<Integer> CHOICES = List.of(5, 10, 30, 60, 90);

    Retention DEFAULT = new Keep(30);

    /** Prune by Keyguard's age buckets, keeping at most {@code snapshots}. */
    record Keep(int snapshots) implements Retention {
        public Keep {
            if (!CHOICES.contains(snapshots)) {
                throw new IllegalArgumentException("retention must be one of " + CHOICES + ", not " + snapshots);
            }
        }
    }

    /** Keep every snapshot ({@code retention = "never"}). */
    record Never() implements Retention {}
}
