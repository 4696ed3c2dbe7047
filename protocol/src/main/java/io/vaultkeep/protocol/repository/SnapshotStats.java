package io.vaultkeep.protocol.repository;

/** Counts recorded for one snapshot, both in its manifest and in the index. */
public record SnapshotStats(
        int cipherCount,
        int attachmentCount,
        int skippedAttachmentCount,
        int newBlobCount,
        int reusedBlobCount) {

    public static final SnapshotStats EMPTY = new SnapshotStats(0, 0, 0, 0, 0);
}
