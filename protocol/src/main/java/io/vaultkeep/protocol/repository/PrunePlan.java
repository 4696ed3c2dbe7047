package io.vaultkeep.protocol.repository;

import java.time.Instant;
import java.util.List;

/**
 * What a prune will do, fixed before it starts so that an interrupted prune can continue from it:
 * drop these snapshots from the catalogue, then delete their objects, then the blobs that no kept
 * snapshot references.
 *
 * @param evaluatedAt the instant the retention rule was evaluated at
 */
public record PrunePlan(
        Instant evaluatedAt,
        int maxSnapshots,
        List<String> keptSnapshotIds,
        List<String> droppedSnapshotIds,
        List<String> droppedSnapshotKeys,
        List<String> droppedBlobIds,
        List<String> droppedBlobKeys) {

    public PrunePlan {
        keptSnapshotIds = List.copyOf(keptSnapshotIds);
        droppedSnapshotIds = List.copyOf(droppedSnapshotIds);
        droppedSnapshotKeys = List.copyOf(droppedSnapshotKeys);
        droppedBlobIds = List.copyOf(droppedBlobIds);
        droppedBlobKeys = List.copyOf(droppedBlobKeys);
    }

    public boolean dropsAnything() {
        return !droppedSnapshotIds.isEmpty() || !droppedBlobIds.isEmpty();
    }
}
