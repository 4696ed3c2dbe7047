package io.vaultkeep.engine.host.page;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the status pages show of an account's repository, read from its index: the snapshots
 * (newest first) with their stored sizes and what the account's retention does with each.
 *
 * @param readAt      when the index was read (or the read failed)
 * @param exists      false while the location holds no repository yet (before the first run)
 * @param storedBytes the vaults of all snapshots plus every stored attachment blob, as the index records them
 * @param retention   the account's maximum number of snapshots; 0: never prune
 * @param problem     why the repository could not be read (then no snapshots), or what of it could
 *                    not be (a damaged index: the list may lack snapshots); null when all is well
 */
public record RepositoryView(Instant readAt, boolean exists, List<SnapshotRow> snapshots, long storedBytes, int retention,
                             String problem) {

    public RepositoryView {
        snapshots = List.copyOf(snapshots);
    }

    /**
     * One snapshot.
     *
     * @param size  the vault plus the plaintext of its attachments
     * @param kept  whether the account's retention keeps it at the next prune (false: dropped)
     */
    public record SnapshotRow(String id, Instant createdAt, int items, int attachments, long size, boolean kept) {}

    public static RepositoryView unreadable(Instant at, int retention, String problem) {
        return new RepositoryView(at, false, List.of(), 0, retention, problem);
    }

    public Optional<SnapshotRow> newest() {
        return snapshots.stream().findFirst();
    }

    /** The snapshots the next prune drops, newest first. */
    public List<SnapshotRow> droppedNext() {
        return snapshots.stream().filter(s -> !s.kept()).toList();
    }

    /** The last {@code n} snapshots, oldest first: the size history. */
    public List<SnapshotRow> recent(int n) {
        List<SnapshotRow> oldestFirst = new java.util.ArrayList<>(snapshots.subList(0, Math.min(n, snapshots.size())));
        java.util.Collections.reverse(oldestFirst);
        return List.copyOf(oldestFirst);
    }
}
