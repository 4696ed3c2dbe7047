package io.vaultkeep.storage.repository;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.source;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vaultkeep.storage.store.FolderStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexCacheTest {

    private static final char[] PASSWORD = "index cache test".toCharArray();

    @TempDir
    Path temp;

    @Test
    void aWriterReadsEachIndexOnceAcrossRunsAndStillSeesAnotherWritersCommit() throws Exception {
        IndexCache cache = new IndexCache();
        try (FolderStore store = FolderStore.open(temp.resolve("repo"));
             BackupRepository ours = BackupRepository.openOrCreate(store, CODEC, PASSWORD, Clock.systemUTC()).rememberingIndexes(cache);
             BackupRepository other = BackupRepository.open(store, CODEC, PASSWORD, Clock.systemUTC())) {
            ours.backup(source(vaultJson(3, "one"), 3));
            long readByFirstRun = cache.reads();
            assertEquals(1, readByFirstRun, "the first commit's index, read back once");

            ours.backup(source(vaultJson(3, "two"), 3));
            assertEquals(readByFirstRun + 1, cache.reads(), "the second run starts from what it knows and reads back only its own commit");

            other.backup(source(vaultJson(3, "three"), 3)); // another writer, which knows nothing of ours
            long before = cache.reads();
            IndexState seen = ours.readIndex();
            assertEquals(before + 1, cache.reads(), "the other writer's new index is listed, so it is read");
            assertEquals(other.readIndex().catalogue(), seen.catalogue(), "and the catalogue is what an uncached reader sees");
            assertEquals(3, seen.catalogue().snapshots().size());

            cache.clear(); // an idle account forgets: the next read reads again, and finds the same
            long cleared = cache.reads();
            assertEquals(seen.catalogue(), ours.readIndex().catalogue());
            assertEquals(cleared + seen.headIds().size(), cache.reads(), "every head read again once");
        }
    }
}
