package io.vaultkeep.engine.transport;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.vaultkeep.engine.account.AccountBackup;
import io.vaultkeep.engine.account.AccountCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;

/**
 * What another local user would run against a host's cluster port, using only the engine's jar:
 * join the cluster and send the account entity ten {@code BackupNow}s. Prints {@code joined} or
 * {@code refused}.
 *
 * <pre>ClusterIntruder ADDRESS ACCOUNT tcp|own-key|KEY CERT TRUST</pre>
 * {@code tcp}: plain Artery; {@code own-key}: TLS with a key and certificate of its own; three
 * files: TLS with those (the control, run with the host's own key).
 */
public final class ClusterIntruder {

    public static void main(String[] args) {
        int status = 0;
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        // an actor system still leaving the cluster keeps non-daemon threads (and the test reading us) alive
        Runtime.getRuntime().halt(status);
    }

    private static void run(String[] args) throws Exception {
        String address = args[0];
        String account = args[1];
        Config transport;
        if (args[2].equals("tcp")) {
            transport = ConfigFactory.parseString("pekko.remote.artery.transport = tcp");
        } else {
            Path key;
            Path cert;
            Path trust;
            if (args[2].equals("own-key")) {
                Path dir = Files.createTempDirectory("intruder-");
                ClusterCertificates.Identity own = ClusterCertificates.selfSigned("vaultkeep node");
                key = dir.resolve("k.pem");
                cert = dir.resolve("c.pem");
                trust = cert;
                PemFiles.writeKey(key, own.key());
                PemFiles.writeCertificates(cert, List.of(own.certificate()));
            } else {
                key = Path.of(args[2]);
                cert = Path.of(args[3]);
                trust = Path.of(args[4]);
            }
            transport = ConfigFactory.parseString("""
                    pekko.remote.artery.transport = tls-tcp
                    pekko.remote.artery.ssl.ssl-engine-provider = "io.vaultkeep.engine.transport.ClusterTlsEngineProvider"
                    """)
                    .withValue("vaultkeep.cluster-tls.key-file", ConfigValueFactory.fromAnyRef(key.toString()))
                    .withValue("vaultkeep.cluster-tls.cert-file", ConfigValueFactory.fromAnyRef(cert.toString()))
                    .withValue("vaultkeep.cluster-tls.trust-file", ConfigValueFactory.fromAnyRef(trust.toString()));
        }
        Config config = transport.withFallback(ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
                pekko.cluster.jmx.enabled = off
                pekko.loglevel = ERROR
                pekko.actor.serialization-bindings { "io.vaultkeep.engine.account.AccountCommand" = jackson-cbor }
                """)).withFallback(ConfigFactory.load());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "vaultkeep", config);
        String outcome = "no outcome";
        try {
            Cluster cluster = Cluster.get(system);
            cluster.manager().tell(new JoinSeedNodes(List.of(org.apache.pekko.actor.AddressFromURIString.parse(address))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (cluster.selfMember().status() != MemberStatus.up() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (cluster.selfMember().status() != MemberStatus.up()) {
                outcome = "refused";
                return;
            }
            // a region of its own, to route through: the account's shard is already on the host
            ClusterSharding sharding = ClusterSharding.get(system);
            sharding.init(Entity.of(AccountBackup.ENTITY_TYPE, ctx -> Behaviors.<AccountCommand>empty()));
            for (int i = 0; i < 10; i++) {
                sharding.entityRefFor(AccountBackup.ENTITY_TYPE, account).tell(new AccountCommand.BackupNow());
            }
            Thread.sleep(2000);
            outcome = "joined";
            cluster.manager().tell(new org.apache.pekko.cluster.typed.Leave(cluster.selfMember().address()));
            Thread.sleep(2000);
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException slowOnALoadedMachine) {
                // main exits the JVM anyway; what happened before is the outcome
            }
            // last, so that the outcome is the last line whatever the shutdown logged
            System.out.println(outcome);
        }
    }
}
