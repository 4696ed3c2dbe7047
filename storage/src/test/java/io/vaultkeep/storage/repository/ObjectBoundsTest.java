package io.vaultkeep.storage.repository;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.attachment;
import static io.vaultkeep.storage.repository.TestVaults.randomBytes;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.protocol.repository.SnapshotManifest;
import io.vaultkeep.storage.archive.CorruptArchiveException;
import io.vaultkeep.storage.archive.ZipCodec.EntrySource;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.FolderStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot or blob that inflates past what the catalogue records is a corrupt object, found without inflating it all. */
class ObjectBoundsTest {

    private static final int BOMB = 64 * 1024 * 1024;

    @TempDir
    Path temp;

    private final TestVaults.SettableClock clock = new TestVaults.SettableClock(Instant.parse("2026-11-01T10:00:00Z"));

    @Test
    void aVaultBombIsACorruptObjectAndRestoreWritesNothing() throws Exception {
        Path root = temp.resolve("repo");
        try (BackupRepository repo = BackupRepository.create(FolderStore.open(root), CODEC, null, clock)) {
            BackupRun.Committed run = repo.backup(source(vaultJson(2, "real"), 2));
            IndexDocument catalogue = repo.readIndex().catalogue();
            SnapshotEntry entry = catalogue.snapshots().get(run.snapshotId());
            Map<String, byte[]> original = CODEC.readAll(new ByteArrayInputStream(Files.readAllBytes(root.resolve(run.snapshotKey()))), null);
            Files.write(root.resolve(run.snapshotKey()), zip(EntrySource.ofBytes(SnapshotManifest.ENTRY, original.get(SnapshotManifest.ENTRY)),
                    zeros(SnapshotManifest.VAULT_ENTRY)));

            Path out = temp.resolve("restored");
            CorruptArchiveException e = assertThrows(CorruptArchiveException.class,
                    () -> SnapshotRestore.toDirectory(repo.objects(), catalogue, run.snapshotId(), out));
            assertEquals("corrupt object " + run.snapshotKey() + ": entry 'vault.json' inflates past "
                    + (entry.vaultSize() + ObjectBounds.MARGIN) + " bytes, more than it may hold", e.getMessage());
            assertFalse(Files.exists(out), "nothing is restored from a corrupt snapshot");
            // reading the data, the bomb is stopped as it inflates; without, its headers' claim is caught, unread
            for (boolean readData : new boolean[] {false, true}) {
                CheckReport report = RepositoryCheck.run(repo, readData);
                String finding = readData ? "inflates past"
                        : "vault.json's headers declare " + BOMB + " bytes; the manifest says " + entry.vaultSize();
                assertTrue(report.problems().stream().anyMatch(p -> p.kind() == CheckReport.Kind.CORRUPT
                        && p.path().equals(run.snapshotKey()) && p.detail().contains(finding)), report.toString());
            }
        }
    }

    @Test
    void aBlobBombIsACorruptObject() throws Exception {
        Path root = temp.resolve("repo");
        try (BackupRepository repo = BackupRepository.create(FolderStore.open(root), CODEC, null, clock)) {
            BackupRun.Committed run = repo.backup(source(vaultJson(1, "real"), 1, attachment("item-0", "att", "a.bin", randomBytes(1000, 1))));
            IndexDocument catalogue = repo.readIndex().catalogue();
            BlobEntry blob = catalogue.blobs().values().iterator().next();
            Files.write(root.resolve(blob.path()), zip(zeros(RepositoryPaths.BLOB_ENTRY)));

            CorruptArchiveException e = assertThrows(CorruptArchiveException.class,
                    () -> SnapshotRestore.toDirectory(repo.objects(), catalogue, run.snapshotId(), temp.resolve("restored")));
            assertEquals("corrupt object " + blob.path() + ": entry 'attachment.bin' inflates past "
                    + (1000 + ObjectBounds.MARGIN) + " bytes, more than it may hold", e.getMessage());
        }
    }

    @Test
    void anIndexPastTheFixedCapIsACorruptObject() throws Exception {
        Path root = temp.resolve("repo");
        try (BackupRepository repo = BackupRepository.create(FolderStore.open(root), CODEC, null, clock)) {
            repo.backup(source(vaultJson(1, "real"), 1));
            String key = RepositoryPaths.index(2, "bomb");
            Files.write(root.resolve(key), zip(zeros(RepositoryPaths.INDEX_ENTRY, ObjectBounds.INDEX_BYTES + (1 << 20))));

            CorruptArchiveException e = assertThrows(CorruptArchiveException.class, () -> repo.objects().readIndex(key));
            assertEquals("corrupt object " + key + ": entry 'index.json' inflates past " + ObjectBounds.INDEX_BYTES
                    + " bytes, more than it may hold", e.getMessage());
        }
    }

    @Test
    void limitsFollowTheCatalogue() {
        assertEquals(1000 + ObjectBounds.MARGIN, ObjectBounds.snapshot(1000).perEntry().applyAsLong(SnapshotManifest.VAULT_ENTRY));
        assertEquals(ObjectBounds.MANIFEST_BYTES, ObjectBounds.snapshot(0).perEntry().applyAsLong(SnapshotManifest.VAULT_ENTRY),
                "no recorded size: the manifest's cap");
        assertEquals(ObjectBounds.MANIFEST_BYTES, ObjectBounds.snapshot(1000).perEntry().applyAsLong(SnapshotManifest.ENTRY));
        assertEquals(ObjectBounds.MARGIN, ObjectBounds.snapshot(1000).perEntry().applyAsLong("stray.bin"));
        assertEquals(5 + ObjectBounds.MARGIN, ObjectBounds.blob(5L).total());
        assertEquals(Long.MAX_VALUE, ObjectBounds.blob(null).total(), "no recorded size: streamed without a bound");
        assertEquals(256L * 1024 * 1024, ObjectBounds.document().total());
    }

    private static EntrySource zeros(String name) {
        return zeros(name, BOMB);
    }

    private static EntrySource zeros(String name, long size) {
        return new EntrySource(name, out -> {
            byte[] chunk = new byte[64 * 1024];
            for (long left = size; left > 0; left -= chunk.length) {
                out.write(chunk);
            }
        });
    }

    private static byte[] zip(EntrySource... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CODEC.write(out, List.of(entries), null);
        return out.toByteArray();
    }
}
