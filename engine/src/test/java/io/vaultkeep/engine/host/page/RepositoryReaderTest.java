package io.vaultkeep.engine.host.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.archive.WrongPasswordException;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.TestVaults;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryReaderTest {

    private static final Instant START = Instant.parse("2026-11-01T12:00:00Z");
    private static final char[] PASSWORD = "reader test password".toCharArray();

    @TempDir
    Path location;

    /** Eight snapshots an hour apart, the third with an attachment; the ids newest first. */
    private List<String> eightSnapshots() throws Exception {
        TestVaults.SettableClock clock = new TestVaults.SettableClock(START);
        List<String> ids = new ArrayList<>();
        try (ObjectStore store = FolderStore.open(location);
             BackupRepository repo = BackupRepository.create(store, TestVaults.CODEC, PASSWORD, clock)) {
            for (int i = 0; i < 8; i++) {
                clock.set(START.plus(Duration.ofHours(i)));
                byte[] vault = TestVaults.vaultJson(3 + i, "v" + i);
                ids.add(0, i == 2
                        ? repo.backup(TestVaults.source(vault, 3 + i, TestVaults.attachment("item-0", "att-1", "a.bin", TestVaults.randomBytes(5000, 1))))
                                .snapshotId()
                        : repo.backup(TestVaults.source(vault, 3 + i)).snapshotId());
            }
        }
        return ids;
    }

    @Test
    void theViewListsTheSnapshotsNewestFirstWithTheirSizesAndWhatRetentionDrops() throws Exception {
        List<String> ids = eightSnapshots();
        RepositoryView view;
        try (ObjectStore store = FolderStore.open(location)) {
            view = RepositoryReader.read(store, PASSWORD, 5, START.plus(Duration.ofHours(9)));
        }
        assertTrue(view.exists());
        assertNull(view.problem());
        assertEquals(ids, view.snapshots().stream().map(RepositoryView.SnapshotRow::id).toList());
        // all younger than a day: retention keeps the newest five
        assertEquals(ids.subList(5, 8), view.droppedNext().stream().map(RepositoryView.SnapshotRow::id).toList());
        RepositoryView.SnapshotRow withAttachment = view.snapshots().get(5);
        assertEquals(1, withAttachment.attachments());
        assertEquals(5, withAttachment.items());
        assertTrue(withAttachment.size() > 5000, "the attachment's bytes count: " + withAttachment);
        long vaults = view.snapshots().stream().mapToLong(RepositoryView.SnapshotRow::size).sum() - 5000;
        assertTrue(view.storedBytes() > vaults, "stored: every vault and the blob: " + view.storedBytes() + " vs " + vaults);
    }

    @Test
    void neverPruningKeepsEverySnapshot() throws Exception {
        eightSnapshots();
        try (ObjectStore store = FolderStore.open(location)) {
            assertTrue(RepositoryReader.read(store, PASSWORD, 0, START.plus(Duration.ofDays(60))).droppedNext().isEmpty());
        }
    }

    @Test
    void anEmptyLocationHasNoRepositoryYetAndAWrongPasswordIsRefused() throws Exception {
        try (ObjectStore store = FolderStore.open(location)) {
            RepositoryView empty = RepositoryReader.read(store, PASSWORD, 30, START);
            assertFalse(empty.exists());
            assertNull(empty.problem());
        }
        eightSnapshots();
        try (ObjectStore store = FolderStore.open(location)) {
            assertThrows(WrongPasswordException.class, () -> RepositoryReader.read(store, "not it".toCharArray(), 30, START));
        }
    }
}
