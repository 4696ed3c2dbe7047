package io.vaultkeep.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.ObjectName;

/**
 * Issue 17's figure: heap per idle account. 1,000 push accounts in one embedded engine (quiet window
 * 500 ms, 4 concurrent runs), each committing one snapshot; then, once every account is idle, the
 * heap after full collections, per account, and the class histogram's growth per account. What the engine itself costs (classes, pools) is not an
 * account's: the other accounts are added to a host where a tenth of them have run, and only what
 * they add is counted. The H2 journal's page cache is bounded (it fills with the journal, not with
 * accounts), so it is measured apart: the heap freed by shrinking it to H2's least
 * ({@code SET CACHE_SIZE}), and H2's own estimate of what it holds.
 *
 * <p>Run with {@code scripts/bench idle-heap [WORKDIR] [ACCOUNTS]}. Prints figures; asserts nothing.
 */
public final class IdleHeapBenchmark {

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench").resolve("idle-heap-" + UUID.randomUUID()));
        int accounts = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int warm = accounts / 10;
        System.out.println("machine: " + BenchReport.machine() + "; load average " + loadAverage());
        try {
            long heapBefore = ManyAccounts.usedHeapAfterGc();
            // first a tenth of the accounts, each through a whole run: the engine's own cost (classes loaded,
            // pools, caches) is then paid, and what the other accounts add is theirs
            try (ManyAccounts host = new ManyAccounts(work, warm, Duration.ofMillis(500), Duration.ofSeconds(5), 4)) {
                host.pushAll(Duration.ofSeconds(2));
                host.awaitAllCommitted(Duration.ofMinutes(5));
                Thread.sleep(2_000); // every account back to idle (its permit released, retention checked)
                long warmHeap = ManyAccounts.usedHeapAfterGc();
                Map<String, long[]> histogramWarm = histogram(); // not final: dropped at the end, to tell its size
                long warmPushed = host.pushedBytes();
                host.addAccounts(accounts - warm);
                host.pushAll(Duration.ofSeconds(20));
                host.awaitAllCommitted(Duration.ofMinutes(15));
                Thread.sleep(2_000);
                long idle = ManyAccounts.usedHeapAfterGc();
                Map<String, long[]> histogramIdle = histogram();
                int added = accounts - warm;
                System.out.printf("%,d accounts idle: heap per account %,d bytes as measured before (all heap over the heap "
                        + "before the engine, / %,d); load average %s%n", accounts, (idle - heapBefore) / accounts, accounts, loadAverage());
                System.out.printf("heap per idle account added to a warm host (%,d accounts after %,d): %,d bytes%n",
                        added, warm, (idle - warmHeap) / added);
                System.out.printf("the vault JSON pushed to each account (its push source keeps it, deflated, until the next push): %,d bytes%n",
                        (host.pushedBytes() - warmPushed) / added);
                try (Connection c = DriverManager.getConnection(host.journalUrl(), "vaultkeep", "");
                     Statement s = c.createStatement()) {
                    System.out.println("H2 page cache, H2's estimate: " + cacheSettings(s));
                    s.execute("SET CACHE_SIZE 0"); // H2 keeps its least, 1 MB
                    long shrunk = ManyAccounts.usedHeapAfterGc();
                    System.out.println("H2 page cache after SET CACHE_SIZE 0: " + cacheSettings(s));
                    System.out.printf("heap freed by shrinking the H2 cache: %,d bytes (%,d per account of %,d)%n",
                            idle - shrunk, (idle - shrunk) / accounts, accounts);
                }
                printTop(histogramWarm, histogramIdle, added, "added to a warm host, H2 cache as it was");
                // not an account's, yet in the figure above: the warm host's histogram is held from after the
                // warm heap was taken until here (told apart only; the figure is taken as it always was)
                long withWarmHistogram = ManyAccounts.usedHeapAfterGc();
                histogramWarm = null;
                long withoutWarmHistogram = ManyAccounts.usedHeapAfterGc();
                System.out.printf("of which the harness's own class histogram of the warm host (held through the idle heap, "
                        + "not through the warm one): %,d bytes (%,d per added account)%n",
                        withWarmHistogram - withoutWarmHistogram, (withWarmHistogram - withoutWarmHistogram) / added);
            }
        } finally {
            RepositoryBenchmark.deleteTree(work);
        }
    }

    private static String cacheSettings(Statement s) throws Exception {
        StringBuilder out = new StringBuilder();
        try (ResultSet r = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                + "WHERE SETTING_NAME IN ('info.CACHE_MAX_SIZE', 'info.CACHE_SIZE')")) {
            while (r.next()) {
                out.append(r.getString(1)).append(" = ").append(r.getString(2)).append(" MB; ");
            }
        }
        return out.toString();
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** The JVM's class histogram (as {@code jcmd GC.class_histogram}): class → {instances, bytes}. */
    static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return classes;
    }

    private static void printTop(Map<String, long[]> before, Map<String, long[]> after, int accounts, String when) {
        List<Map.Entry<String, long[]>> growth = new ArrayList<>();
        after.forEach((name, now) -> {
            long[] was = before.getOrDefault(name, new long[2]);
            growth.add(Map.entry(name, new long[] {now[0] - was[0], now[1] - was[1]}));
        });
        growth.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        System.out.println("class histogram growth per account (" + when + "), top 40: bytes, instances, class");
        growth.stream().limit(40).forEach(e -> System.out.printf("  %,8.0f  %6.2f  %s%n",
                e.getValue()[1] / (double) accounts, e.getValue()[0] / (double) accounts, e.getKey()));
    }
}
