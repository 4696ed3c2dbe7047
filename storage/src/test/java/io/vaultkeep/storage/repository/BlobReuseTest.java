package io.vaultkeep.storage.repository;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.attachment;
import static io.vaultkeep.storage.repository.TestVaults.randomBytes;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reusing a blob between read-backs costs one stat, and a size that differs from the index is caught. */
class BlobReuseTest {

    @TempDir
    Path temp;

    private final TestVaults.SettableClock clock = new TestVaults.SettableClock(Instant.parse("2026-11-01T10:00:00Z"));

    @Test
    void aTruncatedBlobIsReportedAndItsAttachmentStoredAfresh() throws Exception {
        Path root = temp.resolve("repo");
        byte[] bytes = randomBytes(50_000, 7);
        try (BackupRepository repo = BackupRepository.create(FolderStore.open(root), CODEC, null, clock)) {
            repo.backup(source(vaultJson(1, "one"), 1, attachment("item-0", "att", "a.bin", bytes)));
            String damagedId = repo.readIndex().catalogue().blobs().keySet().iterator().next();
            BlobEntry damaged = repo.readIndex().catalogue().blobs().get(damagedId);
            Path file = root.resolve(damaged.path());
            Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 1000));
            clock.advance(Duration.ofMinutes(5)); // well inside the window where blobs are not read back

            BackupRun.Committed second = repo.backup(source(vaultJson(1, "two"), 1, attachment("item-0", "att", "a.bin", bytes)));

            assertEquals(1, second.stats().newBlobCount());
            assertEquals(0, second.stats().reusedBlobCount());
            assertEquals(List.of("blob " + damagedId + " (" + damaged.path() + ") is damaged: its object has 1000 bytes, the index records "
                    + damaged.encryptedSize() + "; its attachment is stored afresh"), second.damagedBlobs());
            Path out = temp.resolve("restored");
            SnapshotRestore.toDirectory(repo.objects(), repo.readIndex().catalogue(), second.snapshotId(), out);
            assertArrayEquals(bytes, Files.readAllBytes(out.resolve("attachments/att/a.bin")));

            clock.advance(Duration.ofMinutes(5));
            BackupRun.Committed third = repo.backup(source(vaultJson(1, "three"), 1, attachment("item-0", "att", "a.bin", bytes)));
            assertEquals(1, third.stats().reusedBlobCount(), "the fresh blob is reused from then on");
            assertEquals(List.of(), third.damagedBlobs());
        }
    }

    @Test
    void theStatDecides() {
        Instant t = Instant.EPOCH;
        assertEquals(Optional.empty(), BlobValidationPolicy.storedObjectProblem(100L, Optional.of(new ObjectInfo("k", 100, t))));
        assertEquals(Optional.of("its object has 99 bytes, the index records 100"),
                BlobValidationPolicy.storedObjectProblem(100L, Optional.of(new ObjectInfo("k", 99, t))));
        assertEquals(Optional.of("its object is missing"), BlobValidationPolicy.storedObjectProblem(100L, Optional.empty()));
        assertTrue(BlobValidationPolicy.storedObjectProblem(null, Optional.of(new ObjectInfo("k", 5, t))).isEmpty(),
                "no recorded size: existence is all that can be checked");
        assertTrue(BlobValidationPolicy.storedObjectProblem(100L, Optional.of(new ObjectInfo("k", -1, t))).isEmpty(),
                "a server that reports no size is not called a liar");
    }
}
