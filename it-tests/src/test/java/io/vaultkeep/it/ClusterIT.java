package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.testserver.bitwarden.BitwardenTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes of one cluster, each the real launcher's `run` in its own JVM, with mutual TLS from one
 * authority, one PostgreSQL journal (a database of its own in the test script's server), and 30
 * accounts whose vaults keep changing: 24 export folders (on a folder all nodes see) and 6 accounts
 * on one Bitwarden test server (half decrypt mode, half sealed), every node configured with all 30.
 * One fixture for all scenarios, in order: a node killed with SIGKILL, a node frozen with SIGSTOP and
 * thawed, a rolling restart of all three. After each, every account has run again, and every
 * repository checks clean with the newest vault in its newest snapshot (for a Bitwarden account: the
 * items the server holds, by id, name and revision date). Failure detection and the split brain
 * resolver are tuned short (the test configs' pekko block) to keep the wall time small.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int ACCOUNTS = 30;
    private static final int BITWARDEN_ACCOUNTS = 6;
    /** The export-folder accounts are 0 … FOLDER_ACCOUNTS - 1; the Bitwarden accounts follow. */
    private static final int FOLDER_ACCOUNTS = ACCOUNTS - BITWARDEN_ACCOUNTS;
    private static final int NODES = 3;
    private static final int RETENTION = 10;
    /** What the tests' tuning must keep failover under (the bound with the defaults is 30 s). */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);

    private Path work;
    private ChangingVaults vaults;
    private BitwardenTestServer server;
    private BitwardenVaults bitwarden;
    private ClusterFixture cluster;
    private HostProcess[] nodes;
    private final Map<String, Set<String>> committedSeen = new HashMap<>();
    private final AtomicBoolean mutating = new AtomicBoolean(true);
    private final List<Thread> mutators = new ArrayList<>();

    @BeforeAll
    void startCluster(@TempDir Path work) throws Exception {
        this.work = work;
        vaults = new ChangingVaults(work, "acct", FOLDER_ACCOUNTS);
        vaults.writeFirst();
        server = BitwardenTestServer.start();
        bitwarden = new BitwardenVaults(server, "bw", BITWARDEN_ACCOUNTS);
        cluster = new ClusterFixture(work, NODES, vaults, FOLDER_ACCOUNTS, bitwarden, RETENTION,
                "split-brain-resolver { strategy = keep-majority, stable-after = 2s }",
                // the tests' tuning: a lost node is suspected after about 2 s instead of about 5 s
                "pekko.cluster.failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 1500ms }");
        nodes = cluster.nodes;
        cluster.startAll();
        awaitEveryAccount("every account's first snapshot", Duration.ofSeconds(120), a -> a.hasNonNull("lastSnapshotId"));
        startMutating(new Random(14));
    }

    @AfterAll
    void stopCluster() throws Exception {
        stopMutating();
        try {
            if (cluster != null) {
                cluster.keepLogs("the end"); // the temp folder goes; the nodes' logs are all there is to tell what happened
                cluster.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private void startMutating(Random random) {
        mutating.set(true);
        mutators.add(vaults.startMutating(mutating, new Random(random.nextLong())));
        mutators.add(bitwarden.startMutating(mutating, new Random(random.nextLong())));
    }

    private void stopMutating() throws InterruptedException {
        mutating.set(false);
        for (Thread mutator : mutators) {
            mutator.join();
        }
        mutators.clear();
    }

    @Test
    @Order(1)
    void statusThroughAnyNodeShowsEveryAccountWithItsNodeAndTheMembers() throws Exception {
        // the first node up may be given every shard before the others' regions register: the
        // coordinator's rebalance (every 10 s) spreads them
        long since = System.nanoTime();
        while (new TreeSet<>(cluster.placement(0).values()).size() < NODES) {
            assertTrue(System.nanoTime() - since < Duration.ofSeconds(60).toNanos(),
                    "the accounts spread over all three nodes within 60 s: " + cluster.placement(0));
            Thread.sleep(500);
        }
        System.out.println("cluster: accounts on all three nodes " + (System.nanoTime() - since) / 1_000_000 + " ms after the first snapshots");
        for (int n = 0; n < NODES; n++) {
            JsonNode accounts = nodes[n].accounts();
            assertEquals(ACCOUNTS, accounts.size(), "node " + n + " shows every account");
            Set<String> runningOn = new TreeSet<>();
            accounts.forEach(a -> runningOn.add(a.path("node").asText()));
            assertTrue(runningOn.size() >= 2, "the accounts are spread over the nodes: " + runningOn);
            Set<String> known = Set.of(cluster.address(0), cluster.address(1), cluster.address(2));
            assertTrue(known.containsAll(runningOn), "each runs on a member: " + runningOn);
        }
        // each account on exactly one node: every node's view names the same node for it (once the
        // rebalance that spread them has settled: an account being handed over answers from nowhere)
        long settling = System.nanoTime();
        while (true) {
            Map<String, String> first = cluster.placement(0);
            if (!first.containsValue(null) && !first.containsValue("null") && first.equals(cluster.placement(1))
                    && first.equals(cluster.placement(2))) {
                break;
            }
            assertTrue(System.nanoTime() - settling < Duration.ofSeconds(60).toNanos(),
                    "the three nodes agree where each account runs within 60 s: " + first + " / " + cluster.placement(1));
            Thread.sleep(1_000);
        }
        JsonNode members = nodes[1].get("/members");
        assertEquals(NODES, members.size(), members.toString());
        members.forEach(m -> assertEquals("up", m.path("status").asText(), members.toString()));
    }

    @Test
    @Order(2)
    void aNodeKilledWithSigkillHasItsAccountsRunningOnTheOthersWellWithinThirtySeconds() throws Exception {
        int victim = runningMostBitwardenAccounts();
        Set<String> itsAccounts = cluster.accountsOn(victim);
        assertFalse(bitwardenAmong(itsAccounts).isEmpty(), "the node to kill runs Bitwarden accounts: " + itsAccounts);
        Instant killed = Instant.now();
        nodes[victim].kill9();
        int survivor = (victim + 1) % NODES;
        Duration failover;
        try {
            ClusterFixture.Moved moved = cluster.awaitEachMoved(survivor, itsAccounts, cluster.address(victim), Duration.ofSeconds(90));
            failover = moved.all();
            System.out.println("cluster failover after kill -9: Bitwarden accounts running again after "
                    + millis(moved, bitwardenAmong(itsAccounts)) + ", folder accounts after " + millis(moved, foldersAmong(itsAccounts)));
        } finally {
            nodes[victim] = cluster.start(victim); // a new incarnation joins (also when this failed: the next scenarios need three)
            nodes[victim].awaitHealthy(Duration.ofSeconds(120));
        }
        System.out.println("cluster failover after kill -9: " + itsAccounts.size() + " accounts running again after "
                + failover.toMillis() + " ms");
        assertTrue(failover.compareTo(FAILOVER_BOUND) < 0, "failover took " + failover);
        assertEquals(NODES, nodes[survivor].get("/members").size(), "the restarted node joined the cluster (no island of its own)");
        long joined = System.nanoTime();
        while (cluster.accountsOn(victim).isEmpty()) {
            assertTrue(System.nanoTime() - joined < Duration.ofSeconds(90).toNanos(), "the node that joined later takes a share of the accounts");
            Thread.sleep(500);
        }
        System.out.println("cluster: the restarted node runs " + cluster.accountsOn(victim).size() + " accounts "
                + (System.nanoTime() - joined) / 1_000_000 + " ms after it was healthy; " + Duration.between(killed, Instant.now()).toMillis()
                + " ms after the kill");
        checkEverything("after the kill");
    }

    @Test
    @Order(3)
    void aFrozenNodeIsDownedAndAfterThawingStopsItselfWithoutCommittingMore() throws Exception {
        int zombie = runningMostBitwardenAccounts();
        Set<String> itsAccounts = cluster.accountsOn(zombie);
        assertFalse(bitwardenAmong(itsAccounts).isEmpty(), "the node to freeze runs Bitwarden accounts: " + itsAccounts);
        nodes[zombie].signal("STOP");
        int survivor = (zombie + 1) % NODES;
        Duration moved;
        try {
            ClusterFixture.Moved each = cluster.awaitEachMoved(survivor, itsAccounts, cluster.address(zombie), Duration.ofSeconds(90));
            moved = each.all();
            System.out.println("cluster: frozen node's Bitwarden accounts running elsewhere after " + millis(each, bitwardenAmong(itsAccounts)));
        } finally {
            Files.writeString(work.resolve("thawed-at"), Instant.now().toString());
            nodes[zombie].signal("CONT");
        }
        Instant thawed = Instant.now();
        System.out.println("cluster: frozen node's " + itsAccounts.size() + " accounts running elsewhere after " + moved.toMillis() + " ms");
        assertTrue(nodes[zombie].exitsWithin(Duration.ofSeconds(60)), "the thawed node stops itself: it was downed");
        String log = Files.readString(nodes[zombie].log());
        assertTrue(log.contains("this node's engine stopped: it was downed or removed"), "it says why it stopped");
        List<String> laterCommits = commitsAfter(log, thawed);
        assertEquals(List.of(), laterCommits, "the thawed node committed nothing more");
        nodes[zombie] = cluster.start(zombie);
        nodes[zombie].awaitHealthy(Duration.ofSeconds(120));
        checkEverything("after the freeze");
    }

    @Test
    @Order(4)
    void aRollingRestartOfAllThreeNodesLosesAndDoublesNoRun() throws Exception {
        for (int n = 0; n < NODES; n++) {
            Set<String> itsAccounts = cluster.accountsOn(n);
            long stopping = System.nanoTime();
            nodes[n].stop();
            System.out.println("cluster: node " + n + " stopped on SIGTERM in " + (System.nanoTime() - stopping) / 1_000_000 + " ms");
            int survivor = (n + 1) % NODES;
            Duration moved = cluster.awaitMoved(survivor, itsAccounts, cluster.address(n), Duration.ofSeconds(60));
            System.out.println("cluster: node " + n + " stopped; its " + itsAccounts.size() + " accounts moved in " + moved.toMillis() + " ms");
            cluster.start(n);
            nodes[n].awaitHealthy(Duration.ofSeconds(120));
        }
        stopMutating();
        checkEverything("after the rolling restart");
    }

    /** Every account settled on the final vaults, then every repository checked. */
    private void checkEverything(String when) throws Exception {
        boolean wasMutating = mutating.get();
        if (wasMutating) {
            stopMutating();
        }
        try {
            awaitAllCaughtUp(Duration.ofMinutes(3));
            for (int a = 0; a < ACCOUNTS; a++) {
                Set<String> seen = committedSeen.getOrDefault(cluster.id(a), Set.of());
                if (a < FOLDER_ACCOUNTS) {
                    vaults.verify(a, FolderStore.open(cluster.repository(a)), cluster.password(a), seen, RETENTION, true);
                } else {
                    bitwarden.verify(a - FOLDER_ACCOUNTS, FolderStore.open(cluster.repository(a)), cluster.password(a), seen, RETENTION);
                }
            }
        } catch (Throwable failure) {
            cluster.keepLogs(when);
            throw failure;
        }
        if (wasMutating) {
            startMutating(new Random(System.nanoTime()));
        }
    }

    /** Every account idle with nothing due or in flight, the same snapshots twice a few seconds apart. */
    private void awaitAllCaughtUp(Duration timeout) throws Exception {
        Thread.sleep(3_000); // longer than settle time + quiet window: every source has reported
        long deadline = System.nanoTime() + timeout.toNanos();
        String previous = null;
        List<String> behind = List.of();
        while (System.nanoTime() < deadline) {
            behind = new ArrayList<>();
            StringBuilder snapshots = new StringBuilder();
            Map<String, JsonNode> statuses = byId(nodes[0].accounts());
            for (int a = 0; a < ACCOUNTS; a++) {
                JsonNode account = statuses.get(cluster.id(a));
                boolean settled = account != null && "idle".equals(account.path("state").asText())
                        && account.path("inFlightRun").isNull() && account.path("nextDueAt").isNull()
                        && account.hasNonNull("lastSnapshotId");
                if (settled) {
                    snapshots.append(account.get("lastSnapshotId").asText()).append(',');
                    committedSeen.computeIfAbsent(cluster.id(a), k -> new TreeSet<>()).add(account.get("lastSnapshotId").asText());
                } else {
                    behind.add(cluster.id(a) + "=" + (account == null ? "absent" : account.path("state").asText()));
                }
            }
            if (behind.isEmpty() && snapshots.toString().equals(previous)) {
                return;
            }
            previous = behind.isEmpty() ? snapshots.toString() : null;
            Thread.sleep(2_500);
        }
        throw new AssertionError("accounts not settled after " + timeout + ": " + behind);
    }

    private void awaitEveryAccount(String what, Duration timeout, java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> notYet = new TreeSet<>();
        while (System.nanoTime() < deadline) {
            JsonNode accounts = nodes[0].accounts();
            notYet = new TreeSet<>();
            for (int a = 0; a < ACCOUNTS; a++) {
                notYet.add(cluster.id(a));
            }
            for (JsonNode a : accounts) {
                if (done.test(a)) {
                    notYet.remove(a.path("id").asText());
                }
            }
            if (notYet.isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        cluster.keepLogs(what);
        fail(what + " not reached within " + timeout + " by " + notYet);
    }

    /**
     * The node that runs the most Bitwarden accounts now (the most accounts among equals), as node 1
     * sees it: the scenarios that lose a node then cover both kinds of source.
     */
    private int runningMostBitwardenAccounts() {
        Map<String, String> placement = cluster.placement(1);
        assertEquals(ACCOUNTS, placement.size(), "node 1 shows every account");
        int best = -1;
        long bestBitwarden = -1;
        long bestAll = -1;
        for (int n = 0; n < NODES; n++) {
            String address = cluster.address(n);
            Set<String> on = new TreeSet<>();
            placement.forEach((id, node) -> {
                if (address.equals(node)) {
                    on.add(id);
                }
            });
            long bw = bitwardenAmong(on).size();
            if (bw > bestBitwarden || (bw == bestBitwarden && on.size() > bestAll)) {
                best = n;
                bestBitwarden = bw;
                bestAll = on.size();
            }
        }
        return best;
    }

    private Set<String> bitwardenAmong(Set<String> ids) {
        Set<String> bw = new TreeSet<>();
        for (int b = 0; b < BITWARDEN_ACCOUNTS; b++) {
            if (ids.contains(bitwarden.id(b))) {
                bw.add(bitwarden.id(b));
            }
        }
        return bw;
    }

    private Set<String> foldersAmong(Set<String> ids) {
        Set<String> folders = new TreeSet<>(ids);
        folders.removeAll(bitwardenAmong(ids));
        return folders;
    }

    /** "max M ms (N accounts)" of when the accounts {@code ids} were first seen moved. */
    private static String millis(ClusterFixture.Moved moved, Set<String> ids) {
        long max = ids.stream().mapToLong(id -> moved.each().get(id).toMillis()).max().orElse(-1);
        return ids.isEmpty() ? "(none there)" : max + " ms (" + ids.size() + " accounts)";
    }

    private static Map<String, JsonNode> byId(JsonNode accounts) {
        Map<String, JsonNode> byId = new HashMap<>();
        accounts.forEach(a -> byId.put(a.path("id").asText(), a));
        return byId;
    }

    /** The host's NoticeLog lines "account X: snapshot S committed" logged at or after {@code after}. */
    private static List<String> commitsAfter(String log, Instant after) {
        List<String> commits = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.contains(" committed") && line.contains("NoticeLog") && line.length() > 24) {
                try {
                    if (!Instant.parse(line.substring(0, 24)).isBefore(after)) {
                        commits.add(line);
                    }
                } catch (java.time.format.DateTimeParseException notDated) {
                    // a continuation line
                }
            }
        }
        return commits;
    }
}
