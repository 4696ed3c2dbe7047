package io.vaultkeep.engine;

import static io.vaultkeep.engine.VaultKeepEngineTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.host.HostStartTest;
import io.vaultkeep.engine.persistence.TestPostgres;
import io.vaultkeep.engine.source.ExportFileSource;
import io.vaultkeep.storage.store.FolderStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registrations replicated over a cluster (a PostgreSQL journal) outlive the whole cluster's
 * restart: each node keeps the set in its data-dir, so a node started again knows the accounts
 * registered before (and not the removed ones) before anyone registers them, and runs them with
 * the settings its resolver builds.
 */
class DurableRegistrationsTest {

    @TempDir
    Path root;

    private AccountSettings settings(String id) {
        return new AccountSettings(id, () -> FolderStore.open(root.resolve("backups").resolve(id)), null, 0, true,
                ExportFileSource.factory(root.resolve("inbox").resolve(id), id, true));
    }

    @Test
    void aClusterRestartedAsAWholeKnowsWhoWasRegisteredAndWhoWasRemoved() throws Exception {
        String run = Long.toString(System.nanoTime(), 36); // the journal outlives this test: fresh persistence ids
        String kept = "durable-" + run + "-kept";
        String removed = "durable-" + run + "-removed";
        Path inbox = Files.createDirectories(root.resolve("inbox").resolve(kept));
        Files.writeString(inbox.resolve("bitwarden_export_1.json"), "{\"encrypted\":false,\"folders\":[],\"items\":"
                + "[{\"id\":\"i1\",\"type\":2,\"name\":\"note\",\"secureNote\":{\"type\":0}}]}");
        Path data = root.resolve("data");
        EngineConfig config = EngineConfig.embedded(data).withPostgres(TestPostgres.url(), null, null)
                .withDebounce(Duration.ofSeconds(60), Duration.ofSeconds(120)); // only backup-now runs here

        try (VaultKeepEngine engine = VaultKeepEngine.start(config)) {
            engine.register(settings(kept));
            engine.register(settings(removed));
            engine.remove(removed);
            assertEquals(List.of(kept), engine.accountIds());
        }
        Path store = data.resolve("registered-accounts");
        assertTrue(Files.isDirectory(store), "the node's copy of the set is in its data-dir");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));

        try (VaultKeepEngine engine = VaultKeepEngine.start(config)) {
            await("the registrations read back from the node's store", Duration.ofSeconds(30),
                    () -> engine.accountIds().equals(List.of(kept)));
            engine.resolveSettingsWith(id -> id.equals(kept) ? Optional.of(settings(id)) : Optional.empty());
            engine.backupNow(kept); // known without a register: it runs on what the resolver builds
            await("a snapshot of " + kept, Duration.ofSeconds(30),
                    () -> snapshots(kept) == 1);
        }
    }

    private long snapshots(String id) {
        try {
            return HostStartTest.snapshotObjects(root.resolve("backups").resolve(id));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
