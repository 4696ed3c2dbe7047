package io.vaultkeep.bench;

import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.FolderStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 4's figures, on the embedded default (H2 journal, folder repositories): change-to-commit
 * latency beyond the quiet window with 1 and with 1,000 accounts, snapshots per second, heap per idle
 * account, journal events and bytes per run, and recovery time of 1,000 accounts from the journal.
 *
 * <p>Run with {@code scripts/bench engine [WORKDIR]}. Prints figures; asserts nothing.
 */
public final class EngineBenchmark {

    private static final Duration QUIET = Duration.ofSeconds(1);

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench").resolve("engine-" + UUID.randomUUID()));
        System.out.println("machine: " + BenchReport.machine());
        try {
            oneAccount(work.resolve("one"));
            thousandAccounts(work.resolve("thousand"));
        } finally {
            RepositoryBenchmark.deleteTree(work);
        }
    }

    private static void oneAccount(Path work) throws Exception {
        EngineConfig config = EngineConfig.embedded(work.resolve("data")).withDebounce(QUIET, Duration.ofSeconds(10)).withSnapshotEvery(100_000);
        try (VaultKeepEngine engine = VaultKeepEngine.start(config)) {
            AtomicReference<CountDownLatch> committed = new AtomicReference<>();
            engine.subscribe(n -> {
                if (n instanceof BackupNotice.SnapshotCommitted) {
                    committed.get().countDown();
                }
            });
            PushVaultSource source = new PushVaultSource();
            Path location = work.resolve("backups/one");
            engine.register(new AccountSettings("one", () -> FolderStore.open(location), null, 0, true, source));
            int runs = 25;
            double[] beyond = new double[runs];
            for (int i = -3; i < runs; i++) {
                committed.set(new CountDownLatch(1));
                long t0 = System.nanoTime();
                engine.push("one", new FetchedVault(BenchVaults.exportJson(200, i + 100), 200, true, List.of(), 0));
                if (!committed.get().await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no commit within 60 s");
                }
                if (i >= 0) {
                    beyond[i] = (System.nanoTime() - t0) / 1e6 - QUIET.toMillis();
                }
            }
            java.util.Arrays.sort(beyond);
            System.out.printf("1 account, 200-item vault: change-to-commit beyond the %d ms quiet window: p50 %.0f ms, p99 %.0f ms (n=%d)%n",
                    QUIET.toMillis(), ManyAccounts.percentile(beyond, 50), ManyAccounts.percentile(beyond, 99), runs);
            try (Connection c = DriverManager.getConnection(config.journalUrl(), "vaultkeep", "");
                 ResultSet r = c.createStatement().executeQuery(
                         "SELECT count(*), sum(octet_length(\"event_payload\")) FROM \"event_journal\" WHERE \"persistence_id\" LIKE '%one%'")) {
                r.next();
                int totalRuns = runs + 3;
                System.out.printf("journal per run: %.1f events, %.0f bytes (%d runs, %d events, %d bytes)%n",
                        r.getLong(1) / (double) totalRuns, r.getLong(2) / (double) totalRuns, totalRuns, r.getLong(1), r.getLong(2));
            }
        }
    }

    private static void thousandAccounts(Path work) throws Exception {
        long heapBefore = ManyAccounts.usedHeapAfterGc();
        try (ManyAccounts host = new ManyAccounts(work, 1_000, QUIET, Duration.ofSeconds(10), 4)) {
            long t0 = System.nanoTime();
            host.pushAll(Duration.ofSeconds(60));
            host.awaitAllCommitted(Duration.ofMinutes(15));
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] latencies = host.latenciesMillis();
            for (int i = 0; i < latencies.length; i++) {
                latencies[i] -= QUIET.toMillis();
            }
            System.out.printf("1,000 accounts changing within one minute: change-to-commit beyond the quiet window p50 %.0f ms, p99 %.0f ms; all committed after %.1f s%n",
                    ManyAccounts.percentile(latencies, 50), ManyAccounts.percentile(latencies, 99), seconds);
            System.out.printf("heap per idle account: %,d bytes%n", (ManyAccounts.usedHeapAfterGc() - heapBefore) / 1_000);
            // saturation: every account changes at once
            long t1 = System.nanoTime();
            java.time.Instant since = java.time.Instant.now();
            for (int i = 0; i < 1_000; i++) {
                host.engine().push(ManyAccounts.id(i), new FetchedVault(BenchVaults.exportJson(10, 5_000 + i), 10, true, List.of(), 0));
            }
            awaitSnapshotsSince(host.engine(), since, Duration.ofMinutes(15));
            System.out.printf("snapshots per second (1,000 accounts changed at once, 4 concurrent runs): %.1f%n",
                    1_000 / ((System.nanoTime() - t1) / 1e9));
        }
        // recovery: a new engine on the same journal; every account answers once its entity has recovered
        long t2 = System.nanoTime();
        try (VaultKeepEngine engine = VaultKeepEngine.start(EngineConfig.embedded(work.resolve("data")))) {
            for (int i = 0; i < 1_000; i++) {
                Path location = work.resolve("backups").resolve(ManyAccounts.id(i));
                engine.register(new AccountSettings(ManyAccounts.id(i), () -> FolderStore.open(location), null, 30, true, new PushVaultSource()));
            }
            List<AccountEntityStatus> statuses = engine.statuses().toCompletableFuture().get(10, TimeUnit.MINUTES);
            long withSnapshot = statuses.stream().filter(s -> s.lastSnapshotId() != null).count();
            System.out.printf("recovery of 1,000 accounts from the journal (start, register, every status answered): %.1f s; %d of %d recovered their last snapshot%n",
                    (System.nanoTime() - t2) / 1e9, withSnapshot, statuses.size());
        }
    }

    private static void awaitSnapshotsSince(VaultKeepEngine engine, java.time.Instant since, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<AccountEntityStatus> statuses = engine.statuses().toCompletableFuture().get(1, TimeUnit.MINUTES);
            if (statuses.size() == 1_000 && statuses.stream().allMatch(s -> s.state() == io.vaultkeep.engine.account.AccountPhase.IDLE
                    && s.lastSnapshotAt() != null && !s.lastSnapshotAt().isBefore(since.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("not every account caught up within " + timeout);
    }
}
