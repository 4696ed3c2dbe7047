package io.vaultkeep.storage.check;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.attachment;
import static io.vaultkeep.storage.repository.TestVaults.randomBytes;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.FetchedVault.AttachmentSource;
import io.vaultkeep.storage.repository.RepositoryPaths;
import io.vaultkeep.storage.repository.TestVaults;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.DelegatingStore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Check and restore read with several readers at once; what they report must not depend on how
 * many: the same problems in the same order, the same first failure, the same files.
 */
class ParallelReadsTest {

    private static final int ATTACHMENTS = 24;

    @TempDir
    Path temp;

    private final TestVaults.SettableClock clock = new TestVaults.SettableClock(Instant.parse("2026-12-06T10:00:00Z"));

    /** Three snapshots sharing {@value #ATTACHMENTS} attachments, one new each time. */
    private BackupRun.Committed backups(BackupRepository repo) throws IOException {
        BackupRun.Committed last = null;
        for (int run = 0; run < 3; run++) {
            List<AttachmentSource> attachments = new ArrayList<>();
            for (int i = 0; i < ATTACHMENTS + run; i++) {
                attachments.add(attachment("item-" + i, "att-" + i, "file-" + i + ".bin", randomBytes(5_000 + 97 * i, i)));
            }
            last = repo.backup(source(vaultJson(ATTACHMENTS, "run " + run), ATTACHMENTS, attachments.toArray(AttachmentSource[]::new)));
            clock.advance(Duration.ofMinutes(1));
        }
        return last;
    }

    private List<Path> blobFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve(RepositoryPaths.BLOBS))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void aFolderIsReadByAsManyReadersAsCoresFromTwoToFourAServerByFour() {
        assertEquals(2, io.vaultkeep.storage.repository.OrderedReads.defaultReaders(true, 1));
        assertEquals(2, io.vaultkeep.storage.repository.OrderedReads.defaultReaders(true, 2));
        assertEquals(3, io.vaultkeep.storage.repository.OrderedReads.defaultReaders(true, 3));
        assertEquals(4, io.vaultkeep.storage.repository.OrderedReads.defaultReaders(true, 64));
        assertEquals(4, io.vaultkeep.storage.repository.OrderedReads.defaultReaders(false, 1));
        assertEquals(4, io.vaultkeep.storage.repository.OrderedReads.defaultReaders(false, 64));
    }

    @Test
    void aDamagedRepositoryGetsTheSameReportFromOneReaderAndFromMany() throws Exception {
        Path root = temp.resolve("repo");
        try (BackupRepository repo = BackupRepository.create(FolderStore.open(root), CODEC, "pw".toCharArray(), clock)) {
            backups(repo);
        }
        List<Path> blobs = blobFiles(root);
        Files.write(blobs.get(3), java.util.Arrays.copyOf(Files.readAllBytes(blobs.get(3)), 100)); // truncated
        byte[] flipped = Files.readAllBytes(blobs.get(7));
        flipped[flipped.length / 2] ^= 0x5a;
        Files.write(blobs.get(7), flipped); // a bit flipped inside the data
        Files.delete(blobs.get(11)); // gone
        Files.copy(blobs.get(12), blobs.get(12).resolveSibling("orphan.zip")); // nothing refers to it
        try (Stream<Path> snapshots = Files.list(root.resolve(RepositoryPaths.SNAPSHOTS))) {
            Files.delete(snapshots.sorted().findFirst().orElseThrow()); // a snapshot gone
        }

        try (BackupRepository repo = BackupRepository.open(FolderStore.open(root), CODEC, "pw".toCharArray(), clock)) {
            for (boolean readData : List.of(false, true)) {
                CheckReport serial = RepositoryCheck.run(repo, readData, 1);
                assertFalse(serial.ok());
                for (int readers : List.of(2, 4, 16)) {
                    assertEquals(serial, RepositoryCheck.run(repo, readData, readers), readers + " readers, readData " + readData);
                }
            }
            CheckReport full = RepositoryCheck.run(repo, true, 1);
            assertEquals(6, full.problems().size(), () -> "truncated (size and archive), flipped, missing blob, missing snapshot, orphan: " + full.problems());
        }
    }

    /** A store that cannot be reached for some objects: a location failure, which aborts the check. */
    private static final class UnreachableFor extends DelegatingStore {
        private final Map<String, String> failures;

        UnreachableFor(ObjectStore delegate, Map<String, String> failures) {
            super(delegate);
            this.failures = failures;
        }

        @Override
        public InputStream read(String key) throws IOException {
            String message = failures.get(key);
            if (message != null) {
                throw new IOException(message);
            }
            return super.read(key);
        }
    }

    @Test
    void theFailureReportedIsTheFirstInCatalogueOrderWhateverTheReaders() throws Exception {
        Path root = temp.resolve("repo");
        IndexDocument catalogue;
        try (BackupRepository repo = BackupRepository.create(FolderStore.open(root), CODEC, null, clock)) {
            backups(repo);
            catalogue = repo.readIndex().catalogue();
        }
        List<BlobEntry> inOrder = new ArrayList<>(catalogue.blobs().values());
        // the later one in catalogue order fails at once; the earlier one is the one to report
        Map<String, String> failures = new TreeMap<>(Map.of(
                inOrder.get(5).path(), "connection reset reading the earlier blob",
                inOrder.get(20).path(), "connection reset reading the later blob"));
        for (int readers : List.of(1, 4, 16)) {
            try (BackupRepository repo = BackupRepository.open(new UnreachableFor(FolderStore.open(root), failures), CODEC, null, clock)) {
                IOException failure = assertThrows(IOException.class, () -> RepositoryCheck.run(repo, true, readers));
                assertEquals("connection reset reading the earlier blob", failure.getMessage(), readers + " readers");
            }
        }
    }

    @Test
    void restoreWritesTheSameFilesWithOneReaderAndWithManyAndLeavesTheSameOnFailure() throws Exception {
        Path root = temp.resolve("repo");
        BackupRun.Committed last;
        IndexDocument catalogue;
        try (BackupRepository repo = BackupRepository.create(FolderStore.open(root), CODEC, null, clock)) {
            last = backups(repo);
            catalogue = repo.readIndex().catalogue();
        }
        Map<String, byte[]> serial = null;
        for (int readers : List.of(1, 4, 16)) {
            try (BackupRepository repo = BackupRepository.open(FolderStore.open(root), CODEC, null, clock)) {
                Path out = temp.resolve("restored-" + readers);
                SnapshotRestore.Restored restored = SnapshotRestore.toDirectory(repo.objects(), catalogue, last.snapshotId(), out, null,
                        readers);
                assertEquals(ATTACHMENTS + 2, restored.attachments());
                Map<String, byte[]> files = contents(out);
                if (serial == null) {
                    serial = files;
                } else {
                    assertEquals(serial.keySet(), files.keySet());
                    for (String name : serial.keySet()) {
                        assertArrayEquals(serial.get(name), files.get(name), name);
                    }
                }
            }
        }

        // att-9's blob, known by its size: a failure in the middle of the attachments
        String failing = catalogue.blobs().values().stream().filter(blob -> blob.plainSize() == 5_000 + 97 * 9)
                .findFirst().orElseThrow().path();
        List<String> leftBySerial = null;
        for (int readers : List.of(1, 4, 16)) {
            try (BackupRepository repo = BackupRepository.open(new UnreachableFor(FolderStore.open(root),
                    Map.of(failing, "connection reset")), CODEC, null, clock)) {
                Path out = temp.resolve("failed-" + readers);
                IOException failure = assertThrows(IOException.class,
                        () -> SnapshotRestore.toDirectory(repo.objects(), catalogue, last.snapshotId(), out, null, readers));
                assertEquals("connection reset", failure.getMessage());
                List<String> left = new ArrayList<>(contents(out).keySet());
                assertTrue(left.contains("vault.json"));
                if (leftBySerial == null) {
                    leftBySerial = left;
                } else {
                    assertEquals(leftBySerial, left, readers + " readers leave what one reader leaves");
                }
            }
        }
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }
}
