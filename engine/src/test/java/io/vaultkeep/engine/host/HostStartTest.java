package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.config.AsNobody;
import io.vaultkeep.engine.config.HostConfig;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.datadir.DataDirLock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host's start as another local user meets it: the data-dir private (also one an earlier
 * version left 0755), the status endpoint closed without the token, and what another host holds
 * (data-dir, port) refused before the engine starts.
 */
public class HostStartTest {

    private AsNobody workspace;
    private Path conf;

    @BeforeEach
    void workspace() throws IOException {
        // a tree user nobody can walk, so that only the data-dir's own modes keep it out
        workspace = AsNobody.workspace();
        conf = workspace.folder("conf");
        Path inbox = workspace.folder("conf/inbox");
        OneNoteExport.writeInto(inbox);
        workspace.folder("conf/backups");
    }

    @AfterEach
    void cleanUp() throws IOException {
        workspace.close();
    }

    private HostConfig config(int statusPort) throws Exception {
        Path file = conf.resolve("vaultkeep.conf");
        Files.writeString(file, """
                vaultkeep {
                  data-dir = "data"
                  status { port = %d }
                  debounce { quiet = 100ms, max-delay = 1s }
                  accounts = [
                    { id = "alice", source { export-folder { path = "inbox", settle-time = 100ms } },
                      location { folder { path = "backups/alice" } } }
                  ]
                }
                """.formatted(statusPort));
        return HostConfigLoader.load(file, name -> null);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private long snapshots() throws IOException {
        return snapshotObjects(conf.resolve("backups/alice"));
    }

    /** How many snapshot objects a folder repository holds. */
    public static long snapshotObjects(Path repository) throws IOException {
        Path folder = repository.resolve("snapshots");
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    private void awaitSnapshots(long count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (snapshots() < count) {
            assertTrue(System.nanoTime() < deadline, "no snapshot within 60 s");
            Thread.sleep(50);
        }
    }

    @Test
    void aWideDataDirIsMadePrivateAndNobodyCanNeitherReadItNorDriveTheHost() throws Exception {
        HostConfig config = config(freePort());
        try (VaultKeepHost first = VaultKeepHost.start(config)) {
            awaitSnapshots(1);
        }
        // as an earlier version left it: the folder 0755, the journal and everything else 0644
        Path data = config.dataDir();
        try (Stream<Path> tree = Files.walk(data)) {
            for (Path p : tree.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        try (VaultKeepHost host = VaultKeepHost.start(config, VaultKeepHost.LocationRetry.DEFAULT, new VaultKeepHost.Progress() {
            @Override
            public void accountStarted(String id) {
                started.add(id);
            }

            @Override
            public void accountNotStarted(String id, String reason) {
                started.add("not " + id);
            }
        })) {
            assertEquals(List.of("alice"), started);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
            List<String> files = new ArrayList<>();
            try (Stream<Path> tree = Files.walk(data)) {
                for (Path p : tree.filter(Files::isRegularFile).toList()) {
                    files.add(data.relativize(p).toString());
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
                }
            }
            assertTrue(files.containsAll(List.of("journal.mv.db", StatusToken.FILE_NAME, DataDirLock.FILE_NAME)), files.toString());
            long before = snapshots();
            String url = "http://127.0.0.1:" + host.statusPort();

            if (AsNobody.needed()) {
                AsNobody.Result read = workspace.runProgram("cat", data.resolve("journal.mv.db").toString());
                assertEquals(1, read.exit(), read.output());
                assertTrue(read.output().contains("Permission denied"), read.output());
                assertEquals("401", curlAsNobody(url + "/accounts"));
                assertEquals("401", curlAsNobody(url + "/accounts/alice"));
                assertEquals("401", curlAsNobody("-X", "POST", url + "/accounts/alice/backup-now"));
                assertEquals("200", curlAsNobody(url + "/health"));
            }
            StatusClient stranger = new StatusClient(URI.create(url));
            IOException refused = assertThrows(IOException.class, () -> stranger.backupNow("alice"));
            assertTrue(refused.getMessage().contains("needs the host's status token"), refused.getMessage());
            Thread.sleep(1500); // a run a request had started would have committed by now (quiet 100 ms)
            assertEquals(before, snapshots(), "no snapshot was made for the refused requests");

            StatusClient owner = new StatusClient(URI.create(url), StatusToken.read(data.resolve(StatusToken.FILE_NAME)));
            assertEquals("alice", owner.accounts().get(0).id());
            assertTrue(owner.backupNow("alice"));
        }
    }

    private String curlAsNobody(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}"));
        command.addAll(List.of(args));
        return workspace.runProgram(command.toArray(String[]::new)).output().trim();
    }

    @Test
    void aDataDirOfAnotherUserIsRefused() throws Exception {
        HostConfig config = config(freePort());
        Path data = Files.createDirectories(config.dataDir());
        UserPrincipal other;
        if (AsNobody.needed()) {
            other = data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(data, other);
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        } else {
            other = Files.getOwner(Path.of("/")); // not ours: we are not root
            data = Path.of("/");
        }
        IOException e = assertThrows(IOException.class, () -> io.vaultkeep.engine.datadir.DataDir.prepare(config.dataDir()));
        assertEquals("data-dir " + config.dataDir() + " belongs to user " + other.getName() + ", not to "
                + System.getProperty("user.name") + " who runs VaultKeep: use a folder of your own", e.getMessage());
        assertThrows(IOException.class, () -> VaultKeepHost.start(config));
        assertFalse(Files.exists(config.dataDir().resolve("journal.mv.db")), "nothing was written into it");
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.dataDir())),
                "nor was its mode changed");
    }

    @Test
    void aSecondHostOnTheSameDataDirOrPortIsRefusedAtOnce() throws Exception {
        int port = freePort();
        try (VaultKeepHost first = VaultKeepHost.start(config(port))) {
            HostConfig sameDataDir = config(freePort());
            long started = System.nanoTime();
            IOException inUse = assertThrows(IOException.class, () -> VaultKeepHost.start(sameDataDir));
            assertEquals("data-dir " + sameDataDir.dataDir() + " is in use by another VaultKeep host (pid "
                    + ProcessHandle.current().pid() + ")", inUse.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 2000, "refused at once");
            StatusClient owner = new StatusClient(URI.create("http://127.0.0.1:" + port),
                    StatusToken.read(sameDataDir.dataDir().resolve(StatusToken.FILE_NAME)));
            assertEquals(1, owner.accounts().size(), "the first host still serves, with its own token");
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HostConfig config = config(taken.getLocalPort());
            Files.delete(config.dataDir().resolve("journal.mv.db"));
            long started = System.nanoTime();
            IOException busy = assertThrows(IOException.class, () -> VaultKeepHost.start(config));
            assertTrue(busy.getMessage().startsWith("cannot listen on http://127.0.0.1:" + taken.getLocalPort()), busy.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 2000, "refused at once");
            assertFalse(Files.exists(config.dataDir().resolve("journal.mv.db")), "the engine never started");
            DataDirLock.acquire(config.dataDir()).close(); // and the data-dir was let go
        }
    }
}
