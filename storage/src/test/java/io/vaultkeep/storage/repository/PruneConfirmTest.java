package io.vaultkeep.storage.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ObjectEncryption;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.protocol.repository.SnapshotStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A prune deletes what the index it reads says, whatever the plan it is handed lists. */
class PruneConfirmTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    /** Eight daily snapshots, the newest now; each references its own blob. */
    private static IndexDocument catalogue(int count) {
        Map<String, SnapshotEntry> snapshots = new TreeMap<>();
        Map<String, BlobEntry> blobs = new TreeMap<>();
        for (int day = 0; day < count; day++) {
            String id = "2026113" + (9 - day) + "120000-s" + day;
            Instant at = NOW.minus(Duration.ofDays(day));
            snapshots.put(id, new SnapshotEntry(RepositoryPaths.snapshot(id), at, 10, List.of("b" + day), ObjectEncryption.NONE,
                    SnapshotStats.EMPTY));
            blobs.put("b" + day, new BlobEntry(RepositoryPaths.blob("b" + day), 1L, 2L, at, at, at, ObjectEncryption.NONE));
        }
        return new IndexDocument(1, "i", 3, List.of(), NOW, snapshots, Map.of(), blobs, Map.of());
    }

    @Test
    void aForgedPlanThatDropsTheNewestAndTheRepositoryFileBecomesWhatRetentionDrops() {
        IndexDocument index = catalogue(8);
        String newest = index.snapshots().keySet().stream().max(String::compareTo).orElseThrow();
        PrunePlan forged = new PrunePlan(NOW, 5, List.of(), List.of(newest), List.of("repo.zip"), List.of("b0"),
                List.of("indexes/00000000000000000003-i.zip"));
        PrunePlan confirmed = RepositoryPrune.confirm(forged, index, 5);
        assertEquals(RepositoryPrune.plan(index, 5, NOW), confirmed);
        assertEquals(false, confirmed.droppedSnapshotIds().contains(newest));
        assertEquals(false, confirmed.droppedSnapshotKeys().contains("repo.zip"));
        assertEquals(confirmed.droppedSnapshotIds().stream().map(id -> index.snapshots().get(id).path()).toList(),
                confirmed.droppedSnapshotKeys());
    }

    @Test
    void aResumedPruneDeletesOnlyUnlistedIdsUnderTheirFormatNames() {
        IndexDocument before = catalogue(8);
        PrunePlan journaled = RepositoryPrune.plan(before, 5, NOW);
        // the pruned index was committed before the crash: it lists neither the dropped snapshots nor their blobs
        Map<String, SnapshotEntry> kept = new TreeMap<>(before.snapshots());
        kept.keySet().removeAll(journaled.droppedSnapshotIds());
        Map<String, BlobEntry> keptBlobs = new TreeMap<>(before.blobs());
        keptBlobs.keySet().removeAll(journaled.droppedBlobIds());
        IndexDocument after = new IndexDocument(1, "j", 4, List.of("i"), NOW, kept, Map.of(), keptBlobs, Map.of());
        assertEquals(journaled.droppedSnapshotKeys(), RepositoryPrune.confirm(journaled, after, 5).droppedSnapshotKeys());
        assertEquals(journaled.droppedBlobKeys(), RepositoryPrune.confirm(journaled, after, 5).droppedBlobKeys());

        String listedBlob = keptBlobs.keySet().iterator().next();
        PrunePlan widened = new PrunePlan(NOW, 5, List.of(), List.of("../repo", "x/../../etc"), List.of("repo.zip", "x"),
                List.of(listedBlob, ".hidden", "b9"), List.of("indexes/a.zip", "y", "z"));
        PrunePlan confirmed = RepositoryPrune.confirm(widened, after, 5);
        assertEquals(List.of(), confirmed.droppedSnapshotKeys(), "ids that are not one object's name are left alone");
        assertEquals(List.of(RepositoryPaths.blob("b9")), confirmed.droppedBlobKeys(), "a blob the index lists stays");
    }
}
