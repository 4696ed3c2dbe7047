package io.vaultkeep.storage.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    void twoHeadsMergeByKey() throws Exception {
        IndexDocument a = index("a", 2, List.of("p"), Map.of("s1", snapshot("s1", "b1"), "s0", snapshot("s0")),
                Map.of("f1", new AttachmentEntry("b1", 5L, T0, T0)), Map.of("b1", blob("b1", 5)));
        IndexDocument b = index("b", 2, List.of("p"), Map.of("s2", snapshot("s2", "b2"), "s0", snapshot("s0")),
                Map.of("f2", new AttachmentEntry("b2", 7L, T0, T0)), Map.of("b2", blob("b2", 7)));
        IndexDocument merged = IndexMerge.merge(List.of(a, b));
        assertEquals(Map.of("s0", snapshot("s0"), "s1", snapshot("s1", "b1"), "s2", snapshot("s2", "b2")), merged.snapshots());
        assertEquals(2, merged.blobs().size());
        assertEquals(2, merged.attachments().size());
        assertEquals(List.of("a", "b"), merged.parentIndexIds());
    }

    @Test
    void theSameSnapshotWithDifferentValuesIsAConflict() {
        IndexDocument a = index("a", 2, List.of(), Map.of("s1", snapshot("s1")), Map.of(), Map.of());
        IndexDocument b = index("b", 2, List.of(), Map.of("s1", snapshot("s1", "b9")), Map.of(), Map.of("b9", blob("b9", 1)));
        IndexConflictException e = assertThrows(IndexConflictException.class, () -> IndexMerge.merge(List.of(a, b)));
        assertTrue(e.getMessage().contains("snapshot s1") && e.getMessage().contains("index a") && e.getMessage().contains("index b"),
                e.getMessage());
    }

    @Test
    void theSameBlobWithDifferentValuesIsAConflict() {
        IndexDocument a = index("a", 2, List.of(), Map.of(), Map.of(), Map.of("b1", blob("b1", 5)));
        IndexDocument b = index("b", 2, List.of(), Map.of(), Map.of(), Map.of("b1", blob("b1", 6)));
        assertThrows(IndexConflictException.class, () -> IndexMerge.merge(List.of(a, b)));
    }

    @Test
    void attachmentsTakeTheNewestLastSeenAtAndNeedTheirBlob() throws Exception {
        Instant later = T0.plusSeconds(60);
        IndexDocument a = index("a", 2, List.of(), Map.of(),
                Map.of("f", new AttachmentEntry("b1", 5L, T0, T0), "g", new AttachmentEntry("gone", 1L, T0, later)),
                Map.of("b1", blob("b1", 5)));
        IndexDocument b = index("b", 2, List.of(), Map.of(),
                Map.of("f", new AttachmentEntry("b2", 5L, T0, later), "g", new AttachmentEntry("b2", 5L, T0, T0)),
                Map.of("b2", blob("b2", 5)));
        IndexDocument merged = IndexMerge.merge(List.of(a, b));
        assertEquals("b2", merged.attachments().get("f").blobId(), "newest lastSeenAt wins");
        assertEquals("b2", merged.attachments().get("g").blobId(), "an entry whose blob no head lists cannot win");
    }
}
