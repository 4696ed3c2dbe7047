package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.config.ConfigChanges;
import io.vaultkeep.engine.config.ConfigException;
import io.vaultkeep.engine.config.HostConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running host re-reads its config: accounts added start, removed ones stop, a broken file changes nothing. */
class HostReloadTest {

    @TempDir
    Path folder;

    private Path conf;
    private int port;

    private void write(String accounts, String extra) throws IOException {
        Files.writeString(conf, """
                vaultkeep {
                  data-dir = "data"
                  status { port = %d }
                  %s
                  accounts = [
                %s
                  ]
                }
                """.formatted(port, extra, accounts));
    }

    private static String account(String id, String more) {
        return "    { id = \"" + id + "\", source { push {} }, location { folder { path = \"backups/" + id + "\" } }"
                + (more.isEmpty() ? "" : ", " + more) + " }\n";
    }

    @Test
    void reloadStartsAddedAccountsStopsRemovedOnesAndKeepsTheRunningSetOnABrokenFile() throws Exception {
        conf = folder.resolve("vaultkeep.conf");
        port = freePort();
        write(account("alice", "") + account("bob", "") + account("dave", "retention = 10"), "");
        Map<String, String> environment = Map.of();
        try (VaultKeepHost host = VaultKeepHost.start(HostConfigLoader.load(conf, environment::get),
                VaultKeepHost.LocationRetry.DEFAULT, VaultKeepHost.Progress.NONE, environment::get)) {
            assertEquals(List.of("alice", "bob", "dave"), running(host));

            write(account("alice", "") + account("carol", "") + account("dave", "retention = 60"), "limits { io-threads = 3 }");
            ConfigChanges changes = host.reload();

            assertEquals(List.of("carol"), changes.added());
            assertEquals(List.of("bob"), changes.removed());
            assertEquals(List.of("dave"), changes.changed());
            assertEquals(List.of("alice"), changes.unchanged());
            assertEquals(List.of("limits"), changes.needRestart());
            await("carol starts and bob stops", () -> running(host).equals(List.of("alice", "carol", "dave")));
            assertTrue(Files.isDirectory(folder.resolve("backups/carol")), "carol's repository location was tested and used");

            Files.writeString(conf, "vaultkeep { accounts = [ { id = \"x\" ");
            ConfigException broken = assertThrows(ConfigException.class, host::reload);
            assertTrue(broken.getMessage().contains(conf + ":"), broken.getMessage());
            assertEquals(List.of("alice", "carol", "dave"), running(host), "a broken file changes nothing");

            // the same through the status endpoint, which needs the token
            StatusClient owner = new StatusClient(URI.create("http://127.0.0.1:" + port),
                    StatusToken.read(folder.resolve("data").resolve(StatusToken.FILE_NAME)));
            IOException refused = assertThrows(IOException.class, owner::reload);
            assertTrue(refused.getMessage().contains("HTTP 422") && refused.getMessage().contains("running accounts are kept"),
                    refused.getMessage());
            assertThrows(IOException.class, new StatusClient(URI.create("http://127.0.0.1:" + port))::reload,
                    "no token, no reload");
            write(account("alice", "") + account("dave", "retention = 60"), "limits { io-threads = 3 }");
            ConfigChanges viaEndpoint = owner.reload();
            assertEquals(List.of("carol"), viaEndpoint.removed());
            assertEquals(List.of("alice", "dave"), viaEndpoint.unchanged());
            await("carol stops", () -> running(host).equals(List.of("alice", "dave")));
        }
    }

    private static List<String> running(VaultKeepHost host) {
        return List.copyOf(new TreeSet<>(host.engine().accountIds()));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(25);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
