package io.vaultkeep.engine.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.cli.VaultKeepCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster port's transport: TLS by default, plain tcp only when asked, and cluster keys that make one cluster. */
class ClusterTransportTest {

    @TempDir
    Path root;

    @Test
    void plainTcpIsRefusedUnlessInsecureTransportIsSaid() throws Exception {
        IOException refused = assertThrows(IOException.class, () -> VaultKeepEngine.start(
                EngineConfig.embedded(root.resolve("a")).with(ClusterTransport.TRANSPORT, "tcp")));
        assertTrue(refused.getMessage().startsWith("the cluster port would speak plain tcp: every local user could join"),
                refused.getMessage());
        try (VaultKeepEngine insecure = VaultKeepEngine.start(EngineConfig.embedded(root.resolve("b")).withInsecureTransport())) {
            assertEquals("tcp", insecure.system().settings().config().getString(ClusterTransport.TRANSPORT));
        }
        ActorSystem<Void> plain = ActorSystem.create(Behaviors.empty(), "host", ConfigFactory.parseString(
                "pekko.actor.provider = cluster\npekko.remote.artery.canonical.port = 0").withFallback(ConfigFactory.load()));
        try {
            IOException embedded = assertThrows(IOException.class, () -> VaultKeepEngine.startOn(plain));
            assertTrue(embedded.getMessage().startsWith("the cluster port would speak plain tcp"), embedded.getMessage());
        } finally {
            stop(plain);
        }
    }

    @Test
    void theEmbeddedNodeMakesItsKeyOnceAndKeepsItPrivate() throws Exception {
        Path data = root.resolve("data");
        try (VaultKeepEngine engine = VaultKeepEngine.start(EngineConfig.embedded(data))) {
            assertEquals("tls-tcp", engine.system().settings().config().getString(ClusterTransport.TRANSPORT));
        }
        String certificate = Files.readString(data.resolve(EngineConfig.NODE_CERTIFICATE));
        for (String file : List.of(EngineConfig.NODE_KEY, EngineConfig.NODE_CERTIFICATE)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file))), file);
        }
        assertTrue(Files.readString(data.resolve(EngineConfig.NODE_KEY)).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        try (VaultKeepEngine again = VaultKeepEngine.start(EngineConfig.embedded(data))) {
            assertEquals(certificate, Files.readString(data.resolve(EngineConfig.NODE_CERTIFICATE)), "the same key on restart");
        }
        Files.writeString(data.resolve(EngineConfig.NODE_KEY), "not a key\n");
        IOException damaged = assertThrows(IOException.class, () -> VaultKeepEngine.start(EngineConfig.embedded(data)));
        assertEquals(data.resolve(EngineConfig.NODE_KEY) + " must hold exactly one unencrypted PKCS#8 private key"
                + " (-----BEGIN PRIVATE KEY-----)", damaged.getMessage());
    }

    private static String clusterKeys(Path out, String... nodes) {
        StringWriter text = new StringWriter();
        String[] args = Stream.concat(Stream.of("cluster-keys", "--out", out.toString()), Stream.of(nodes)).toArray(String[]::new);
        int exit = VaultKeepCli.execute(args, new PrintWriter(text, true), new PrintWriter(text, true), Map.<String, String>of()::get);
        assertEquals(0, exit, text.toString());
        return text.toString();
    }

    /** Whether a node with these files joins {@code seed} within the time. */
    private static boolean joins(org.apache.pekko.actor.Address seed, Path key, Path cert, Path trust, Duration within)
            throws Exception {
        EngineConfig config = EngineConfig.embedded(key.getParent()).withClusterKeys(key, cert, trust);
        ActorSystem<Void> node = ActorSystem.create(Behaviors.empty(), "vaultkeep", config.pekkoConfig());
        try {
            Cluster.get(node).manager().tell(new Join(seed));
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                if (Cluster.get(node).selfMember().status() == MemberStatus.up()) {
                    return true;
                }
                Thread.sleep(50);
            }
            return false;
        } finally {
            stop(node);
        }
    }

    @Test
    void clusterKeysMakeNodesOfOneClusterAndNoOtherKeyGetsIn() throws Exception {
        Path keys = root.resolve("keys");
        String printed = clusterKeys(keys, "node-a", "node-b");
        assertTrue(printed.contains("wrote " + keys.resolve("ca.crt")), printed);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        try (Stream<Path> files = Files.list(keys)) {
            for (Path file : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
        assertTrue(clusterKeys(keys, "node-c").contains("using the authority in " + keys.resolve("ca.crt")));
        StringWriter err = new StringWriter();
        assertEquals(1, VaultKeepCli.execute(new String[] {"cluster-keys", "--out", keys.toString(), "node-a"},
                new PrintWriter(new StringWriter()), new PrintWriter(err, true), Map.<String, String>of()::get));
        assertTrue(err.toString().contains(keys.resolve("node-a.key") + " exists already"), err.toString());

        Path other = root.resolve("other-cluster");
        clusterKeys(other, "node-x");

        Path ca = keys.resolve("ca.crt");
        try (VaultKeepEngine a = VaultKeepEngine.start(EngineConfig.embedded(root.resolve("data-a"))
                .withClusterKeys(keys.resolve("node-a.key"), keys.resolve("node-a.crt"), ca))) {
            var seed = Cluster.get(a.system()).selfMember().address();
            assertTrue(joins(seed, keys.resolve("node-c.key"), keys.resolve("node-c.crt"), ca, Duration.ofSeconds(30)),
                    "a node the same authority signed joins");
            assertFalse(joins(seed, other.resolve("node-x.key"), other.resolve("node-x.crt"), ca, Duration.ofSeconds(8)),
                    "a node of another authority does not, even trusting ours");
            assertFalse(joins(seed, other.resolve("node-x.key"), other.resolve("node-x.crt"), other.resolve("ca.crt"),
                    Duration.ofSeconds(8)), "nor trusting its own");
        }
    }

    /** The README's openssl recipe, run as written: its node certificates make one cluster too. */
    @Test
    void theReadmesOpensslRecipeMakesNodesOfOneCluster() throws Exception {
        String readme = Files.readString(readme());
        int start = readme.indexOf("```\nopenssl req -x509");
        String recipe = readme.substring(start + 4, readme.indexOf("```", start + 4));
        Path keys = Files.createDirectories(root.resolve("openssl"));
        String script = recipe + recipe.substring(recipe.indexOf("openssl req -newkey")).replace("node-a", "node-b");
        Process process = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(keys.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        Path ca = keys.resolve("ca.crt");
        try (VaultKeepEngine a = VaultKeepEngine.start(EngineConfig.embedded(root.resolve("data-a"))
                .withClusterKeys(keys.resolve("node-a.key"), keys.resolve("node-a.crt"), ca))) {
            assertTrue(joins(Cluster.get(a.system()).selfMember().address(), keys.resolve("node-b.key"), keys.resolve("node-b.crt"),
                    ca, Duration.ofSeconds(30)), "node-b joins node-a");
        }
    }

    static void stop(ActorSystem<?> system) throws Exception {
        system.terminate();
        // a member that is up leaves the cluster first (coordinated shutdown), which a loaded machine drags out
        io.vaultkeep.engine.SystemTermination.await(system);
    }

    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("engine"))) {
                return dir.resolve("README.md");
            }
        }
        throw new AssertionError("README.md not found above " + Path.of("").toAbsolutePath());
    }
}
