package io.vaultkeep.storage.repository;

import io.vaultkeep.protocol.repository.AttachmentEntry;
import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges the head indexes of one generation. A pure function that never refuses
 * (invariant «heal, never brick», docs/design.md: two writers that committed the same generation
 * must not make the repository unreadable):
 * <ul>
 *   <li>a snapshot listed twice must be equal; when it is not, that is real corruption: it is
 *       reported and the entry of the head with the smallest id is kept, so every reader agrees;</li>
 *   <li>a blob listed twice with the same path, sizes and key differs only in bookkeeping and merges
 *       field by field, the newest time winning; a blob whose path, sizes or key differ is corrupt:
 *       it is reported, kept (its snapshots stay readable) and left out of dedup, so no new
 *       snapshot builds on it;</li>
 *   <li>attachments: the newest {@code lastSeenAt} wins (the format's own rule), among entries whose
 *       blob survived and is not corrupt.</li>
 * </ul>
 */
public final class IndexMerge {

    private static final Comparator<AttachmentEntry> NEWEST_SEEN = Comparator
            .comparing(AttachmentEntry::lastSeenAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(AttachmentEntry::blobId);

    private IndexMerge() {}

    /** The merged catalogue and the corruption found on the way (empty when the heads agree). */
    public record Merged(IndexDocument catalogue, List<Conflict> conflicts) {
        public Merged {
            conflicts = List.copyOf(conflicts);
        }
    }

    /** One key two heads disagree on beyond bookkeeping: corruption of that snapshot or blob only. */
    public record Conflict(String kind, String id, List<String> indexIds, String detail) {
        public Conflict {
            indexIds = List.copyOf(indexIds);
        }

        @Override
        public String toString() {
            return kind + " " + id + " differs between indexes " + String.join(" and ", indexIds) + ": " + detail;
        }
    }

    /** The indexes of {@code generation} that no other of them names as a parent. */
    public static List<IndexDocument> heads(List<IndexDocument> generation) {
        Set<String> parents = new HashSet<>();
        for (IndexDocument index : generation) {
            parents.addAll(index.parentIndexIds());
        }
        return generation.stream().filter(i -> !parents.contains(i.indexId())).toList();
    }

    public static Merged merge(List<IndexDocument> unordered) {
        if (unordered.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        if (unordered.size() == 1) {
            return new Merged(unordered.get(0), List.of());
        }
        // the result must not depend on the order a store happened to list the heads in
        List<IndexDocument> heads = unordered.stream().sorted(Comparator.comparing(IndexDocument::indexId)).toList();
        List<Conflict> conflicts = new ArrayList<>();
        var snapshots = new TreeMap<String, SnapshotEntry>();
        var blobs = new TreeMap<String, BlobEntry>();
        Map<String, String> snapshotFrom = new HashMap<>();
        Map<String, String> blobFrom = new HashMap<>();
        Set<String> corruptBlobs = new TreeSet<>();
        for (IndexDocument head : heads) {
            head.snapshots().forEach((id, entry) -> {
                SnapshotEntry kept = snapshots.putIfAbsent(id, entry);
                if (kept == null) {
                    snapshotFrom.put(id, head.indexId());
                } else if (!kept.equals(entry)) {
                    conflicts.add(new Conflict("snapshot", id, List.of(snapshotFrom.get(id), head.indexId()),
                            difference(kept, entry)));
                }
            });
            head.blobs().forEach((id, entry) -> {
                BlobEntry kept = blobs.get(id);
                if (kept == null) {
                    blobs.put(id, entry);
                    blobFrom.put(id, head.indexId());
                } else if (sameObject(kept, entry)) {
                    blobs.put(id, newestBookkeeping(kept, entry));
                } else {
                    corruptBlobs.add(id);
                    conflicts.add(new Conflict("blob", id, List.of(blobFrom.get(id), head.indexId()), difference(kept, entry)));
                }
            });
        }
        var attachments = new TreeMap<String, AttachmentEntry>();
        for (IndexDocument head : heads) {
            head.attachments().forEach((fingerprint, entry) -> {
                if (blobs.containsKey(entry.blobId()) && !corruptBlobs.contains(entry.blobId())) {
                    attachments.merge(fingerprint, entry, IndexMerge::newerSeen);
                }
            });
        }
        // this project's own dedup hint: any consistent choice will do, never a conflict
        var contentHashes = new TreeMap<String, String>();
        for (IndexDocument head : heads) {
            head.contentHashes().forEach((hash, blobId) -> contentHashes.merge(hash, blobId, (a, b) -> a.compareTo(b) <= 0 ? a : b));
        }
        contentHashes.values().removeIf(blobId -> !blobs.containsKey(blobId) || corruptBlobs.contains(blobId));
        List<String> ids = heads.stream().map(IndexDocument::indexId).toList();
        IndexDocument merged = new IndexDocument(1, null, heads.get(0).generation(), ids, latestUpdate(heads),
                snapshots, attachments, blobs, contentHashes);
        return new Merged(merged, conflicts);
    }

    /** The same stored object: path, sizes and key agree (an unknown size agrees with any). */
    static boolean sameObject(BlobEntry a, BlobEntry b) {
        return Objects.equals(a.path(), b.path())
                && agree(a.plainSize(), b.plainSize())
                && agree(a.encryptedSize(), b.encryptedSize())
                && a.encryption().equals(b.encryption());
    }

    private static boolean agree(Long a, Long b) {
        return a == null || b == null || a.equals(b);
    }

    /** Two entries of one object: the newest of each time, the earliest creation, every known size. */
    static BlobEntry newestBookkeeping(BlobEntry a, BlobEntry b) {
        return new BlobEntry(a.path(),
                a.plainSize() != null ? a.plainSize() : b.plainSize(),
                a.encryptedSize() != null ? a.encryptedSize() : b.encryptedSize(),
                earliest(a.createdAt(), b.createdAt()),
                latest(a.lastSeenAt(), b.lastSeenAt()),
                latest(a.lastValidatedAt(), b.lastValidatedAt()),
                a.encryption());
    }

    private static String difference(SnapshotEntry a, SnapshotEntry b) {
        List<String> fields = new ArrayList<>();
        if (!Objects.equals(a.path(), b.path())) {
            fields.add("path");
        }
        if (!Objects.equals(a.createdAt(), b.createdAt())) {
            fields.add("createdAt");
        }
        if (a.vaultSize() != b.vaultSize()) {
            fields.add("vaultSize");
        }
        if (!a.blobIds().equals(b.blobIds())) {
            fields.add("blobIds");
        }
        if (!a.encryption().equals(b.encryption())) {
            fields.add("encryption key");
        }
        if (!a.stats().equals(b.stats())) {
            fields.add("stats");
        }
        return "its " + String.join(", ", fields) + " differ";
    }

    private static String difference(BlobEntry a, BlobEntry b) {
        List<String> fields = new ArrayList<>();
        if (!Objects.equals(a.path(), b.path())) {
            fields.add("path");
        }
        if (!agree(a.plainSize(), b.plainSize())) {
            fields.add("plainSize " + a.plainSize() + " vs " + b.plainSize());
        }
        if (!agree(a.encryptedSize(), b.encryptedSize())) {
            fields.add("encryptedSize " + a.encryptedSize() + " vs " + b.encryptedSize());
        }
        if (!a.encryption().equals(b.encryption())) {
            fields.add("encryption key");
        }
        // never the key itself: an index's object keys are secrets
        return "its " + String.join(", ", fields) + " differ; it is kept out of dedup";
    }

    /** The newest {@code lastSeenAt} wins; a tie goes to the greater blob id, so every reader agrees. */
    static AttachmentEntry newerSeen(AttachmentEntry a, AttachmentEntry b) {
        return NEWEST_SEEN.compare(a, b) >= 0 ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant latestUpdate(List<IndexDocument> heads) {
        return heads.stream().map(IndexDocument::updatedAt).filter(Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
    }
}
