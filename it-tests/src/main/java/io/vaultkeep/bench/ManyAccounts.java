package io.vaultkeep.bench;

import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.FolderStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Many push accounts in one embedded engine, each pushed a small vault, with the time from each push
 * to its committed snapshot: what the 1,000-account test checks and the engine benchmark measures.
 */
public final class ManyAccounts implements AutoCloseable {

    private final VaultKeepEngine engine;
    private final String journalUrl;
    private final Path work;
    private int accounts;
    /** The first account {@link #pushAll} pushes: the ones added last. */
    private int pushedFrom;
    private long pushedBytes;
    private final Map<String, Long> pushedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> committedAt = new ConcurrentHashMap<>();
    private final VaultKeepEngine.Subscription subscription;

    public ManyAccounts(Path work, int accounts, Duration quiet, Duration maxDelay, int maxConcurrentRuns) throws Exception {
        this.accounts = accounts;
        EngineConfig config = EngineConfig.embedded(work.resolve("data"))
                .withDebounce(quiet, maxDelay).withMaxConcurrentRuns(maxConcurrentRuns).withBlockingThreads(8);
        this.journalUrl = config.journalUrl();
        this.engine = VaultKeepEngine.start(config);
        this.subscription = engine.subscribe(notice -> {
            if (notice instanceof BackupNotice.SnapshotCommitted c) {
                committedAt.putIfAbsent(c.accountId(), System.nanoTime());
            }
        });
        this.work = work;
        register(0, accounts);
    }

    private void register(int from, int to) {
        for (int i = from; i < to; i++) {
            String id = id(i);
            Path location = work.resolve("backups").resolve(id);
            engine.register(new AccountSettings(id, () -> FolderStore.open(location), null, 30, true, new PushVaultSource()));
        }
    }

    /**
     * Registers {@code more} accounts after those there; {@link #pushAll} then pushes only them. A
     * benchmark measures what the new accounts add to a host whose code paths have all run.
     */
    public void addAccounts(int more) {
        pushedFrom = accounts;
        register(accounts, accounts + more);
        accounts += more;
    }

    public static String id(int i) {
        return String.format("acct%04d", i);
    }

    public VaultKeepEngine engine() {
        return engine;
    }

    /** The engine's H2 journal, for a benchmark that looks into it (its page cache). */
    public String journalUrl() {
        return journalUrl;
    }

    /** Pushes every account (those added last, after {@link #addAccounts}) a small vault (10 items), spread evenly over {@code window}. */
    public void pushAll(Duration window) throws InterruptedException {
        long gapNanos = window.toNanos() / Math.max(1, accounts - pushedFrom);
        for (int i = pushedFrom; i < accounts; i++) {
            String id = id(i);
            byte[] vault = BenchVaults.exportJson(10, i);
            pushedBytes += vault.length;
            pushedAt.put(id, System.nanoTime());
            engine.push(id, new FetchedVault(vault, 10, true, List.of(), 0));
            if (gapNanos > 0) {
                Thread.sleep(gapNanos / 1_000_000, (int) (gapNanos % 1_000_000));
            }
        }
    }

    /** Waits until every account has committed its snapshot. */
    public void awaitAllCommitted(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (committedAt.size() < accounts) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(committedAt.size() + " of " + accounts + " accounts committed within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** Push-to-commit latencies in milliseconds, sorted. */
    public double[] latenciesMillis() {
        return pushedAt.entrySet().stream()
                .filter(e -> committedAt.containsKey(e.getKey()))
                .mapToDouble(e -> (committedAt.get(e.getKey()) - e.getValue()) / 1e6)
                .sorted().toArray();
    }

    /** Bytes of vault JSON pushed so far (each push source keeps its newest vault until the next push). */
    public long pushedBytes() {
        return pushedBytes;
    }

    public int committed() {
        return committedAt.size();
    }

    /** Heap in use after a full collection, in bytes. */
    public static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public void close() throws Exception {
        subscription.close();
        engine.close();
    }
}
