package io.vaultkeep.storage.repository;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.attachment;
import static io.vaultkeep.storage.repository.TestVaults.randomBytes;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose vault and attachments equal the newest snapshot's commits nothing; any difference commits. */
class UnchangedBackupTest {

    @TempDir
    Path temp;

    private final TestVaults.SettableClock clock = new TestVaults.SettableClock(Instant.parse("2026-11-01T10:00:00Z"));

    @Test
    void theSameVaultAndAttachmentsCommitNothingAndEveryDifferenceCommits() throws Exception {
        ObjectStore store = FolderStore.open(temp.resolve("repo"));
        byte[] vault = vaultJson(2, "v1");
        byte[] a = randomBytes(5000, 1);
        byte[] b = randomBytes(3000, 2);
        try (BackupRepository repo = BackupRepository.create(store, CODEC, "pw".toCharArray(), clock)) {
            String first = repo.backupUnlessUnchanged(source(vault, 2, attachment("item-0", "att-a", "a.bin", a),
                    attachment("item-1", "att-b", "b.bin", b))).committed().snapshotId();
            List<io.vaultkeep.storage.store.ObjectInfo> objects = repositoryObjects(store);
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofMinutes(1));
                // the attachments listed in another order are still the same snapshot
                BackupRepository.Outcome again = repo.backupUnlessUnchanged(source(vault, 2,
                        attachment("item-1", "att-b", "b.bin", b), attachment("item-0", "att-a", "a.bin", a)));
                assertNull(again.committed());
                assertEquals(first, again.unchangedSince());
            }
            assertEquals(objects, repositoryObjects(store), "nothing was written");

            clock.advance(Duration.ofMinutes(1));
            // an attachment id names fixed bytes (Bitwarden never changes them): a new file is a new id
            byte[] changedBytes = randomBytes(5000, 9);
            assertNotNull(repo.backupUnlessUnchanged(source(vault, 2, attachment("item-0", "att-c", "a.bin", changedBytes),
                    attachment("item-1", "att-b", "b.bin", b))).committed(), "an attachment was replaced");
            clock.advance(Duration.ofMinutes(1));
            assertNotNull(repo.backupUnlessUnchanged(source(vault, 2, attachment("item-0", "att-c", "a.bin", changedBytes)))
                    .committed(), "an attachment is gone");
            clock.advance(Duration.ofMinutes(1));
            byte[] edited = vaultJson(2, "v2");
            assertEquals(vault.length, edited.length, "same size, other bytes");
            assertNotNull(repo.backupUnlessUnchanged(source(edited, 2, attachment("item-0", "att-c", "a.bin", changedBytes)))
                    .committed(), "the vault changed");
            clock.advance(Duration.ofMinutes(1));
            String forced = repo.backup(source(edited, 2, attachment("item-0", "att-c", "a.bin", changedBytes))).snapshotId();
            assertEquals(forced, repo.backupUnlessUnchanged(source(edited, 2, attachment("item-0", "att-c", "a.bin", changedBytes)))
                    .unchangedSince(), "a forced run commits, and is then the newest");
            assertEquals(5, repo.readIndex().catalogue().snapshots().size(), "the first, three changes, one forced");
        }
    }

    /** Every object but the writer lock, which each run takes (and empties again) whether it commits or not. */
    private static List<io.vaultkeep.storage.store.ObjectInfo> repositoryObjects(ObjectStore store) throws Exception {
        return store.list("").stream().filter(o -> !o.key().startsWith("locks/")).toList();
    }
}
