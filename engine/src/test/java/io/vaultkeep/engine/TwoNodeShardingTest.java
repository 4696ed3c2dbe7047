package io.vaultkeep.engine;

import static io.vaultkeep.engine.VaultKeepEngineTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.AccountBackup;
import io.vaultkeep.engine.account.AccountPhase;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.host.HostStartTest;
import io.vaultkeep.engine.persistence.TestPostgres;
import io.vaultkeep.engine.source.ExportFileSource;
import io.vaultkeep.engine.transport.ClusterCertificates;
import io.vaultkeep.engine.transport.PemFiles;
import io.vaultkeep.storage.store.FolderStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of one cluster in this JVM (mutual TLS on loopback, keys from one authority), one
 * PostgreSQL journal (VAULTKEEP_TEST_POSTGRES_URL), so registrations are replicated. Accounts are
 * registered on node A first: node B learns their ids but has no settings for them and no resolver,
 * so the entities sharding places on node B wait there, visibly, keeping the backup-now asked
 * through node A, and run it once node B is given the same accounts. Status of every account
 * answers from either node. Then node B gets a settings resolver: accounts registered through node A
 * only back up on either node, and a removal through node B stops them wherever they run, for good.
 */
class TwoNodeShardingTest {

    private static final int ACCOUNTS = 6;
    private static final Duration ASK = Duration.ofSeconds(10);

    @TempDir
    Path root;

    /** Signs both nodes' certificates, as `vaultkeep cluster-keys` does. */
    private ClusterCertificates.Identity authority;

    /** A node's config: its key signed by the authority, the shared journal, no run but backup-now within the test. */
    private EngineConfig node(String name, Path ca, String postgres) throws Exception {
        Path keys = Files.createDirectories(root.resolve(name));
        ClusterCertificates.Identity identity = ClusterCertificates.issue(authority, name);
        PemFiles.writeKey(keys.resolve("node.key"), identity.key());
        PemFiles.writeCertificates(keys.resolve("node.crt"), List.of(identity.certificate()));
        return EngineConfig.embedded(keys)
                .withPostgres(postgres, null, null)
                .withClusterKeys(keys.resolve("node.key"), keys.resolve("node.crt"), ca)
                // the watchers' own reports wait out a long quiet window: within the test only backup-now runs
                .withDebounce(Duration.ofSeconds(60), Duration.ofSeconds(120))
                .withBlockingThreads(4);
    }

    private AccountSettings settings(String id) {
        Path inbox = root.resolve("inbox").resolve(id);
        Path location = root.resolve("backups").resolve(id);
        return new AccountSettings(id, () -> FolderStore.open(location), ("pw-" + id).toCharArray(), 0, true,
                ExportFileSource.factory(inbox, id, true));
    }

    @Test
    void accountsPlacedOnNodeBWaitForItsRegistrationAndRunWhatNodeAAsked() throws Exception {
        String postgres = TestPostgres.url();
        authority = ClusterCertificates.authority("two-node-test");
        Path ca = root.resolve("ca.crt");
        PemFiles.writeCertificates(ca, List.of(authority.certificate()));
        String run = Long.toString(System.nanoTime(), 36); // the journal outlives this test: fresh persistence ids
        List<String> ids = IntStream.range(0, ACCOUNTS).mapToObj(i -> "two-node-" + run + "-" + i).toList();
        for (String id : ids) {
            writeExport(id);
        }

        EngineConfig configB = node("node-b", ca, postgres);
        ActorSystem<?> systemA;
        try (VaultKeepEngine a = VaultKeepEngine.start(node("node-a", ca, postgres))) {
            systemA = a.system();
            ActorSystem<Void> systemB = ActorSystem.create(Behaviors.empty(), "vaultkeep", configB.pekkoConfig());
            try (VaultKeepEngine b = startJoined(systemB, Cluster.get(a.system()).selfMember().address())) {
                await("both nodes' shard regions at the coordinator", Duration.ofSeconds(20), () -> regions(a) == 2);

                ids.forEach(id -> a.register(settings(id))); // sharding places their entities on either node
                await("every entity placed", Duration.ofSeconds(20),
                        () -> entitiesOn(a).size() + entitiesOn(b).size() == ids.size());
                Set<String> onB = entitiesOn(b);
                assertFalse(onB.isEmpty(), "sharding placed some accounts on node B");
                assertTrue(onB.size() < ids.size(), "and some on node A");

                ids.forEach(a::backupNow);
                List<String> onA = ids.stream().filter(id -> !onB.contains(id)).toList();
                await("a snapshot of the accounts on node A", Duration.ofSeconds(30),
                        () -> onA.stream().allMatch(id -> status(a, id).lastSnapshotId() != null));
                for (String id : onB) {
                    AccountEntityStatus waiting = status(a, id);
                    assertEquals(AccountPhase.WAITING_FOR_SETTINGS, waiting.state(), id + ", asked through node A");
                    assertEquals(0, snapshots(id), id + " waits: node B has no settings for it");
                }

                ids.forEach(id -> b.register(settings(id))); // node B is given the same accounts
                await("a snapshot of every account", Duration.ofSeconds(30), () -> ids.stream().allMatch(id -> {
                    AccountEntityStatus s = status(a, id);
                    return s.lastSnapshotId() != null && s.inFlightRunId() == null;
                }));
                for (String id : ids) {
                    AccountEntityStatus fromA = status(a, id);
                    AccountEntityStatus fromB = status(b, id);
                    assertNotNull(fromA.lastSnapshotId());
                    assertEquals(fromA.lastSnapshotId(), fromB.lastSnapshotId(), id + ": one entity answers both nodes");
                    assertEquals(1, snapshots(id),
                            id + ": the backup-now through node A made exactly one snapshot");
                }
                assertEquals(ids.size(), b.statuses().toCompletableFuture().get(20, TimeUnit.SECONDS).size());

                registeredThroughAOnlyRunOnEitherNodeAndARemovalThroughBStopsThem(a, b, run);
            } finally {
                systemB.terminate();
                SystemTermination.await(systemB);
            }
        }
        assertTrue(systemA.getWhenTerminated().toCompletableFuture().isDone(), "node A's system terminated with its engine");
    }

    /**
     * Node B's resolver builds settings from what the embedding service keeps (here: the same inbox
     * and location by id), counting its calls. One account is registered through node A with its
     * shard on node B, so only the resolver can give it settings; another with its shard on node A.
     */
    private void registeredThroughAOnlyRunOnEitherNodeAndARemovalThroughBStopsThem(VaultKeepEngine a, VaultKeepEngine b,
                                                                                   String run) throws Exception {
        Set<String> resolvedOnB = java.util.concurrent.ConcurrentHashMap.newKeySet();
        b.resolveSettingsWith(id -> {
            resolvedOnB.add(id);
            return id.startsWith("resolved-" + run) ? java.util.Optional.of(settings(id)) : java.util.Optional.empty();
        });
        String onB = idOnShardOf(b, "resolved-" + run + "-b");
        String onA = idOnShardOf(a, "resolved-" + run + "-a");
        for (String id : List.of(onB, onA)) {
            writeExport(id);
            a.register(settings(id)); // node A only
        }
        await("node B knows of both through replication", Duration.ofSeconds(20),
                () -> b.accountIds().containsAll(List.of(onB, onA)));
        await("both entities placed", Duration.ofSeconds(20), () -> entitiesOn(b).contains(onB) && entitiesOn(a).contains(onA));
        a.backupNow(onB);
        b.backupNow(onA); // through the node that was not given it, too
        await("a snapshot of both", Duration.ofSeconds(30), () -> List.of(onB, onA).stream().allMatch(id -> {
            AccountEntityStatus s = status(a, id);
            return s.lastSnapshotId() != null && s.inFlightRunId() == null;
        }));
        assertEquals(io.vaultkeep.engine.cluster.ClusterMembers.node(b.system().address()), status(a, onB).node(),
                "backed up on node B with the settings its resolver built");
        assertEquals(io.vaultkeep.engine.cluster.ClusterMembers.node(a.system().address()), status(b, onA).node(),
                "backed up on node A with the settings registered there");
        assertTrue(resolvedOnB.contains(onB), "node B's resolver built " + onB);
        assertFalse(resolvedOnB.contains(onA), "node A had the settings of " + onA + ": node B was not asked");
        assertEquals(1, snapshots(onB));
        assertEquals(1, snapshots(onA));

        b.remove(onB);
        b.remove(onA); // registered on node A, running on node A: removed through node B
        await("node A forgets both", Duration.ofSeconds(20), () -> !a.accountIds().contains(onB) && !a.accountIds().contains(onA));
        await("both entities stopped", Duration.ofSeconds(20),
                () -> !entitiesOn(a).contains(onA) && !entitiesOn(b).contains(onB));
        for (VaultKeepEngine engine : List.of(a, b)) {
            IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> engine.backupNow(onA));
            assertTrue(refused.getMessage().contains("not registered"), refused.getMessage());
        }

        // a stray wake and backup-now straight to the entities (as from a message in flight) start them
        // again, but neither node has settings for a removed account, whatever its registry or resolver
        for (String id : List.of(onA, onB)) {
            var entity = ClusterSharding.get(a.system()).entityRefFor(AccountBackup.ENTITY_TYPE, id);
            entity.tell(new io.vaultkeep.engine.account.AccountCommand.Wake());
            entity.tell(new io.vaultkeep.engine.account.AccountCommand.BackupNow());
            AccountEntityStatus woken = entity.<AccountEntityStatus>ask(io.vaultkeep.engine.account.AccountCommand.GetStatus::new, ASK)
                    .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
            assertEquals(AccountPhase.WAITING_FOR_SETTINGS, woken.state(), id + " stays stopped after a wake");
        }
        int asked = resolvedOnB.size();
        assertEquals(1, snapshots(onB), "no run after the removal");
        assertEquals(1, snapshots(onA), "no run after the removal");
        assertEquals(asked, resolvedOnB.size(), "a removed account is not resolved again");
    }

    /** An account id whose shard this node already hosts, so that sharding places its entity here. */
    private static String idOnShardOf(VaultKeepEngine engine, String prefix) {
        Set<String> shards = shardsOn(engine);
        int count = engine.system().settings().config().getInt("pekko.cluster.sharding.number-of-shards");
        for (int i = 0; i < 100_000; i++) {
            String id = prefix + "-" + i;
            if (shards.contains(Integer.toString(Math.abs(id.hashCode() % count)))) { // sharding's default extractor
                return id;
            }
        }
        throw new AssertionError("no account id maps to a shard of " + engine.system().address() + " " + shards);
    }

    private void writeExport(String id) throws java.io.IOException {
        Path inbox = Files.createDirectories(root.resolve("inbox").resolve(id));
        Files.writeString(inbox.resolve("bitwarden_export_1.json"), "{\"encrypted\":false,\"folders\":[],\"items\":"
                + "[{\"id\":\"i1\",\"type\":1,\"name\":\"" + id + "\",\"login\":{\"username\":\"u\",\"password\":\"p\"}}]}");
    }

    private long snapshots(String id) {
        try {
            return HostStartTest.snapshotObjects(root.resolve("backups").resolve(id));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Node B as an embedding service starts it: its own actor system, joined to node A, then the engine on it. */
    private static VaultKeepEngine startJoined(ActorSystem<Void> system, Address seed) throws Exception {
        Cluster.get(system).manager().tell(new Join(seed));
        await("node B up", Duration.ofSeconds(30), () -> Cluster.get(system).selfMember().status() == MemberStatus.up());
        return VaultKeepEngine.startOn(system);
    }

    private static int regions(VaultKeepEngine engine) {
        try {
            return AskPattern.<ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
                            ClusterSharding.get(engine.system()).shardState(),
                            replyTo -> new GetClusterShardingStats(AccountBackup.ENTITY_TYPE, Duration.ofSeconds(2), replyTo),
                            Duration.ofSeconds(3), engine.system().scheduler())
                    .toCompletableFuture().get(5, TimeUnit.SECONDS).getRegions().size();
        } catch (Exception e) {
            return 0; // the coordinator is still starting
        }
    }

    /** The accounts whose entities run on this node. */
    private static Set<String> entitiesOn(VaultKeepEngine engine) {
        return regionState(engine).getShards().stream().flatMap(shard -> shard.getEntityIds().stream()).collect(Collectors.toSet());
    }

    /** The shards this node hosts. */
    private static Set<String> shardsOn(VaultKeepEngine engine) {
        return regionState(engine).getShards().stream().map(ShardRegion.ShardState::shardId).collect(Collectors.toSet());
    }

    private static ShardRegion.CurrentShardRegionState regionState(VaultKeepEngine engine) {
        try {
            return AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                            ClusterSharding.get(engine.system()).shardState(),
                            replyTo -> new GetShardRegionState(AccountBackup.ENTITY_TYPE, replyTo), ASK, engine.system().scheduler())
                    .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the shard region state of " + engine.system().address(), e);
        }
    }

    private static AccountEntityStatus status(VaultKeepEngine engine, String id) {
        try {
            return engine.status(id).toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the status of " + id + " through " + engine.system().address(), e);
        }
    }
}
