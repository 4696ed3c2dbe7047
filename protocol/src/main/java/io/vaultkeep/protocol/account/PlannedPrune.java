package io.vaultkeep.protocol.account;

import java.time.Instant;
import java.util.List;

/**
 * A prune decided before it starts (storage's {@code PrunePlan}, as journaled): an interrupted
 * prune continues from exactly this.
 */
public record PlannedPrune(
        Instant evaluatedAt,
        int maxSnapshots,
        List<String> keptSnapshotIds,
        List<String> droppedSnapshotIds,
        List<String> droppedSnapshotKeys,
        List<String> droppedBlobIds,
        List<String> droppedBlobKeys) {

    public PlannedPrune {
        keptSnapshotIds = List.copyOf(keptSnapshotIds);
        droppedSnapshotIds = List.copyOf(droppedSnapshotIds);
        droppedSnapshotKeys = List.copyOf(droppedSnapshotKeys);
        droppedBlobIds = List.copyOf(droppedBlobIds);
        droppedBlobKeys = List.copyOf(droppedBlobKeys);
    }
}
