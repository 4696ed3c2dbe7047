package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.bench.ManyAccounts;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.store.FolderStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 accounts with small vaults in one host: every one gets its snapshot, none is left behind
 * while others run again and again, and the heap they hold stays bounded.
 */
class ThousandAccountsIT {

    private static final int ACCOUNTS = 1_000;
    /** What an idle account may hold: its entity, children, state and settings (a bound, not a timing). */
    private static final long MAX_HEAP_PER_ACCOUNT = 256 * 1024;

    @TempDir
    Path work;

    @Test
    void everyAccountGetsItsSnapshotAndTheHeapStaysBounded() throws Exception {
        long before = ManyAccounts.usedHeapAfterGc();
        try (ManyAccounts host = new ManyAccounts(work, ACCOUNTS, Duration.ofMillis(200), Duration.ofSeconds(1), 4)) {
            host.pushAll(Duration.ofSeconds(20));
            host.awaitAllCommitted(Duration.ofMinutes(10));
            assertEquals(ACCOUNTS, host.committed(), "every account committed a snapshot");

            long perAccount = (ManyAccounts.usedHeapAfterGc() - before) / ACCOUNTS;
            double[] latencies = host.latenciesMillis();
            System.out.printf("1,000 accounts: heap per idle account %,d bytes; push-to-commit p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    perAccount, ManyAccounts.percentile(latencies, 50), ManyAccounts.percentile(latencies, 99),
                    ManyAccounts.percentile(latencies, 100));
            assertTrue(perAccount < MAX_HEAP_PER_ACCOUNT, "heap per idle account " + perAccount + " bytes");
        }
        for (int i = 0; i < ACCOUNTS; i += 97) {
            try (BackupRepository repo = BackupRepository.open(FolderStore.open(work.resolve("backups").resolve(ManyAccounts.id(i))),
                    new Zip4jCodec(), null, Clock.systemUTC())) {
                assertEquals(1, repo.readIndex().catalogue().snapshots().size());
                assertTrue(RepositoryCheck.run(repo, true).ok());
            }
        }
    }
}
