package io.vaultkeep.it;

import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.config.Secret;
import io.vaultkeep.engine.config.SourceConfig;
import io.vaultkeep.engine.source.bitwarden.BitwardenSource;
import io.vaultkeep.engine.source.bitwarden.BitwardenSources;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.testserver.bitwarden.BitwardenTestServer;
import io.vaultkeep.testserver.bitwarden.TestAccount;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Accounts in an in-process engine, as the end-to-end tests set them up and watch them. */
final class EngineAccounts {

    private EngineAccounts() {}

    /** Polls the account's status until {@code done} holds, or fails saying where it stopped. */
    static AccountEntityStatus await(VaultKeepEngine engine, String id, Predicate<AccountEntityStatus> done, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        AccountEntityStatus status = null;
        while (System.nanoTime() < deadline) {
            status = engine.status(id).toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (done.test(status)) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(id + " did not get there within " + timeout + ": " + status);
    }

    /**
     * A test-server account backed up into {@code <backups>/<id>} (plain repository, no retention),
     * polled every {@code poll}, trusting the server's certificate.
     */
    static AccountSettings bitwarden(String id, Path backups, BitwardenTestServer server, TestAccount account, String clientSecret,
                                     BitwardenSource.Mode mode, Duration poll) {
        return bitwarden(id, backups, server, account, Optional.of(clientSecret), mode, poll);
    }

    /** As above; without a client secret, the account logs in with its master password (decrypt mode). */
    static AccountSettings bitwarden(String id, Path backups, BitwardenTestServer server, TestAccount account,
                                     Optional<String> clientSecret, BitwardenSource.Mode mode, Duration poll) {
        SourceConfig.Bitwarden config = new SourceConfig.Bitwarden(URI.create(server.url()), account.email(),
                clientSecret.map(x -> Secret.of("test", account.clientId().toCharArray())),
                clientSecret.map(secret -> Secret.of("test", secret.toCharArray())),
                mode == BitwardenSource.Mode.DECRYPT ? Optional.of(Secret.of("test", account.masterPassword())) : Optional.empty(),
                mode, poll, Optional.of(server.caFile()));
        Path location = backups.resolve(id);
        return new AccountSettings(id, () -> FolderStore.open(location), null, 0, true, BitwardenSources.factory(id, config.account(), true));
    }
}
