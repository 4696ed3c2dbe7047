package io.vaultkeep.bench;

import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.engine.host.AccountActivity;
import io.vaultkeep.engine.host.AccountStatus;
import io.vaultkeep.engine.host.HostMetrics;
import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.FolderStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 15's figure: change-to-commit of one account (200-item vault) without metrics, and with
 * {@link HostMetrics} counting every notice while a scraper asks every account's status, the run
 * permits and the exposition every 100 ms (150 times Prometheus' default interval, so that a cost
 * shows). Alternates the two modes in rounds on one engine, so that warm-up and disk state are shared.
 *
 * <p>Run with {@code scripts/bench metrics [WORKDIR]}. Prints figures; asserts nothing.
 */
public final class MetricsBenchmark {

    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final int ROUNDS = 4;
    private static final int RUNS_PER_ROUND = 10;

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench").resolve("metrics-" + UUID.randomUUID()));
        System.out.println("machine: " + BenchReport.machine());
        EngineConfig config = EngineConfig.embedded(work.resolve("data")).withDebounce(QUIET, Duration.ofSeconds(10)).withSnapshotEvery(100_000);
        try (VaultKeepEngine engine = VaultKeepEngine.start(config); HostMetrics metrics = new HostMetrics()) {
            AtomicReference<CountDownLatch> committed = new AtomicReference<>();
            engine.subscribe(n -> {
                if (n instanceof BackupNotice.SnapshotCommitted) {
                    committed.get().countDown();
                }
            });
            registerPushedAccount(engine, work);
            double[] without = new double[ROUNDS * RUNS_PER_ROUND];
            double[] with = new double[ROUNDS * RUNS_PER_ROUND];
            int vault = 100;
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                changeToCommit(engine, committed, vault++);
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < RUNS_PER_ROUND; i++) {
                    without[round * RUNS_PER_ROUND + i] = changeToCommit(engine, committed, vault++);
                }
                VaultKeepEngine.Subscription counting = engine.subscribe(metrics::record);
                ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
                scraper.scheduleWithFixedDelay(() -> scrape(engine, metrics), 0, 100, TimeUnit.MILLISECONDS);
                try {
                    for (int i = 0; i < RUNS_PER_ROUND; i++) {
                        with[round * RUNS_PER_ROUND + i] = changeToCommit(engine, committed, vault++);
                    }
                } finally {
                    scraper.shutdownNow();
                    counting.close();
                }
            }
            report("without metrics", without);
            report("with metrics, scraped every 100 ms", with);
        } finally {
            RepositoryBenchmark.deleteTree(work);
        }
    }

    /** Registers account "one", the account {@link #changeToCommit} pushes its vaults to, on a plain folder repository. */
    static void registerPushedAccount(VaultKeepEngine engine, Path work) {
        Path location = work.resolve("backups/one");
        engine.register(new AccountSettings("one", () -> FolderStore.open(location), null, 0, true, new PushVaultSource()));
    }

    static double changeToCommit(VaultKeepEngine engine, AtomicReference<CountDownLatch> committed, int vault) throws Exception {
        committed.set(new CountDownLatch(1));
        long t0 = System.nanoTime();
        engine.push("one", new FetchedVault(BenchVaults.exportJson(200, vault), 200, true, List.of(), 0));
        if (!committed.get().await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no commit within 60 s");
        }
        return (System.nanoTime() - t0) / 1e6 - QUIET.toMillis();
    }

    /** What the host's /metrics does: every status, the permits, the exposition. */
    private static void scrape(VaultKeepEngine engine, HostMetrics metrics) {
        try {
            List<AccountEntityStatus> statuses = engine.statuses().toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<AccountStatus> wire = statuses.stream().map(s -> new AccountStatus(s.accountId(), AccountActivity.IDLE,
                    s.lastSnapshotId(), s.lastSnapshotAt(), null, s.consecutiveFailures(), null, null, List.of(), s.lastCheckedAt())).toList();
            metrics.scrape(wire, Optional.of(engine.runPermitCounts().toCompletableFuture().get(5, TimeUnit.SECONDS)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the round is over
        } catch (Exception e) {
            System.out.println("scrape failed: " + e);
        }
    }

    static void report(String mode, double[] beyond) {
        double[] sorted = beyond.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("%s: change-to-commit beyond the %d ms quiet window: p50 %.0f ms, p99 %.0f ms (n=%d)%n",
                mode, QUIET.toMillis(), ManyAccounts.percentile(sorted, 50), ManyAccounts.percentile(sorted, 99), sorted.length);
    }
}
