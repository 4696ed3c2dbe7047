package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.AttachmentEntry;
import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one backup run adds to the catalogue: its snapshot, the blobs it stored or reused (with the
 * times it saw or validated them), the fingerprints it recorded and the content hashes of its new
 * blobs. Applied onto the catalogue as it is at the commit, not as it was when the run started, so
 * that a writer that committed meanwhile (even several generations) loses nothing (invariant
 * «every committed snapshot stays listed», docs/design.md). A pure function.
 */
record RunChanges(String snapshotId, SnapshotEntry snapshot, Map<String, BlobEntry> blobs,
                  Map<String, AttachmentEntry> attachments, Map<String, String> contentHashes) {

    RunChanges {
        blobs = Map.copyOf(blobs);
        attachments = Map.copyOf(attachments);
        contentHashes = Map.copyOf(contentHashes);
    }

    /** The successor of {@code current} with this run's changes. */
    IndexDocument applyTo(IndexDocument current, String indexId, long generation, List<String> parents, Instant at) {
        Map<String, SnapshotEntry> snapshots = new HashMap<>(current.snapshots());
        snapshots.put(snapshotId, snapshot);
        Map<String, BlobEntry> allBlobs = new HashMap<>(current.blobs());
        blobs.forEach((id, mine) -> allBlobs.merge(id, mine,
                // another writer's different entry for the same id stays: merging the heads reports it
                (theirs, ours) -> IndexMerge.sameObject(theirs, ours) ? IndexMerge.newestBookkeeping(theirs, ours) : theirs));
        Map<String, AttachmentEntry> allAttachments = new HashMap<>(current.attachments());
        attachments.forEach((fingerprint, mine) -> allAttachments.merge(fingerprint, mine, IndexMerge::newerSeen));
        Map<String, String> hashes = new HashMap<>(current.contentHashes());
        contentHashes.forEach(hashes::putIfAbsent);
        return current.successor(indexId, generation, parents, at, snapshots, allAttachments, allBlobs, hashes);
    }
}
