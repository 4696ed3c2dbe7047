package io.vaultkeep.bench;

import io.vaultkeep.storage.lock.LockRule;
import io.vaultkeep.storage.lock.WriterLock;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.webdav.ApacheDav;
import io.vaultkeep.storage.store.webdav.WebDavStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Issue 12's figure: what the repository writer lock costs a run, on a folder (OS file lock) and on
 * a real Apache mod_dav (lock object: create-only PUT, read before the commit, delete), beside the
 * commit of a small and of a 5,000-item snapshot, which now hold the lock.
 *
 * <p>Run with {@code scripts/bench lock [workdir]}. Prints figures; asserts nothing.
 */
public final class LockBenchmark {

    private static final int ROUNDS = 25;

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench")
                .resolve("lock-" + UUID.randomUUID()));
        try (ApacheDav apache = ApacheDav.start()) {
            System.out.println("machine: " + BenchReport.machine());
            for (boolean webDav : new boolean[] {false, true}) {
                String where = webDav ? "WebDAV (Apache, loopback)" : "folder";
                try (ObjectStore store = webDav
                        ? WebDavStore.open(apache.url("lock-" + UUID.randomUUID()), ApacheDav.USER, ApacheDav.PASSWORD, null)
                        : FolderStore.open(work.resolve("lock-folder"))) {
                    WriterLock lock = WriterLock.forStore(store, LockRule.DEFAULT, Clock.systemUTC(), System.out::println);
                    double[] ms = new double[ROUNDS];
                    long requestsBefore = webDav ? apache.accessLog().size() : 0;
                    for (int i = -3; i < ROUNDS; i++) {
                        long t0 = System.nanoTime();
                        try (WriterLock.Holding held = lock.acquire("vaultkeep bench")) {
                            held.verify(); // as a run does right before its commit
                        }
                        if (i >= 0) {
                            ms[i] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                    String requests = "";
                    if (webDav) {
                        List<String> log = apache.accessLog();
                        int perRun = (log.size() - (int) requestsBefore) / (ROUNDS + 3);
                        requests = "; " + perRun + " requests per run: " + String.join(", ", log.subList(log.size() - perRun, log.size())
                                .stream().map(line -> line.substring(0, line.indexOf(' '))).toList());
                    }
                    System.out.printf("lock per run (%s: acquire, verify before commit, release): %s%s%n", where,
                            BenchReport.stats(ms, "ms"), requests);
                }
                for (int items : new int[] {10, 5_000}) {
                    byte[] vault = BenchVaults.exportJson(items, 42);
                    ObjectStore store = webDav
                            ? WebDavStore.open(apache.url("commit-" + UUID.randomUUID()), ApacheDav.USER, ApacheDav.PASSWORD, null)
                            : FolderStore.open(work.resolve("commit-" + items));
                    try {
                        double[] ms = WebDavBenchmark.commitTimes(store, null, vault, items, 3, ROUNDS);
                        System.out.printf("whole run, lock included (%s, plain, %,d items): %s%n", where, items, BenchReport.stats(ms, "ms"));
                    } finally {
                        store.close();
                    }
                }
            }
        } finally {
            RepositoryBenchmark.deleteTree(work);
        }
    }
}
