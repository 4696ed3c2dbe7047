package io.vaultkeep.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultkeep.bench.BenchReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 14's scale figures: many export-folder accounts (10,000 by default) over launcher processes
 * (3 by default; 1 for the comparison) on one PostgreSQL journal. Prints, asserting nothing:
 * the first backup of every account; heap used per node after a full GC with every account idle;
 * snapshots/s when 3,000 accounts' vaults change within one minute (30 % of a smaller count) (first change to the last of them
 * committed) and the journal rows and bytes that burst added per committed run; that no account
 * whose vault did not change wrote a snapshot; and the time from starting every node again after
 * stopping all until every account is recovered and idle.
 *
 * <p>Run with {@code scripts/bench cluster-scale [WORKDIR] [ACCOUNTS] [NODES] [HEAP]} (needs
 * VAULTKEEP_TEST_POSTGRES_URL: {@code scripts/test-postgres start}).
 */
public final class ClusterScaleBenchmark {

    private static final int CHANGING = 3_000;
    private static final Duration CHANGE_WINDOW = Duration.ofMinutes(1);
    private static final Duration STATUS_TIMEOUT = Duration.ofMinutes(2);

    public static void main(String[] args) throws Exception {
        Path work = args.length > 0 ? Files.createDirectories(Path.of(args[0])) : Files.createTempDirectory("vk-cluster-scale");
        int accounts = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int nodeCount = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String heap = args.length > 3 ? args[3] : "1g";
        int changing = (int) ((long) CHANGING * accounts / 10_000); // 3,000 of 10,000: the same share for a smaller run
        System.out.printf("machine: %s; %d accounts on %d node(s), -Xmx%s each; load average %s%n",
                BenchReport.machine(), accounts, nodeCount, heap, load());

        ChangingVaults vaults = new ChangingVaults(work, "acct", accounts);
        for (int a = 0; a < accounts; a++) {
            vaults.writeSmall(a, 0);
        }
        ClusterFixture.Sizing sizing = new ClusterFixture.Sizing(heap, Duration.ofSeconds(30), false);
        try (ClusterFixture cluster = new ClusterFixture(work, nodeCount, vaults, accounts, 10, "", "", sizing)) {
            long t0 = System.nanoTime();
            cluster.startAllServing(Duration.ofMinutes(15));
            System.out.printf("all %d nodes serving /health after %.1f s (load %s)%n", nodeCount, seconds(t0), load());
            Map<String, JsonNode> first = awaitAll(cluster, accounts, Map.of(), Duration.ofMinutes(40), "first backups");
            System.out.printf("first backup of all %d accounts: %.1f s from the start, %.1f snapshots/s (load %s)%n",
                    accounts, seconds(t0), accounts / seconds(t0), load());
            Thread.sleep(10_000);
            heaps(cluster, "every account idle after its first backup");
            Journal before = Journal.count(cluster.journalUrl());
            System.out.println("journal after the first backups: " + before);

            // the burst: 3,000 accounts' vaults change, spread evenly over one minute
            List<Integer> chosen = choose(accounts, changing, new Random(14));
            Map<String, Instant> changedAt = new HashMap<>();
            long gapNanos = CHANGE_WINDOW.toNanos() / changing;
            long burstStart = System.nanoTime();
            Instant firstChange = Instant.now();
            for (int i = 0; i < changing; i++) {
                long due = burstStart + i * gapNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int a = chosen.get(i);
                changedAt.put(vaults.id(a), Instant.now());
                vaults.writeSmall(a, 1);
            }
            System.out.printf("%d vaults changed in %.1f s (load %s)%n", changing, seconds(burstStart), load());
            Map<String, JsonNode> wanted = new HashMap<>();
            for (int a : chosen) {
                wanted.put(vaults.id(a), first.get(vaults.id(a)));
            }
            Map<String, JsonNode> afterBurst = awaitAll(cluster, accounts, wanted, Duration.ofMinutes(30), "the burst");
            Instant lastCommit = Instant.MIN;
            double[] latencies = new double[changing];
            int i = 0;
            for (String id : wanted.keySet()) {
                Instant at = Instant.parse(afterBurst.get(id).path("lastSnapshotAt").asText());
                lastCommit = at.isAfter(lastCommit) ? at : lastCommit;
                latencies[i++] = Duration.between(changedAt.get(id), at).toMillis();
            }
            Arrays.sort(latencies);
            double burstSeconds = Duration.between(firstChange, lastCommit).toMillis() / 1000.0;
            System.out.printf("burst: %d vaults changed within %d s; the last committed %.1f s after the first change: %.1f snapshots/s; "
                            + "change-to-commit p50 %.0f ms, p99 %.0f ms, max %.0f ms (load %s)%n",
                    changing, CHANGE_WINDOW.toSeconds(), burstSeconds, changing / burstSeconds,
                    latencies[changing / 2], latencies[(int) Math.ceil(changing * 0.99) - 1], latencies[changing - 1], load());
            long unchangedWithNewSnapshot = afterBurst.entrySet().stream()
                    .filter(e -> !wanted.containsKey(e.getKey()))
                    .filter(e -> !e.getValue().path("lastSnapshotId").asText().equals(first.get(e.getKey()).path("lastSnapshotId").asText()))
                    .count();
            System.out.printf("accounts whose vault did not change but have a new snapshot: %d of %d%n", unchangedWithNewSnapshot, accounts - changing);
            Thread.sleep(5_000);
            Journal after = Journal.count(cluster.journalUrl());
            System.out.println("journal after the burst: " + after);
            System.out.printf("journal per committed run (burst of %d): %.2f event rows, %.2f rows in all tables, %.0f bytes of payload, "
                            + "%.0f bytes of tables and indexes%n", changing,
                    (after.events - before.events) / (double) changing, (after.rows() - before.rows()) / (double) changing,
                    (after.payloadBytes - before.payloadBytes) / (double) changing, (after.totalBytes - before.totalBytes) / (double) changing);
            System.out.printf("journal per account after first backup and burst: %.1f rows, %.0f bytes of tables and indexes%n",
                    after.rows() / (double) accounts, after.totalBytes / (double) accounts);
            heaps(cluster, "every account idle after the burst");

            // full restart: every node stopped, then every node started again
            long stopping = System.nanoTime();
            cluster.stopAll();
            System.out.printf("all nodes stopped (SIGTERM) in %.1f s%n", seconds(stopping));
            long restart = System.nanoTime();
            for (int n = 0; n < nodeCount; n++) {
                cluster.start(n);
            }
            for (HostProcess node : cluster.nodes) {
                node.awaitServing(Duration.ofMinutes(10));
            }
            double serving = seconds(restart);
            Map<String, JsonNode> recovered = awaitAll(cluster, accounts, Map.of(), Duration.ofMinutes(30), "recovery");
            System.out.printf("full restart: all nodes answering after %.1f s; every account recovered and idle %.1f s after the start (load %s)%n",
                    serving, seconds(restart), load());
            long newAfterRestart = recovered.entrySet().stream()
                    .filter(e -> !e.getValue().path("lastSnapshotId").asText().equals(afterBurst.get(e.getKey()).path("lastSnapshotId").asText()))
                    .count();
            System.out.printf("accounts with a new snapshot after the restart (none changed): %d of %d%n", newAfterRestart, accounts);
            Thread.sleep(10_000);
            heaps(cluster, "every account idle after the restart");
            cluster.keepLogs("the scale benchmark");
        }
    }

    /**
     * Polls node 0's /accounts until all {@code accounts} are idle with a snapshot and, for each of
     * {@code mustMoveOn}, a snapshot other than the one given; prints progress every 30 s.
     */
    private static Map<String, JsonNode> awaitAll(ClusterFixture cluster, int accounts, Map<String, JsonNode> mustMoveOn,
                                                  Duration timeout, String what) throws Exception {
        long start = System.nanoTime();
        long lastPrint = start;
        int asked = 0;
        while (System.nanoTime() - start < timeout.toNanos()) {
            long q = System.nanoTime();
            JsonNode list = cluster.nodes[asked].get("/accounts", STATUS_TIMEOUT);
            long askMillis = (System.nanoTime() - q) / 1_000_000;
            Map<String, JsonNode> byId = new HashMap<>();
            list.forEach(a -> byId.put(a.path("id").asText(), a));
            int done = 0;
            int idleWithSnapshot = 0;
            Map<String, Integer> states = new java.util.TreeMap<>();
            for (JsonNode a : byId.values()) {
                String state = a.path("state").asText();
                states.merge(state, 1, Integer::sum);
                boolean idle = "idle".equals(state) && !a.path("lastSnapshotId").isNull() && !a.path("lastSnapshotId").asText().isEmpty();
                if (idle) {
                    idleWithSnapshot++;
                }
                JsonNode old = mustMoveOn.get(a.path("id").asText());
                if (idle && (old == null || !old.path("lastSnapshotId").asText().equals(a.path("lastSnapshotId").asText()))) {
                    done++;
                }
            }
            if (byId.size() == accounts && done == accounts) {
                return byId;
            }
            if (System.nanoTime() - lastPrint > Duration.ofSeconds(30).toNanos()) {
                lastPrint = System.nanoTime();
                System.out.printf("  %s: %.0f s, %d of %d listed, %d idle with a snapshot, %d done; states %s; /accounts took %d ms (load %s)%n",
                        what, seconds(start), byId.size(), accounts, idleWithSnapshot, done, states, askMillis, load());
            }
            if (byId.isEmpty()) {
                asked = (asked + 1) % cluster.nodes.length; // that node did not answer: ask the next
            }
            Thread.sleep(2_000);
        }
        throw new IllegalStateException(what + ": not every account idle within " + timeout);
    }

    /** Heap used after a full GC, and resident memory, of every node. */
    private static void heaps(ClusterFixture cluster, String when) throws Exception {
        StringBuilder line = new StringBuilder("heap after a full GC (" + when + "):");
        for (int n = 0; n < cluster.nodes.length; n++) {
            long pid = cluster.nodes[n].pid();
            jcmd(pid, "GC.run");
            String info = jcmd(pid, "GC.heap_info");
            Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
            String usedMb = used.find() ? String.format("%.0f MB", Long.parseLong(used.group(1)) / 1024.0) : "? (" + info.trim() + ")";
            line.append(String.format(" node %d %s used, RSS %s;", n, usedMb, rss(pid)));
        }
        System.out.println(line + " load " + load());
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static String rss(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return String.format("%.0f MB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "?";
        }
        return "?";
    }

    private static List<Integer> choose(int accounts, int count, Random random) {
        List<Integer> all = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            all.add(a);
        }
        java.util.Collections.shuffle(all, random);
        return new ArrayList<>(all.subList(0, count));
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Rows and sizes of the journal's tables in the cluster's own database. */
    record Journal(long events, long tags, long snapshots, long payloadBytes, long totalBytes) {
        long rows() {
            return events + tags + snapshots;
        }

        static Journal count(String url) throws Exception {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                long events = single(s, "SELECT count(*) FROM event_journal");
                long tags = single(s, "SELECT count(*) FROM event_tag");
                long snapshots = single(s, "SELECT count(*) FROM snapshot");
                long payload = single(s, "SELECT coalesce(sum(octet_length(event_payload)), 0) FROM event_journal");
                long total = single(s, "SELECT pg_total_relation_size('event_journal') + pg_total_relation_size('event_tag') "
                        + "+ pg_total_relation_size('snapshot')");
                return new Journal(events, tags, snapshots, payload, total);
            }
        }

        private static long single(Statement s, String sql) throws Exception {
            try (ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        }

        @Override
        public String toString() {
            return String.format("%,d event rows (%,d bytes of payload), %,d tag rows, %,d snapshot rows; %,d bytes with indexes",
                    events, payloadBytes, tags, snapshots, totalBytes);
        }
    }
}
