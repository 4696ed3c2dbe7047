package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.example.EmbeddedBackupExample;
import io.vaultkeep.engine.account.AccountPhase;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.store.FolderStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding example does what its documentation says: one pushed vault, one encrypted snapshot. */
class EmbeddingExampleIT {

    @TempDir
    Path work;

    @Test
    void theExampleEmbeddingBacksUpAPushedVault() throws Exception {
        AccountEntityStatus status = EmbeddedBackupExample.run(work, "example password".toCharArray());
        // right after the commit the account may still be applying retention: anything but a failure
        assertTrue(status.state() != AccountPhase.FAILED && status.state() != AccountPhase.BACKING_OFF, status.toString());
        assertEquals(0, status.consecutiveFailures());
        try (BackupRepository repo = BackupRepository.open(FolderStore.open(work.resolve("backups/team-vault")), new Zip4jCodec(),
                "example password".toCharArray(), Clock.systemUTC())) {
            var catalogue = repo.readIndex().catalogue();
            assertEquals(status.lastSnapshotId(), catalogue.snapshots().keySet().iterator().next());
            var entry = catalogue.snapshots().get(status.lastSnapshotId());
            String vault = new String(repo.objects().readSnapshot(entry).vaultJson());
            assertTrue(vault.contains("rotate keys on Fridays"));
            assertTrue(RepositoryCheck.run(repo, true).ok());
        }
    }
}
