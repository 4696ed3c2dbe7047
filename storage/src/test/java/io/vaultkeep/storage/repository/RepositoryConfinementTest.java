package io.vaultkeep.storage.repository;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.attachment;
import static io.vaultkeep.storage.repository.TestVaults.randomBytes;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ObjectEncryption;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.protocol.repository.SnapshotStats;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.OutsideLocationException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crafted index cannot make prune, rollback or restore touch anything but the repository's own objects. */
class RepositoryConfinementTest {

    @TempDir
    Path temp;

    private final TestVaults.SettableClock clock = new TestVaults.SettableClock(Instant.parse("2026-11-01T10:00:00Z"));
    private Path root;
    private ObjectStore store;
    private Path precious;

    @BeforeEach
    void repositoryWithALinkToElsewhere() throws IOException {
        root = temp.resolve("repo");
        store = FolderStore.open(root);
        precious = Files.writeString(Files.createDirectories(temp.resolve("elsewhere/cd")).resolve("precious.db"), "keep me");
        Files.createDirectories(root.resolve("blobs"));
        Files.createSymbolicLink(root.resolve("blobs/zz"), temp.resolve("elsewhere"));
    }

    @Test
    void pruneDeletesOnlySnapshotsAtTheirOwnKeys() throws Exception {
        try (BackupRepository repo = BackupRepository.create(store, CODEC, null, clock)) {
            BackupRun.Committed real = repo.backup(source(vaultJson(1, "real"), 1));
            String firstIndex = real.indexKey();
            clock.advance(Duration.ofDays(2));
            Map<String, SnapshotEntry> crafted = new HashMap<>();
            crafted.put("20261030100000-a", snapshotAt("blobs/zz/cd/precious.db", Duration.ofDays(3)));
            crafted.put("20261030100000-b", snapshotAt(RepositoryPaths.REPO, Duration.ofDays(4)));
            crafted.put("20261030100000-c", snapshotAt(firstIndex, Duration.ofDays(5)));
            crafted.put("20261030100000-d", snapshotAt("snapshots/20261030100000-other.zip", Duration.ofDays(6)));
            commitWith(repo, crafted, Map.of());

            PrunePlan plan = repo.planPrune(1, clock.instant());
            assertEquals(List.of(real.snapshotId()), plan.keptSnapshotIds());
            RepositoryPrune.Result result = repo.prune(plan);

            assertEquals(0, result.deletedSnapshots());
            assertEquals(Set.of("blobs/zz/cd/precious.db", RepositoryPaths.REPO, firstIndex, "snapshots/20261030100000-other.zip"),
                    Set.copyOf(result.refusedKeys()));
            assertEquals("keep me", Files.readString(precious));
            assertTrue(Files.exists(root.resolve(RepositoryPaths.REPO)));
            assertTrue(Files.exists(root.resolve(firstIndex)));
            assertEquals(Set.of(real.snapshotId()), repo.readIndex().catalogue().snapshots().keySet(),
                    "the crafted entries are gone from the catalogue");
            SnapshotRestore.toDirectory(repo.objects(), repo.readIndex().catalogue(), real.snapshotId(), temp.resolve("out"));
        }
    }

    @Test
    void aBlobKeyThroughASymlinkedFolderIsRefusedByTheStore() throws Exception {
        Files.writeString(temp.resolve("elsewhere/cd/zzcd-evil.zip"), "not a blob");
        try (BackupRepository repo = BackupRepository.create(store, CODEC, null, clock)) {
            repo.backup(source(vaultJson(1, "real"), 1));
            clock.advance(Duration.ofDays(2));
            BlobEntry evil = new BlobEntry(RepositoryPaths.blob("zzcd-evil"), 10L, 10L, clock.instant(), clock.instant(),
                    clock.instant(), ObjectEncryption.NONE);
            // an older snapshot for retention to drop, so that unreferenced blobs go too
            commitWith(repo, Map.of("20261030100000-old", snapshotAt("snapshots/20261030100000-old.zip", Duration.ofDays(3))),
                    Map.of("zzcd-evil", evil));

            PrunePlan plan = repo.planPrune(1, clock.instant());
            assertEquals(List.of("zzcd-evil"), plan.droppedBlobIds());
            assertThrows(OutsideLocationException.class, () -> repo.prune(plan));
            assertEquals("not a blob", Files.readString(temp.resolve("elsewhere/cd/zzcd-evil.zip")));
            assertThrows(OutsideLocationException.class,
                    () -> repo.objects().readBlob(evil.path(), ObjectEncryption.NONE, OutputStream.nullOutputStream()));
        }
    }

    @Test
    void rollbackDeletesOnlyKeysOfTheRunsOwnKinds() throws Exception {
        try (BackupRepository repo = BackupRepository.create(store, CODEC, null, clock)) {
            BackupRun.Committed real = repo.backup(source(vaultJson(1, "real"), 1, attachment("i", "a", "f", randomBytes(50, 1))));
            int deleted = RunRollback.rollback(repo.objects(), List.of("../../repo", "zz/cd/precious"), RepositoryPaths.REPO);
            assertEquals(0, deleted);
            assertEquals(0, RunRollback.rollback(repo.objects(), List.of(), real.indexKey()));
            assertTrue(Files.exists(root.resolve(RepositoryPaths.REPO)));
            assertTrue(Files.exists(root.resolve(real.indexKey())));
            assertEquals("keep me", Files.readString(precious));
        }
    }

    @Test
    void readingASnapshotOrBlobAtAForeignKeyIsRefusedAsDamage() throws Exception {
        try (BackupRepository repo = BackupRepository.create(store, CODEC, null, clock)) {
            repo.backup(source(vaultJson(1, "real"), 1));
            UnexpectedKeyException notSnapshot = assertThrows(UnexpectedKeyException.class,
                    () -> repo.objects().readSnapshot(RepositoryPaths.REPO, ObjectEncryption.NONE));
            assertTrue(notSnapshot.getMessage().startsWith("repo.zip is not a snapshot's key"), notSnapshot.getMessage());
            assertTrue(RepositoryObjects.isDamage(notSnapshot), "reported per object by check, never mistaken for an outage");
            assertThrows(UnexpectedKeyException.class,
                    () -> repo.objects().readBlob("blobs/zz/cd/precious.db", ObjectEncryption.NONE, OutputStream.nullOutputStream()));
        }
    }

    private SnapshotEntry snapshotAt(String path, Duration age) {
        return new SnapshotEntry(path, clock.instant().minus(age), 10, List.of(), ObjectEncryption.NONE, SnapshotStats.EMPTY);
    }

    private static void commitWith(BackupRepository repo, Map<String, SnapshotEntry> snapshots, Map<String, BlobEntry> blobs)
            throws IOException {
        IndexState base = repo.readIndex();
        IndexDocument catalogue = base.catalogue();
        Map<String, SnapshotEntry> allSnapshots = new HashMap<>(catalogue.snapshots());
        allSnapshots.putAll(snapshots);
        Map<String, BlobEntry> allBlobs = new HashMap<>(catalogue.blobs());
        allBlobs.putAll(blobs);
        repo.objects().commitIndex(catalogue.successor(UUID.randomUUID().toString(), base.nextGeneration(), base.headIds(),
                repo.now(), allSnapshots, catalogue.attachments(), allBlobs, catalogue.contentHashes()));
    }
}
