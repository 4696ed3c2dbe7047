package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultkeep.storage.store.FolderStore;
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
 * accounts whose export folders (on a folder all nodes see) keep changing. One fixture for all
 * scenarios, in order: a node killed with SIGKILL, a node frozen with SIGSTOP and thawed, a rolling
 * restart of all three. After each, every account has run again, and every repository checks clean
 * with the newest vault in its newest snapshot. Failure detection and the split brain resolver are
 * tuned short (the test configs' pekko block) to keep the wall time small.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int ACCOUNTS = 30;
    private static final int NODES = 3;
    private static final int RETENTION = 10;
    /** What the tests' tuning must keep failover under (the bound with the defaults is 30 s). */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);

    private Path work;
    private ChangingVaults vaults;
    private ClusterFixture cluster;
    private HostProcess[] nodes;
    private final Map<String, Set<String>> committedSeen = new HashMap<>();
    private final AtomicBoolean mutating = new AtomicBoolean(true);
    private Thread mutator;

    @BeforeAll
    void startCluster(@TempDir Path work) throws Exception {
        this.work = work;
        vaults = new ChangingVaults(work, "acct", ACCOUNTS);
        vaults.writeFirst();
        cluster = new ClusterFixture(work, NODES, vaults, ACCOUNTS, RETENTION,
                "split-brain-resolver { strategy = keep-majority, stable-after = 2s }",
                // the tests' tuning: a lost node is suspected after about 2 s instead of about 5 s
                "pekko.cluster.failure-detector { heartbeat-interval = 500ms, acceptable-heartbeat-pause = 1500ms }");
        nodes = cluster.nodes;
        cluster.startAll();
        awaitEveryAccount("every account's first snapshot", Duration.ofSeconds(120), a -> a.hasNonNull("lastSnapshotId"));
        mutator = vaults.startMutating(mutating, new Random(14));
    }

    @AfterAll
    void stopCluster() throws Exception {
        mutating.set(false);
        if (mutator != null) {
            mutator.join();
        }
        if (cluster != null) {
            cluster.keepLogs("the end"); // the temp folder goes; the nodes' logs are all there is to tell what happened
            cluster.close();
        }
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
        int victim = busiest();
        Set<String> itsAccounts = cluster.accountsOn(victim);
        assertFalse(itsAccounts.isEmpty());
        Instant killed = Instant.now();
        nodes[victim].kill9();
        int survivor = (victim + 1) % NODES;
        Duration failover;
        try {
            failover = cluster.awaitMoved(survivor, itsAccounts, cluster.address(victim), Duration.ofSeconds(90));
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
        int zombie = busiest();
        Set<String> itsAccounts = cluster.accountsOn(zombie);
        assertFalse(itsAccounts.isEmpty(), "the frozen node runs accounts");
        nodes[zombie].signal("STOP");
        int survivor = (zombie + 1) % NODES;
        Duration moved;
        try {
            moved = cluster.awaitMoved(survivor, itsAccounts, cluster.address(zombie), Duration.ofSeconds(90));
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
        mutating.set(false);
        mutator.join();
        checkEverything("after the rolling restart");
    }

    /** Every account settled on the final vaults, then every repository checked. */
    private void checkEverything(String when) throws Exception {
        boolean wasMutating = mutating.get();
        if (wasMutating) {
            mutating.set(false);
            mutator.join();
        }
        try {
            awaitAllCaughtUp(Duration.ofMinutes(3));
            for (int a = 0; a < ACCOUNTS; a++) {
                vaults.verify(a, FolderStore.open(cluster.repository(a)), cluster.password(a), committedSeen.getOrDefault(vaults.id(a), Set.of()),
                        RETENTION, true);
            }
        } catch (Throwable failure) {
            cluster.keepLogs(when);
            throw failure;
        }
        if (wasMutating) {
            mutating.set(true);
            mutator = vaults.startMutating(mutating, new Random(System.nanoTime()));
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
                JsonNode account = statuses.get(vaults.id(a));
                boolean settled = account != null && "idle".equals(account.path("state").asText())
                        && account.path("inFlightRun").isNull() && account.path("nextDueAt").isNull()
                        && account.hasNonNull("lastSnapshotId");
                if (settled) {
                    snapshots.append(account.get("lastSnapshotId").asText()).append(',');
                    committedSeen.computeIfAbsent(vaults.id(a), k -> new TreeSet<>()).add(account.get("lastSnapshotId").asText());
                } else {
                    behind.add(vaults.id(a) + "=" + (account == null ? "absent" : account.path("state").asText()));
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
        while (System.nanoTime() < deadline) {
            JsonNode accounts = nodes[0].accounts();
            int ok = 0;
            for (JsonNode a : accounts) {
                ok += done.test(a) ? 1 : 0;
            }
            if (ok == ACCOUNTS) {
                return;
            }
            Thread.sleep(500);
        }
        cluster.keepLogs(what);
        fail(what + " not reached within " + timeout);
    }

    /** The node that runs the most accounts now, as node 1 sees it (no node is ever left out of 0, 1, 2). */
    private int busiest() {
        assertEquals(ACCOUNTS, cluster.placement(1).size(), "node 1 shows every account");
        return cluster.busiest(1);
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
