package io.vaultkeep.storage.retention;

import java.util.List;

/** The outcome of the retention rule: what stays and what a prune deletes. */
public record RetentionPlan(List<String> kept, List<String> dropped) {

    public RetentionPlan {
        kept = List.copyOf(kept);
        dropped = List.copyOf(dropped);
    }

    static RetentionPlan keepAll(List<SnapshotAge> snapshots) {
        return new RetentionPlan(snapshots.stream().sorted(RetentionRule.NEWEST_FIRST).map(SnapshotAge::id).toList(), List.of());
    }

    public boolean dropsAnything() {
        return !dropped.isEmpty();
    }
}
