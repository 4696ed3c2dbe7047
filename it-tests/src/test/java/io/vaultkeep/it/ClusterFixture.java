package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultkeep.engine.transport.ClusterCertificates;
import io.vaultkeep.engine.transport.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Nodes of one cluster, each the real launcher's `run` in its own JVM: keys from one authority, a
 * PostgreSQL database of its own in the test script's server (nothing remembered from another run),
 * the accounts of {@link ChangingVaults} in export folders all nodes see and, after them, those of
 * {@link BitwardenVaults} on one Bitwarden test server. Every node has the same accounts list. Used by
 * the cluster IT and the failover benchmark.
 */
final class ClusterFixture implements AutoCloseable {

    /**
     * What differs between the tests' small cluster and a benchmark's large one.
     *
     * @param maxHeap        each node's {@code -Xmx}
     * @param rescanInterval each export folder's rescan (file events do the quick part)
     * @param passwords      whether every second account's repository is encrypted (a key derivation per
     *                       repository: the tests want both kinds, a 10,000-account start would spend minutes on it)
     */
    record Sizing(String maxHeap, Duration rescanInterval, boolean passwords) {
        static final Sizing TESTS = new Sizing("384m", Duration.ofSeconds(2), true);
    }

    private final Path work;
    private final ChangingVaults vaults;
    private final int folderAccounts;
    private final BitwardenVaults bitwarden;
    private final int accounts;
    private final int retention;
    private final String tuning;
    private final Sizing sizing;
    private final String database;
    private final String journalUrl;
    private final int[] statusPorts;
    private final int[] clusterPorts;
    private final Path[] configs;
    final HostProcess[] nodes;

    /**
     * @param tuning the config's top-level {@code pekko { … }} settings (failure detector, resolver)
     *               and {@code split-brain-resolver} block; empty for the documented defaults
     */
    ClusterFixture(Path work, int nodeCount, ChangingVaults vaults, int accounts, int retention, String resolver, String tuning)
            throws Exception {
        this(work, nodeCount, vaults, accounts, null, retention, resolver, tuning, Sizing.TESTS);
    }

    /**
     * @param folderAccounts how many of {@code vaults}' accounts the nodes run (indexes 0 …)
     * @param bitwarden      accounts on a Bitwarden test server, indexes after the folder ones; null for none
     */
    ClusterFixture(Path work, int nodeCount, ChangingVaults vaults, int folderAccounts, BitwardenVaults bitwarden, int retention,
                   String resolver, String tuning) throws Exception {
        this(work, nodeCount, vaults, folderAccounts, bitwarden, retention, resolver, tuning, Sizing.TESTS);
    }

    /** A benchmark's cluster of export-folder accounts, sized by {@code sizing}. */
    ClusterFixture(Path work, int nodeCount, ChangingVaults vaults, int accounts, int retention, String resolver, String tuning,
                   Sizing sizing) throws Exception {
        this(work, nodeCount, vaults, accounts, null, retention, resolver, tuning, sizing);
    }

    private ClusterFixture(Path work, int nodeCount, ChangingVaults vaults, int folderAccounts, BitwardenVaults bitwarden,
                           int retention, String resolver, String tuning, Sizing sizing) throws Exception {
        this.sizing = sizing;
        this.work = work;
        this.vaults = vaults;
        this.folderAccounts = folderAccounts;
        this.bitwarden = bitwarden;
        this.accounts = folderAccounts + (bitwarden == null ? 0 : bitwarden.count());
        this.retention = retention;
        this.tuning = tuning;
        this.database = "vk_cluster_" + Long.toString(System.currentTimeMillis(), 36);
        this.journalUrl = createDatabase(database);
        statusPorts = new int[nodeCount];
        clusterPorts = new int[nodeCount];
        configs = new Path[nodeCount];
        nodes = new HostProcess[nodeCount];
        for (int n = 0; n < nodeCount; n++) {
            statusPorts[n] = CrashRecoveryScenario.freePort();
            clusterPorts[n] = CrashRecoveryScenario.freePort();
        }
        writeKeys();
        for (int n = 0; n < nodeCount; n++) {
            configs[n] = writeConfig(n, resolver);
        }
    }

    /** Starts every node at once and waits until each is healthy. */
    void startAll() throws Exception {
        startAll(Duration.ofSeconds(120));
    }

    /** As {@link #startAll()}, waiting up to {@code timeout} for each node (thousands of accounts register slowly). */
    void startAll(Duration timeout) throws Exception {
        for (int n = 0; n < nodes.length; n++) {
            nodes[n] = start(n);
        }
        for (HostProcess node : nodes) {
            node.awaitHealthy(timeout);
        }
    }

    /**
     * Starts every node at once and waits until each serves /health, healthy or not: a benchmark
     * then waits for its accounts itself (with a thousand accounts over three nodes, one node stayed
     * unhealthy for over 15 minutes after every account had its first snapshot).
     */
    void startAllServing(Duration timeout) throws Exception {
        for (int n = 0; n < nodes.length; n++) {
            nodes[n] = start(n);
        }
        for (HostProcess node : nodes) {
            node.awaitServing(timeout);
        }
    }

    HostProcess start(int n) throws IOException {
        nodes[n] = HostProcess.start(configs[n], statusPorts[n], backupPasswords(), work.resolve("node-" + n + ".log"), sizing.maxHeap());
        return nodes[n];
    }

    /** Stops every node at once with SIGTERM (the orderly stop) and waits for all of them. */
    void stopAll() throws Exception {
        List<Thread> stopping = new java.util.ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (HostProcess node : nodes) {
            Thread t = new Thread(() -> {
                try {
                    node.stop();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("a node did not stop: " + failures);
        }
    }

    /** The cluster's own journal database (the nodes' JDBC URL). */
    String journalUrl() {
        return journalUrl;
    }

    String address(int n) {
        return "127.0.0.1:" + clusterPorts[n];
    }

    Map<String, String> backupPasswords() {
        Map<String, String> env = new HashMap<>();
        for (int a = 0; sizing.passwords() && a < accounts; a += 2) {
            env.put("BACKUP_PW_" + a, "cluster test password " + a);
        }
        if (bitwarden != null) {
            env.putAll(bitwarden.environment());
        }
        return env;
    }

    char[] password(int a) {
        String pw = backupPasswords().get("BACKUP_PW_" + a);
        return pw == null ? null : pw.toCharArray();
    }

    /** Account {@code a}'s id: a folder account's below {@code folderAccounts}, a Bitwarden account's from there. */
    String id(int a) {
        return a < folderAccounts ? vaults.id(a) : bitwarden.id(a - folderAccounts);
    }

    Path repository(int a) {
        return work.resolve("backups").resolve(id(a));
    }

    /** Account id to the node it runs on, as node {@code asked} sees it. */
    Map<String, String> placement(int asked) {
        Map<String, String> placement = new TreeMap<>();
        nodes[asked].accounts().forEach(a -> placement.put(a.path("id").asText(), a.path("node").asText()));
        return placement;
    }

    /** The node that runs the most accounts now, as node {@code asked} sees it. */
    int busiest(int asked) {
        Map<String, String> placement = placement(asked);
        int best = 0;
        long most = -1;
        for (int n = 0; n < nodes.length; n++) {
            String address = address(n);
            long count = placement.values().stream().filter(address::equals).count();
            if (count > most) {
                most = count;
                best = n;
            }
        }
        return best;
    }

    /** The accounts on node {@code n}, as the next node sees it. */
    Set<String> accountsOn(int n) {
        String address = address(n);
        return placement((n + 1) % nodes.length).entrySet().stream().filter(e -> address.equals(e.getValue()))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Waits until node {@code survivor} shows every one of {@code moving} answering from a node other
     * than {@code from}; returns how long that took.
     */
    Duration awaitMoved(int survivor, Set<String> moving, String from, Duration timeout) throws Exception {
        return awaitEachMoved(survivor, moving, from, timeout).all();
    }

    /** How long until all had moved, and until each was first seen answering from another node. */
    record Moved(Duration all, Map<String, Duration> each) {}

    /** As {@link #awaitMoved}, also telling when each account was first seen moved. */
    Moved awaitEachMoved(int survivor, Set<String> moving, String from, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Set<String> notYet = moving;
        Map<String, Duration> each = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            Map<String, JsonNode> now = new HashMap<>();
            nodes[survivor].accounts().forEach(a -> now.put(a.path("id").asText(), a));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            notYet = moving.stream().filter(id -> {
                JsonNode a = now.get(id);
                return a == null || a.path("node").isNull() || from.equals(a.path("node").asText())
                        || "not-answering".equals(a.path("state").asText());
            }).collect(Collectors.toCollection(TreeSet::new));
            for (String id : moving) {
                if (!notYet.contains(id)) {
                    each.putIfAbsent(id, elapsed);
                }
            }
            if (notYet.isEmpty()) {
                return new Moved(elapsed, each);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not running on another node after " + timeout + ": " + notYet);
    }

    /** Copies the nodes' logs to {@code target/cluster-it-logs} (the temp folder goes with the test). */
    void keepLogs(String when) throws IOException {
        Path kept = Files.createDirectories(Path.of("target", "cluster-it-logs"));
        for (int n = 0; n < nodes.length; n++) {
            Path log = work.resolve("node-" + n + ".log");
            if (Files.exists(log)) {
                Files.copy(log, kept.resolve("node-" + n + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        System.out.println("cluster node logs (" + when + ") kept in " + kept.toAbsolutePath());
    }

    @Override
    public void close() throws Exception {
        for (HostProcess node : nodes) {
            if (node != null) {
                node.close();
            }
        }
        try (Connection c = DriverManager.getConnection(postgresUrl()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
        }
    }

    private void writeKeys() throws IOException {
        ClusterCertificates.Identity authority = ClusterCertificates.authority("cluster-fixture");
        Path keys = Files.createDirectories(work.resolve("keys"));
        PemFiles.writeCertificates(keys.resolve("ca.crt"), List.of(authority.certificate()));
        for (int n = 0; n < nodes.length; n++) {
            ClusterCertificates.Identity node = ClusterCertificates.issue(authority, "node-" + n);
            PemFiles.writeKey(keys.resolve("node-" + n + ".key"), node.key());
            PemFiles.writeCertificates(keys.resolve("node-" + n + ".crt"), List.of(node.certificate()));
        }
    }

    private Path writeConfig(int n, String resolver) throws IOException {
        StringBuilder blocks = new StringBuilder();
        for (int a = 0; a < accounts; a++) {
            Files.createDirectories(repository(a));
            String source = a < folderAccounts
                    ? "source { export-folder { path = \"inbox/" + id(a) + "\", settle-time = 200ms, rescan-interval = "
                            + sizing.rescanInterval().toMillis() + "ms } }\n"
                    : bitwarden.sourceBlock(a - folderAccounts);
            blocks.append("    { id = \"").append(id(a)).append("\"\n")
                    .append("      ").append(source)
                    .append("      location { folder { path = \"backups/").append(id(a)).append("\" } }\n")
                    .append(sizing.passwords() && a % 2 == 0 ? "      password-env = \"BACKUP_PW_" + a + "\"\n" : "")
                    .append("      retention = ").append(retention).append("\n    }\n");
        }
        String seeds = IntStream.range(0, nodes.length).mapToObj(i -> "\"" + address(i) + "\"").collect(Collectors.joining(", "));
        String text = "vaultkeep {\n  data-dir = \"node-" + n + "\"\n  limits { max-concurrent-runs = 4, io-threads = 4 }\n"
                + "  status { host = \"127.0.0.1\", port = " + statusPorts[n] + " }\n"
                + "  debounce { quiet = 300ms, max-delay = 2s }\n"
                + "  cluster {\n"
                + "    key-file = \"keys/node-" + n + ".key\", cert-file = \"keys/node-" + n + ".crt\", trust-file = \"keys/ca.crt\"\n"
                + "    hostname = \"127.0.0.1\", port = " + clusterPorts[n] + "\n"
                + "    seed-nodes = [" + seeds + "]\n"
                + "    journal { url = \"" + journalUrl + "\" }\n"
                + "    " + resolver + "\n"
                + "  }\n"
                + "  accounts = [\n" + blocks + "  ]\n}\n"
                + tuning + "\n";
        Path file = work.resolve("node-" + n + ".conf");
        Files.writeString(file, text);
        return file;
    }

    private static String createDatabase(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(postgresUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String base = postgresUrl();
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        int query = base.indexOf('?', slash);
        return base.substring(0, slash + 1) + name + (query < 0 ? "" : base.substring(query));
    }

    static String postgresUrl() {
        String url = System.getenv("VAULTKEEP_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            fail("VAULTKEEP_TEST_POSTGRES_URL is not set: run the tests with ./scripts/run-tests, which starts a throwaway "
                    + "PostgreSQL (scripts/test-postgres start; install it with: apt-get install -y postgresql)");
        }
        return url;
    }
}
