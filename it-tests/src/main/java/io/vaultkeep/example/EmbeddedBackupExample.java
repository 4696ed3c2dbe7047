package io.vaultkeep.example;

import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.FolderStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How another JVM service embeds VaultKeep: start the engine, register an account whose vault the
 * service pushes, hand it a vault, and learn of the committed snapshot from the event stream.
 *
 * <pre>
 *   java -cp ... io.vaultkeep.example.EmbeddedBackupExample /tmp/vaultkeep-example
 * </pre>
 */
public final class EmbeddedBackupExample {

    private EmbeddedBackupExample() {}

    /** Backs one pushed vault up into {@code work/backups/team-vault}; returns the account's status afterwards. */
    public static AccountEntityStatus run(Path work, char[] backupPassword) throws Exception {
        try (VaultKeepEngine engine = VaultKeepEngine.start(EngineConfig.embedded(work.resolve("data")))) {
            CompletableFuture<BackupNotice.SnapshotCommitted> committed = new CompletableFuture<>();
            try (VaultKeepEngine.Subscription events = engine.subscribe(notice -> {
                if (notice instanceof BackupNotice.SnapshotCommitted c) {
                    committed.complete(c);
                }
            })) {
                Path location = work.resolve("backups/team-vault");
                engine.register(new AccountSettings("team-vault", () -> FolderStore.open(location), backupPassword,
                        30, true, new PushVaultSource()));

                byte[] export = ("{\"encrypted\":false,\"folders\":[],\"items\":[{\"id\":\"c1\",\"type\":2,"
                        + "\"name\":\"Deploy notes\",\"notes\":\"rotate keys on Fridays\",\"secureNote\":{\"type\":0}}]}")
                        .getBytes(StandardCharsets.UTF_8);
                engine.push("team-vault", new FetchedVault(export, 1, true, List.of(), 0));

                BackupNotice.SnapshotCommitted snapshot = committed.get(60, TimeUnit.SECONDS);
                System.out.println("snapshot " + snapshot.snapshotId() + " committed for " + snapshot.accountId());
                return engine.status("team-vault").toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        AccountEntityStatus status = run(Path.of(args.length > 0 ? args[0] : "vaultkeep-example"), "example password".toCharArray());
        System.out.println(status);
    }
}
