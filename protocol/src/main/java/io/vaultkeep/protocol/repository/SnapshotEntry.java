package io.vaultkeep.protocol.repository;

import java.time.Instant;
import java.util.List;

/** The index's catalogue entry for one snapshot. */
public record SnapshotEntry(
        String path,
        Instant createdAt,
        long vaultSize,
        List<String> blobIds,
        ObjectEncryption encryption,
        SnapshotStats stats) {

    public SnapshotEntry {
        blobIds = blobIds == null ? List.of() : List.copyOf(blobIds);
        encryption = ObjectEncryption.orNone(encryption);
        stats = stats == null ? SnapshotStats.EMPTY : stats;
    }
}
