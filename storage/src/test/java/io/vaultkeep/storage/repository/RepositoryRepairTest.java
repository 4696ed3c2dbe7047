package io.vaultkeep.storage.repository;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.attachment;
import static io.vaultkeep.storage.repository.TestVaults.randomBytes;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code repair} after the newest index was damaged: what it recovers, what it names as lost, and that writes resume. */
class RepositoryRepairTest {

    @TempDir
    Path temp;

    private final TestVaults.SettableClock clock = new TestVaults.SettableClock(Instant.parse("2026-11-01T10:00:00Z"));

    /** Three runs; the third's index is damaged. Returns the three commits. */
    private List<BackupRun.Committed> threeRunsTheLastIndexDamaged(BackupRepository repo, byte[] late) throws Exception {
        BackupRun.Committed one = repo.backup(source(vaultJson(1, "one"), 1, attachment("item-0", "att-0", "a", randomBytes(500, 1))));
        clock.advance(Duration.ofMinutes(1));
        BackupRun.Committed two = repo.backup(source(vaultJson(1, "two"), 1));
        clock.advance(Duration.ofMinutes(1));
        BackupRun.Committed three = repo.backup(source(vaultJson(2, "three"), 2, attachment("item-1", "att-1", "b", late)));
        Path index = temp.resolve("repo").resolve(three.indexKey());
        byte[] bytes = Files.readAllBytes(index);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(index, bytes);
        assertTrue(repo.readIndex().damaged());
        return List.of(one, two, three);
    }

    @Test
    void aPlainRepositoryRecoversTheSnapshotAndBlobOnlyTheDamagedIndexListed() throws Exception {
        byte[] late = randomBytes(800, 2);
        try (FolderStore store = FolderStore.open(temp.resolve("repo"));
             BackupRepository repo = BackupRepository.create(store, CODEC, null, clock)) {
            List<BackupRun.Committed> runs = threeRunsTheLastIndexDamaged(repo, late);
            BackupRun.Committed three = runs.get(2);

            List<String> before = keys(store);
            RepositoryRepair.Report dry = repo.repair(true);
            assertNull(dry.indexKey());
            assertTrue(dry.needed());
            assertEquals(before, keys(store), "a dry run writes nothing");

            RepositoryRepair.Report report = repo.repair(false);
            assertEquals(List.of(), report.lost());
            assertEquals(2, report.recovered().size(), report.recovered().toString());
            assertTrue(report.recovered().contains("snapshot " + three.snapshotId() + " (" + three.snapshotKey() + ")"), report.recovered().toString());
            assertEquals(4, report.generation());
            assertEquals(dry.recovered(), report.recovered());

            IndexState repaired = repo.readIndex();
            assertFalse(repaired.damaged(), "the damaged generation is superseded");
            IndexDocument catalogue = repaired.catalogue();
            assertEquals(Set.of(runs.get(0).snapshotId(), runs.get(1).snapshotId(), three.snapshotId()), catalogue.snapshots().keySet());
            Path out = temp.resolve("restored");
            SnapshotRestore.toDirectory(repo.objects(), catalogue, three.snapshotId(), out);
            assertArrayEquals(vaultJson(2, "three"), Files.readAllBytes(out.resolve("vault.json")));
            assertArrayEquals(late, Files.readAllBytes(out.resolve("attachments/att-1/b")));

            BackupRun.Committed next = repo.backup(source(vaultJson(2, "four"), 2, attachment("item-1", "att-1", "b", late)));
            assertEquals(5, next.generation());
            assertEquals(0, next.stats().newBlobCount(), "the recovered blob is deduplicated again");
            CheckReport check = RepositoryCheck.run(repo, true);
            assertTrue(check.ok(), () -> check.problems().toString());
            assertEquals(1, check.notes().size());
            assertTrue(check.notes().get(0).startsWith("superseded index " + three.indexKey() + " is unreadable"), check.notes().toString());
        }
    }

    @Test
    void anEncryptedRepositoryNamesTheSnapshotsWhoseKeysWereInTheLostIndex() throws Exception {
        try (FolderStore store = FolderStore.open(temp.resolve("repo"));
             BackupRepository repo = BackupRepository.create(store, CODEC, "pw".toCharArray(), clock)) {
            List<BackupRun.Committed> runs = threeRunsTheLastIndexDamaged(repo, randomBytes(300, 3));
            BackupRun.Committed three = runs.get(2);
            RepositoryRepair.Report report = repo.repair(false);
            assertEquals(List.of(), report.recovered());
            IndexDocument kept = repo.readIndex().catalogue();
            String blobKey = store.list(RepositoryPaths.BLOBS).stream().map(ObjectInfo::key)
                    .filter(k -> kept.blobs().values().stream().noneMatch(b -> b.path().equals(k)))
                    .findFirst().orElseThrow();
            assertEquals(List.of(
                    "blob object " + blobKey + ": its key was only in the unreadable " + three.indexKey(),
                    "snapshot " + three.snapshotId() + " (" + three.snapshotKey() + "): its key was only in the unreadable " + three.indexKey()),
                    report.lost());
            assertEquals(Set.of(runs.get(0).snapshotId(), runs.get(1).snapshotId()), repo.readIndex().catalogue().snapshots().keySet());
            assertEquals(5, repo.backup(source(vaultJson(1, "after"), 1)).generation(), "writes resume");
        }
    }

    @Test
    void aListedSnapshotThatNoLongerOpensIsNamedAndDropped() throws Exception {
        try (FolderStore store = FolderStore.open(temp.resolve("repo"));
             BackupRepository repo = BackupRepository.create(store, CODEC, null, clock)) {
            BackupRun.Committed one = repo.backup(source(vaultJson(1, "one"), 1));
            clock.advance(Duration.ofMinutes(1));
            BackupRun.Committed two = repo.backup(source(vaultJson(1, "two"), 1));
            Path snapshot = temp.resolve("repo").resolve(one.snapshotKey());
            Files.write(snapshot, java.util.Arrays.copyOf(Files.readAllBytes(snapshot), 30));
            RepositoryRepair.Report report = repo.repair(false);
            assertEquals(1, report.lost().size());
            assertTrue(report.lost().get(0).startsWith("snapshot " + one.snapshotId() + " (" + one.snapshotKey() + "): "), report.lost().toString());
            assertEquals(Set.of(two.snapshotId()), repo.readIndex().catalogue().snapshots().keySet());
        }
    }

    @Test
    void aHealthyRepositoryNeedsNoRepair() throws Exception {
        try (FolderStore store = FolderStore.open(temp.resolve("repo"));
             BackupRepository repo = BackupRepository.create(store, CODEC, null, clock)) {
            repo.backup(source(vaultJson(1, "one"), 1, attachment("item-0", "att-0", "a", randomBytes(100, 4))));
            RepositoryRepair.Report report = repo.repair(false);
            assertFalse(report.needed());
            assertNull(report.indexKey());
            assertEquals(1, repo.readIndex().generation(), "nothing written");
        }
    }

    private static List<String> keys(FolderStore store) throws Exception {
        return store.list("").stream().map(ObjectInfo::key).toList();
    }
}
