package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.AttachmentEntry;
import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the head indexes of one generation (format rule): the same key with different values is a
 * conflict, except attachments, where the newest {@code lastSeenAt} wins. A pure function.
 */
public final class IndexMerge {

    private static final Comparator<AttachmentEntry> NEWEST_SEEN = Comparator
            .comparing(AttachmentEntry::lastSeenAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(AttachmentEntry::blobId);

    private IndexMerge() {}

    /** The indexes of {@code generation} that no other of them names as a parent. */
    public static List<IndexDocument> heads(List<IndexDocument> generation) {
        Set<String> parents = new HashSet<>();
        for (IndexDocument index : generation) {
            parents.addAll(index.parentIndexIds());
        }
        return generation.stream().filter(i -> !parents.contains(i.indexId())).toList();
    }

    /** @throws IndexConflictException naming the key and the two indexes that disagree */
    public static IndexDocument merge(List<IndexDocument> heads) throws IndexConflictException {
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        if (heads.size() == 1) {
            return heads.get(0);
        }
        Map<String, Object> snapshotsFrom = new TreeMap<>();
        Map<String, Object> blobsFrom = new TreeMap<>();
        var snapshots = new TreeMap<String, SnapshotEntry>();
        var blobs = new TreeMap<String, BlobEntry>();
        var attachments = new TreeMap<String, AttachmentEntry>();
        var contentHashes = new TreeMap<String, String>();
        List<String> ids = new ArrayList<>();
        for (IndexDocument head : heads) {
            ids.add(head.indexId());
            mergeStrict("snapshot", head, head.snapshots(), snapshots, snapshotsFrom);
            mergeStrict("blob", head, head.blobs(), blobs, blobsFrom);
            // this project's own dedup hint: any consistent choice will do, never a conflict
            head.contentHashes().forEach((hash, blobId) -> contentHashes.merge(hash, blobId, (a, b) -> a.compareTo(b) <= 0 ? a : b));
        }
        // as Keyguard: only entries whose blob survived the merge compete for a fingerprint
        for (IndexDocument head : heads) {
            head.attachments().forEach((fingerprint, entry) -> {
                if (blobs.containsKey(entry.blobId())) {
                    attachments.merge(fingerprint, entry, IndexMerge::newerSeen);
                }
            });
        }
        contentHashes.values().removeIf(blobId -> !blobs.containsKey(blobId));
        IndexDocument first = heads.get(0);
        return new IndexDocument(1, null, first.generation(), ids, latestUpdate(heads),
                snapshots, attachments, blobs, contentHashes);
    }

    private static <V> void mergeStrict(String what, IndexDocument head, Map<String, V> from, Map<String, V> into,
                                        Map<String, Object> origin) throws IndexConflictException {
        for (Map.Entry<String, V> e : from.entrySet()) {
            V existing = into.putIfAbsent(e.getKey(), e.getValue());
            if (existing == null) {
                origin.put(e.getKey(), head.indexId());
            } else if (!existing.equals(e.getValue())) {
                throw new IndexConflictException("conflicting index heads in generation " + head.generation() + ": "
                        + what + " " + e.getKey() + " differs between index " + origin.get(e.getKey())
                        + " and index " + head.indexId());
            }
        }
    }

    /** The newest {@code lastSeenAt} wins; a tie goes to the greater blob id, so every reader agrees. */
    private static AttachmentEntry newerSeen(AttachmentEntry a, AttachmentEntry b) {
        return NEWEST_SEEN.compare(a, b) >= 0 ? a : b;
    }

    private static Instant latestUpdate(List<IndexDocument> heads) {
        return heads.stream().map(IndexDocument::updatedAt).filter(Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
    }
}
