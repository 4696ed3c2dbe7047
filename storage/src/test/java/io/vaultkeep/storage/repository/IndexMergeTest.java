package io.vaultkeep.storage.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.AttachmentEntry;
import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ObjectEncryption;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.protocol.repository.SnapshotStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IndexMergeTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static SnapshotEntry snapshot(String id, String... blobs) {
        return new SnapshotEntry("snapshots/" + id + ".zip", T0, 10, List.of(blobs), ObjectEncryption.NONE, SnapshotStats.EMPTY);
    }

    private static BlobEntry blob(String id, long size) {
        return new BlobEntry(RepositoryPaths.blob(id), size, size + 100, T0, T0, T0, ObjectEncryption.NONE);
    }

    private static IndexDocument index(String id, long generation, List<String> parents, Map<String, SnapshotEntry> snapshots,
                                       Map<String, AttachmentEntry> attachments, Map<String, BlobEntry> blobs) {
        return new IndexDocument(1, id, generation, parents, T0, snapshots, attachments, blobs, Map.of());
    }

    @Test
    void headsAreTheIndexesNoOtherNamesAsParent() {
        IndexDocument a = index("a", 2, List.of("p"), Map.of(), Map.of(), Map.of());
        IndexDocument b = index("b", 2, List.of("a"), Map.of(), Map.of(), Map.of());
        assertEquals(List.of(b), IndexMerge.heads(List.of(a, b)));
    }

    @Test
    void twoHeadsMergeByKey() {
        IndexDocument a = index("a", 2, List.of("p"), Map.of("s1", snapshot("s1", "b1"), "s0", snapshot("s0")),
                Map.of("f1", new AttachmentEntry("b1", 5L, T0, T0)), Map.of("b1", blob("b1", 5)));
        IndexDocument b = index("b", 2, List.of("p"), Map.of("s2", snapshot("s2", "b2"), "s0", snapshot("s0")),
                Map.of("f2", new AttachmentEntry("b2", 7L, T0, T0)), Map.of("b2", blob("b2", 7)));
        IndexMerge.Merged merged = IndexMerge.merge(List.of(b, a));
        assertEquals(List.of(), merged.conflicts());
        assertEquals(Map.of("s0", snapshot("s0"), "s1", snapshot("s1", "b1"), "s2", snapshot("s2", "b2")), merged.catalogue().snapshots());
        assertEquals(2, merged.catalogue().blobs().size());
        assertEquals(2, merged.catalogue().attachments().size());
        assertEquals(List.of("a", "b"), merged.catalogue().parentIndexIds(), "every head, in id order");
    }

    @Test
    void theSameSnapshotWithDifferentValuesIsReportedAndTheRestStillMerges() {
        IndexDocument a = index("a", 2, List.of(), Map.of("s1", snapshot("s1"), "s2", snapshot("s2")), Map.of(), Map.of());
        IndexDocument b = index("b", 2, List.of(), Map.of("s1", snapshot("s1", "b9"), "s3", snapshot("s3")), Map.of(),
                Map.of("b9", blob("b9", 1)));
        IndexMerge.Merged merged = IndexMerge.merge(List.of(b, a));
        assertEquals(1, merged.conflicts().size());
        IndexMerge.Conflict conflict = merged.conflicts().get(0);
        assertEquals("snapshot", conflict.kind());
        assertEquals("s1", conflict.id());
        assertEquals(List.of("a", "b"), conflict.indexIds());
        assertEquals("snapshot s1 differs between indexes a and b: its blobIds differ", conflict.toString());
        assertEquals(snapshot("s1"), merged.catalogue().snapshots().get("s1"), "the head with the smallest id wins, whatever the order");
        assertEquals(Set.of("s1", "s2", "s3"), merged.catalogue().snapshots().keySet());
    }

    @Test
    void blobsThatDifferOnlyInBookkeepingMergeByTheNewestWithoutAConflict() {
        Instant later = T0.plusSeconds(60);
        Instant latest = T0.plusSeconds(120);
        BlobEntry seen = new BlobEntry(RepositoryPaths.blob("b1"), 5L, 105L, T0, latest, T0, ObjectEncryption.NONE);
        BlobEntry validated = new BlobEntry(RepositoryPaths.blob("b1"), 5L, 105L, T0, later, later, ObjectEncryption.NONE);
        IndexDocument a = index("a", 2, List.of(), Map.of("s1", snapshot("s1", "b1")),
                Map.of("f", new AttachmentEntry("b1", 5L, T0, latest)), Map.of("b1", seen));
        IndexDocument b = index("b", 2, List.of(), Map.of("s2", snapshot("s2", "b1")),
                Map.of("f", new AttachmentEntry("b1", 5L, T0, later)), Map.of("b1", validated));
        IndexMerge.Merged merged = IndexMerge.merge(List.of(a, b));
        assertEquals(List.of(), merged.conflicts());
        assertEquals(new BlobEntry(RepositoryPaths.blob("b1"), 5L, 105L, T0, latest, later, ObjectEncryption.NONE),
                merged.catalogue().blobs().get("b1"));
        assertEquals("b1", merged.catalogue().attachments().get("f").blobId(), "the blob stays in dedup");
    }

    @Test
    void aBlobWhoseSizeOrKeyDiffersIsCorruptKeptForItsSnapshotsAndLeftOutOfDedup() {
        BlobEntry small = blob("b1", 5);
        BlobEntry large = blob("b1", 6);
        BlobEntry otherKey = new BlobEntry(RepositoryPaths.blob("b2"), 5L, 105L, T0, T0, T0,
                ObjectEncryption.zipAes256("k".repeat(44)));
        BlobEntry ownKey = new BlobEntry(RepositoryPaths.blob("b2"), 5L, 105L, T0, T0, T0,
                ObjectEncryption.zipAes256("j".repeat(44)));
        IndexDocument a = new IndexDocument(1, "a", 2, List.of(), T0, Map.of("s1", snapshot("s1", "b1", "b2")),
                Map.of("f1", new AttachmentEntry("b1", 5L, T0, T0), "f2", new AttachmentEntry("b2", 5L, T0, T0)),
                Map.of("b1", small, "b2", ownKey), Map.of("h1", "b1", "h2", "b2"));
        IndexDocument b = new IndexDocument(1, "b", 2, List.of(), T0, Map.of("s2", snapshot("s2", "b1")),
                Map.of("f1", new AttachmentEntry("b1", 6L, T0, T0)), Map.of("b1", large, "b2", otherKey), Map.of());
        IndexMerge.Merged merged = IndexMerge.merge(List.of(a, b));
        assertEquals(List.of("blob b1", "blob b2"), merged.conflicts().stream().map(c -> c.kind() + " " + c.id()).toList());
        assertTrue(merged.conflicts().get(0).detail().contains("plainSize 5 vs 6"), merged.conflicts().get(0).detail());
        assertTrue(merged.conflicts().get(1).detail().contains("encryption key"), merged.conflicts().get(1).detail());
        assertFalse(merged.conflicts().toString().contains("kkkk") || merged.conflicts().toString().contains("jjjj"),
                "object keys are secrets and never reach a report");
        assertEquals(Set.of("s1", "s2"), merged.catalogue().snapshots().keySet(), "the snapshots stay readable");
        assertEquals(Set.of("b1", "b2"), merged.catalogue().blobs().keySet());
        assertEquals(Map.of(), merged.catalogue().attachments(), "no fingerprint leads to a corrupt blob");
        assertEquals(Map.of(), merged.catalogue().contentHashes(), "no content hash leads to a corrupt blob");
    }

    @Test
    void attachmentsTakeTheNewestLastSeenAtAndNeedTheirBlob() {
        Instant later = T0.plusSeconds(60);
        IndexDocument a = index("a", 2, List.of(), Map.of(),
                Map.of("f", new AttachmentEntry("b1", 5L, T0, T0), "g", new AttachmentEntry("gone", 1L, T0, later)),
                Map.of("b1", blob("b1", 5)));
        IndexDocument b = index("b", 2, List.of(), Map.of(),
                Map.of("f", new AttachmentEntry("b2", 5L, T0, later), "g", new AttachmentEntry("b2", 5L, T0, T0)),
                Map.of("b2", blob("b2", 5)));
        IndexDocument merged = IndexMerge.merge(List.of(a, b)).catalogue();
        assertEquals("b2", merged.attachments().get("f").blobId(), "newest lastSeenAt wins");
        assertEquals("b2", merged.attachments().get("g").blobId(), "an entry whose blob no head lists cannot win");
    }
}
