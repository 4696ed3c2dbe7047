package io.vaultkeep.engine.account;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When a burst of changes becomes one backup: after a quiet window without changes, but never later
 * than {@code maxDelay} after the burst's first change, however long the changes keep coming.
 */
public record DebounceRule(Duration quietWindow, Duration maxDelay) {

    public DebounceRule {
        if (quietWindow.isNegative() || quietWindow.isZero()) {
            throw new IllegalArgumentException("quiet window must be positive: " + quietWindow);
        }
        if (maxDelay.compareTo(quietWindow) < 0) {
            throw new IllegalArgumentException("max delay " + maxDelay + " is shorter than the quiet window " + quietWindow);
        }
    }

    /** The changes since the last backup became due. */
    public record Burst(Instant firstChangeAt, Instant lastChangeAt, String revision) {}

    public Burst start(Instant at, String revision) {
        return new Burst(at, at, revision);
    }

    public Burst add(Burst burst, Instant at, String revision) {
        Instant last = at.isAfter(burst.lastChangeAt()) ? at : burst.lastChangeAt();
        return new Burst(burst.firstChangeAt(), last, revision != null ? revision : burst.revision());
    }

    public Instant dueAt(Burst burst) {
        Instant quiet = burst.lastChangeAt().plus(quietWindow);
        Instant latest = burst.firstChangeAt().plus(maxDelay);
        return quiet.isBefore(latest) ? quiet : latest;
    }

    public boolean due(Burst burst, Instant now) {
        return !now.isBefore(dueAt(burst));
    }

    /**
     * The rule's whole meaning as a function: the instants at which backups become due for changes
     * at the given (ascending) instants, assuming each due backup is taken exactly on time.
     */
    public List<Instant> dueTimes(List<Instant> changes) {
        List<Instant> due = new ArrayList<>();
        Burst burst = null;
        for (Instant change : changes) {
            if (burst != null && due(burst, change)) {
                due.add(dueAt(burst));
                burst = null;
            }
            burst = burst == null ? start(change, null) : add(burst, change, null);
        }
        if (burst != null) {
            due.add(dueAt(burst));
        }
        return due;
    }
}
