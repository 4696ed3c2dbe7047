package io.vaultkeep.storage.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.AttachmentEntry;
import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ObjectEncryption;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.protocol.repository.SnapshotStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The merge's promises (invariant «heal, never brick», docs/design.md) on random heads drawn from
 * a small key space, so that the same snapshot, blob and fingerprint keep meeting each other with
 * equal, bookkeeping-only and truly different values. Each promise is read back against the heads, not the merge's own code.
 */
class IndexMergePropertiesTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    /** Random heads: snapshots s0..s5, blobs b0..b3 in two shapes (sizes), attachments f0..f3. */
    private static List<IndexDocument> heads(long seed, int count) {
        Random random = new Random(seed);
        List<IndexDocument> heads = new ArrayList<>();
        for (int h = 0; h < count; h++) {
            Map<String, SnapshotEntry> snapshots = new HashMap<>();
            Map<String, BlobEntry> blobs = new HashMap<>();
            Map<String, AttachmentEntry> attachments = new HashMap<>();
            Map<String, String> hashes = new HashMap<>();
            for (int b = 0; b < 4; b++) {
                if (random.nextInt(3) > 0) {
                    long size = 10 + b + (random.nextInt(6) == 0 ? 1 : 0); // now and then a truly different entry
                    blobs.put("b" + b, new BlobEntry(RepositoryPaths.blob("b" + b), size, size + 100,
                            T0, T0.plusSeconds(random.nextInt(100)), T0.plusSeconds(random.nextInt(100)), ObjectEncryption.NONE));
                    hashes.put("h" + random.nextInt(3), "b" + b);
                }
            }
            List<String> blobIds = new ArrayList<>(blobs.keySet());
            for (int s = 0; s < 6; s++) {
                if (random.nextInt(2) == 0) {
                    List<String> uses = blobIds.isEmpty() || random.nextInt(5) > 0 ? List.of() : List.of(blobIds.get(0));
                    snapshots.put("s" + s, new SnapshotEntry("snapshots/s" + s + ".zip", T0.plusSeconds(s), 100 + s, uses,
                            ObjectEncryption.NONE, SnapshotStats.EMPTY));
                }
            }
            for (int f = 0; f < 4 && !blobIds.isEmpty(); f++) {
                if (random.nextBoolean()) {
                    String blobId = blobIds.get(random.nextInt(blobIds.size()));
                    attachments.put("f" + f, new AttachmentEntry(blobId, 10L, T0, T0.plusSeconds(random.nextInt(100))));
                }
            }
            heads.add(new IndexDocument(1, "head-" + h + "-" + random.nextInt(1000), 7, List.of("parent"),
                    T0.plusSeconds(random.nextInt(100)), snapshots, attachments, blobs, hashes));
        }
        return heads;
    }

    @Property(tries = 300)
    void theResultDoesNotDependOnTheOrderTheHeadsAreListedIn(@ForAll long seed, @ForAll @IntRange(min = 2, max = 4) int count) {
        List<IndexDocument> heads = heads(seed, count);
        List<IndexDocument> shuffled = new ArrayList<>(heads);
        Collections.shuffle(shuffled, new Random(seed ^ 0x5eed));
        IndexMerge.Merged one = IndexMerge.merge(heads);
        IndexMerge.Merged other = IndexMerge.merge(shuffled);
        assertEquals(one.catalogue(), other.catalogue());
        assertEquals(Set.copyOf(one.conflicts()), Set.copyOf(other.conflicts()));
    }

    @Property(tries = 300)
    void everySnapshotAndBlobOfEveryHeadIsInTheMergedCatalogue(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int count) {
        List<IndexDocument> heads = heads(seed, count);
        IndexDocument merged = IndexMerge.merge(heads).catalogue();
        for (IndexDocument head : heads) {
            assertTrue(merged.snapshots().keySet().containsAll(head.snapshots().keySet()));
            assertTrue(merged.blobs().keySet().containsAll(head.blobs().keySet()));
        }
        if (count > 1) {
            assertEquals(heads.stream().map(IndexDocument::indexId).sorted().toList(), merged.parentIndexIds(),
                    "the merged catalogue names every head, so the next index supersedes them all");
        }
    }

    @Property(tries = 300)
    void onlyTrulyDifferentEntriesAreConflictsAndNoneOfThemFeedsDedup(@ForAll long seed, @ForAll @IntRange(min = 2, max = 4) int count) {
        List<IndexDocument> heads = heads(seed, count);
        IndexMerge.Merged merged = IndexMerge.merge(heads);
        Set<String> differentBlobs = new HashSet<>();
        Set<String> differentSnapshots = new HashSet<>();
        for (IndexDocument a : heads) {
            for (IndexDocument b : heads) {
                a.blobs().forEach((id, entry) -> {
                    BlobEntry other = b.blobs().get(id);
                    if (other != null && !entry.plainSize().equals(other.plainSize())) {
                        differentBlobs.add(id);
                    }
                });
                a.snapshots().forEach((id, entry) -> {
                    SnapshotEntry other = b.snapshots().get(id);
                    if (other != null && !entry.equals(other)) {
                        differentSnapshots.add(id);
                    }
                });
            }
        }
        assertEquals(differentBlobs, ids(merged, "blob"), "a blob conflicts exactly when its size differs");
        assertEquals(differentSnapshots, ids(merged, "snapshot"), "a snapshot conflicts exactly when it differs");
        IndexDocument catalogue = merged.catalogue();
        catalogue.attachments().values().forEach(a -> {
            assertTrue(catalogue.blobs().containsKey(a.blobId()));
            assertTrue(!differentBlobs.contains(a.blobId()), "a fingerprint leads to corrupt blob " + a.blobId());
        });
        catalogue.contentHashes().values().forEach(blobId -> {
            assertTrue(catalogue.blobs().containsKey(blobId));
            assertTrue(!differentBlobs.contains(blobId), "a content hash leads to corrupt blob " + blobId);
        });
    }

    @Property(tries = 300)
    void bookkeepingMergesToTheNewestTimeOfAnyHead(@ForAll long seed, @ForAll @IntRange(min = 2, max = 4) int count) {
        List<IndexDocument> heads = heads(seed, count);
        IndexMerge.Merged merged = IndexMerge.merge(heads);
        Set<String> corrupt = ids(merged, "blob");
        merged.catalogue().blobs().forEach((id, entry) -> {
            if (corrupt.contains(id)) {
                return;
            }
            List<BlobEntry> all = heads.stream().map(h -> h.blobs().get(id)).filter(e -> e != null).toList();
            assertEquals(all.stream().map(BlobEntry::lastSeenAt).max(Instant::compareTo).orElseThrow(), entry.lastSeenAt());
            assertEquals(all.stream().map(BlobEntry::lastValidatedAt).max(Instant::compareTo).orElseThrow(), entry.lastValidatedAt());
        });
        merged.catalogue().attachments().forEach((fingerprint, entry) -> {
            Instant newest = heads.stream().map(h -> h.attachments().get(fingerprint))
                    .filter(a -> a != null && !corrupt.contains(a.blobId()))
                    .map(AttachmentEntry::lastSeenAt).max(Instant::compareTo).orElseThrow();
            assertEquals(newest, entry.lastSeenAt(), "the newest lastSeenAt wins");
        });
    }

    private static Set<String> ids(IndexMerge.Merged merged, String kind) {
        return merged.conflicts().stream().filter(c -> c.kind().equals(kind)).map(IndexMerge.Conflict::id).collect(Collectors.toSet());
    }
}
