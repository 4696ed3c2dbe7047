package io.vaultkeep.bench;

import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.account.AccountBackup;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.engine.account.AccountCommand;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.FolderStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * Issue 11's figure: what TLS costs on the cluster port. A second node joins the host and asks an
 * account's status through sharding (the entity lives on the host, so every ask crosses the port
 * both ways): round trips per second with 64 in flight, and the latency of one round trip at a
 * time (median, p99), with the cluster port on mutual TLS 1.3 and on plain tcp.
 *
 * <p>Run with {@code scripts/bench cluster [WORKDIR]}. Prints figures; asserts nothing.
 */
public final class ClusterBenchmark {

    private static final int WARM_UP = 2_000;
    private static final int SEQUENTIAL = 5_000;
    private static final int CONCURRENT = 50_000;
    private static final int IN_FLIGHT = 64;

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench").resolve("cluster-" + UUID.randomUUID()));
        System.out.println("machine: " + BenchReport.machine());
        try {
            for (int round = 1; round <= 2; round++) {
                measure("tls-tcp", work.resolve("tls-" + round), false);
                measure("tcp", work.resolve("tcp-" + round), true);
            }
        } finally {
            RepositoryBenchmark.deleteTree(work);
        }
    }

    private static void measure(String name, Path work, boolean plain) throws Exception {
        EngineConfig host = EngineConfig.embedded(work.resolve("data"));
        if (plain) {
            host = host.withInsecureTransport();
        }
        try (VaultKeepEngine engine = VaultKeepEngine.start(host)) {
            PushVaultSource source = new PushVaultSource();
            Path location = work.resolve("backups/alice");
            engine.register(new AccountSettings("alice", () -> FolderStore.open(location), null, 0, true, source));
            byte[] vault = "{\"encrypted\":false,\"folders\":[],\"items\":[]}".getBytes(StandardCharsets.UTF_8);
            engine.push("alice", new FetchedVault(vault, 0, true, List.of(), 0));

            // the second node: the host's own key (a node of the same cluster), or plain tcp too
            EngineConfig second = EngineConfig.embedded(work.resolve("data")).with("pekko.remote.artery.canonical.port", 0);
            if (plain) {
                second = second.withInsecureTransport();
            }
            ActorSystem<Void> node = ActorSystem.create(Behaviors.empty(), "vaultkeep", second.pekkoConfig());
            try {
                Cluster.get(node).manager().tell(new Join(Cluster.get(engine.system()).selfMember().address()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (Cluster.get(node).selfMember().status() != MemberStatus.up()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the second node did not join");
                    }
                    Thread.sleep(20);
                }
                ClusterSharding sharding = ClusterSharding.get(node);
                sharding.init(Entity.of(AccountBackup.ENTITY_TYPE, ctx -> Behaviors.<AccountCommand>empty()));
                EntityRef<AccountCommand> alice = sharding.entityRefFor(AccountBackup.ENTITY_TYPE, "alice");

                for (int i = 0; i < WARM_UP; i++) {
                    ask(alice).toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
                double[] micros = new double[SEQUENTIAL];
                for (int i = 0; i < SEQUENTIAL; i++) {
                    long start = System.nanoTime();
                    ask(alice).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    micros[i] = (System.nanoTime() - start) / 1_000.0;
                }
                Arrays.sort(micros);
                Semaphore window = new Semaphore(IN_FLIGHT);
                List<CompletableFuture<AccountEntityStatus>> asks = new ArrayList<>(CONCURRENT);
                long start = System.nanoTime();
                for (int i = 0; i < CONCURRENT; i++) {
                    window.acquire();
                    CompletableFuture<AccountEntityStatus> reply = ask(alice).toCompletableFuture();
                    reply.whenComplete((s, e) -> window.release());
                    asks.add(reply);
                }
                CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%-7s status round trips through sharding: %,.0f/s with %d in flight (n=%,d);"
                                + " one at a time: median %.0f µs, p99 %.0f µs, max %.0f µs (n=%,d)%n",
                        name, CONCURRENT / seconds, IN_FLIGHT, CONCURRENT, BenchReport.median(micros),
                        micros[(int) Math.ceil(micros.length * 0.99) - 1], micros[micros.length - 1], SEQUENTIAL);
            } finally {
                node.terminate();
                node.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static CompletionStage<AccountEntityStatus> ask(EntityRef<AccountCommand> entity) {
        return entity.ask(AccountCommand.GetStatus::new, Duration.ofSeconds(30));
    }
}
