package io.vaultkeep.storage.repository;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vaultkeep.protocol.repository.SnapshotEntry;
import io.vaultkeep.storage.store.DelegatingStore;
import io.vaultkeep.storage.store.FolderStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberedSnapshotTest {

    private static final char[] PASSWORD = "remembered".toCharArray();

    @TempDir
    Path temp;

    @Test
    void aRememberedSnapshotIsReadFromTheStoreOnceAndItsBytesAreHeldOnce() throws Exception {
        AtomicInteger snapshotReads = new AtomicInteger();
        try (FolderStore folder = FolderStore.open(temp.resolve("repo"))) {
            try (BackupRepository writer = BackupRepository.openOrCreate(folder, CODEC, PASSWORD, Clock.systemUTC())) {
                writer.backup(source(vaultJson(4, "a"), 4));
                writer.backup(source(vaultJson(4, "b"), 4));
            }
            DelegatingStore counting = new DelegatingStore(folder) {
                @Override
                public InputStream read(String key) throws IOException {
                    if (key.startsWith(RepositoryPaths.SNAPSHOTS)) {
                        snapshotReads.incrementAndGet();
                    }
                    return super.read(key);
                }
            };
            BackupRepository reader = BackupRepository.open(counting, CODEC, PASSWORD, Clock.systemUTC());
            reader.objects().rememberLastSnapshot();
            var snapshots = reader.readIndex().catalogue().snapshots().values().stream().toList();
            SnapshotEntry first = snapshots.get(0);
            SnapshotEntry second = snapshots.get(1);

            RepositoryObjects.SnapshotContent once = reader.objects().readSnapshot(first);
            RepositoryObjects.SnapshotContent again = reader.objects().readSnapshot(first);
            assertEquals(1, snapshotReads.get(), "the same snapshot again comes from memory");
            // not a copy per reader: a restore reads one snapshot up to four ways, and a vault is megabytes
            assertSame(once.vaultJson(), again.vaultJson(), "its bytes are held once");
            assertEquals('{', again.vaultJson()[0]);

            reader.objects().readSnapshot(second);
            RepositoryObjects.SnapshotContent firstAgain = reader.objects().readSnapshot(first);
            assertEquals(3, snapshotReads.get(), "only the last snapshot is kept");
            assertArrayEquals(again.vaultJson(), firstAgain.vaultJson());
        }
    }
}
