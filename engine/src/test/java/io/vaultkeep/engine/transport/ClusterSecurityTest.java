package io.vaultkeep.engine.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.account.AccountBackup;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.account.Pruner;
import io.vaultkeep.engine.config.AsNobody;
import io.vaultkeep.engine.host.HostStartTest;
import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.engine.account.AccountCommand;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.FolderStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster port as an attacker meets it. Another local user cannot join at all (plain tcp, or
 * TLS with a key of its own); a node that can (it holds a trusted key) can ask, but what it forges
 * in the name of an entity's children cannot be read, and the repository stays as it was.
 */
class ClusterSecurityTest {

    private static final String ACCOUNT = "alice";

    @TempDir
    Path root;

    private VaultKeepEngine engine;
    private PushVaultSource source;

    @BeforeEach
    void start() throws Exception {
        engine = VaultKeepEngine.start(EngineConfig.embedded(root.resolve("data"))
                .withDebounce(Duration.ofMillis(100), Duration.ofSeconds(1)));
        source = new PushVaultSource();
        Path location = root.resolve("backups").resolve(ACCOUNT);
        engine.register(new AccountSettings(ACCOUNT, () -> FolderStore.open(location), null, 2, true, source));
        push("v1");
        awaitSnapshots(1);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private void push(String marker) {
        String json = "{\"encrypted\":false,\"folders\":[],\"items\":[{\"id\":\"item-1\",\"type\":2,\"name\":\"" + marker
                + "\",\"notes\":\"n\",\"secureNote\":{\"type\":0}}]}";
        engine.push(ACCOUNT, new FetchedVault(json.getBytes(StandardCharsets.UTF_8), 1, true, List.of(), 0));
    }

    private Path repository() {
        return root.resolve("backups").resolve(ACCOUNT);
    }

    private long snapshots() throws IOException {
        return HostStartTest.snapshotObjects(repository());
    }

    private void awaitSnapshots(long count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (snapshots() < count || engine.status(ACCOUNT).toCompletableFuture().get().inFlightRunId() != null) {
            assertTrue(System.nanoTime() < deadline, "snapshot " + count + " within 60 s");
            Thread.sleep(50);
        }
    }

    /** Every object of the repository by name, with a digest of its bytes. */
    private Map<String, String> objects() throws Exception {
        Map<String, String> objects = new TreeMap<>();
        try (Stream<Path> files = Files.walk(repository())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                objects.put(repository().relativize(file).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        }
        return objects;
    }

    private String address() {
        return Cluster.get(engine.system()).selfMember().address().toString();
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void anotherLocalUserCannotJoinWithPlainTcpNorWithAKeyOfItsOwn() throws Exception {
        Map<String, String> before = objects();
        List<String> outcomes = new ArrayList<>();
        if (AsNobody.needed()) {
            try (AsNobody nobody = AsNobody.workspace()) {
                for (String mode : List.of("tcp", "own-key")) {
                    AsNobody.Result result = nobody.runJava(ClusterIntruder.class, address(), ACCOUNT, mode);
                    outcomes.add(mode + ": " + lastLine(result.output()));
                }
            }
        } else {
            for (String mode : List.of("tcp", "own-key")) {
                outcomes.add(mode + ": " + lastLine(runIntruder(address(), ACCOUNT, mode)));
            }
        }
        assertEquals(List.of("tcp: refused", "own-key: refused"), outcomes);
        assertEquals(before, objects(), "the repository is as it was");

        // the owner's host keeps working
        push("v2");
        awaitSnapshots(2);

        // the control: the same program with the host's own key (which only its user can read) gets in
        Path data = root.resolve("data");
        String control = runIntruder(address(), ACCOUNT, data.resolve(EngineConfig.NODE_KEY).toString(),
                data.resolve(EngineConfig.NODE_CERTIFICATE).toString(), data.resolve(EngineConfig.NODE_CERTIFICATE).toString());
        assertEquals("joined", lastLine(control), control);
    }

    private static String runIntruder(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClusterIntruder.class.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("intruder", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = process.waitFor(2, TimeUnit.MINUTES);
            if (!ended) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, "the program ends within 2 minutes: " + output);
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void reportsForgedByATrustedNodeCannotBeReadAndTheRepositoryIsUntouched() throws Exception {
        Map<String, String> before = objects();
        String newest = engine.status(ACCOUNT).toCompletableFuture().get().lastSnapshotId();
        PrunePlan forged = new PrunePlan(Instant.now(), 1, List.of(), List.of(newest), List.of("repo.zip"),
                List.of(), List.of("indexes"));
        Path data = root.resolve("data");
        // a node gone rogue: it holds the cluster's key, and binds the entity's local-only messages to a serializer
        Config rogue = ConfigFactory.parseString("""
                pekko.remote.artery.canonical.port = 0
                pekko.actor.serialization-bindings { "io.vaultkeep.engine.account.LocalOnlyMessage" = jackson-cbor }
                """).withFallback(EngineConfig.embedded(data).pekkoConfig());
        ActorSystem<Void> node = ActorSystem.create(Behaviors.empty(), "vaultkeep", rogue);
        try {
            Cluster.get(node).manager().tell(new Join(Cluster.get(engine.system()).selfMember().address()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Cluster.get(node).selfMember().status() != MemberStatus.up()) {
                assertTrue(System.nanoTime() < deadline, "the trusted node joins");
                Thread.sleep(50);
            }
            ClusterSharding sharding = ClusterSharding.get(node);
            // a region of its own (one shard, already on the host: it is not moved), to route through
            sharding.init(Entity.of(AccountBackup.ENTITY_TYPE, ctx -> Behaviors.<AccountCommand>empty()));
            var entity = sharding.entityRefFor(AccountBackup.ENTITY_TYPE, ACCOUNT);
            // the channel works: a request it may make is answered from the host
            AccountEntityStatus status = entity.<AccountEntityStatus>ask(AccountCommand.GetStatus::new, Duration.ofSeconds(20))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(newest, status.lastSnapshotId());

            entity.tell(new AccountCommand.PrunePlanReady(forged));
            entity.tell(new AccountCommand.RunRollbackDone("r", 0));
            entity.tell(new AccountCommand.PermitGranted());
            int shard = Math.abs(ACCOUNT.hashCode() % 1000);
            // the pruner is no actor: the entity carries out its commands, so they are forged to the entity itself
            ActorSelection account = Adapter.toClassic(node).actorSelection(address() + "/system/sharding/account/" + shard + "/"
                    + ACCOUNT);
            account.resolveOne(java.time.Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS); // it is there
            account.tell(new Pruner.ExecutePrune("forged", forged), org.apache.pekko.actor.ActorRef.noSender());
            account.tell(new Pruner.PlanPrune(), org.apache.pekko.actor.ActorRef.noSender());
            Thread.sleep(3000);
        } finally {
            ClusterTransportTest.stop(node);
        }
        assertEquals(before, objects(), "the repository is untouched");
        try (BackupRepository repository = BackupRepository.open(FolderStore.open(repository()), new Zip4jCodec(), null,
                Clock.systemUTC())) {
            assertTrue(RepositoryCheck.run(repository, true).ok());
        }
        AccountEntityStatus after = engine.status(ACCOUNT).toCompletableFuture().get();
        assertEquals(newest, after.lastSnapshotId());
        assertEquals(null, after.lastError());
        push("v2");
        awaitSnapshots(2);
    }
}
