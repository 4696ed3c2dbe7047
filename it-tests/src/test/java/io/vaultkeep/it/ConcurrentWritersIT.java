package io.vaultkeep.it;

import static io.vaultkeep.it.WebDavLocationIT.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.host.VaultKeepHost;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.storage.store.webdav.ApacheDav;
import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.webdav.WebDavStore;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several writers on one repository, as real processes (issue 12): two command lines backing up at
 * the same moment, and the command line beside a running host, on a folder and on Apache WebDAV.
 * Every snapshot a writer said was committed is listed and restores afterwards, and
 * {@code check --read-data} finds nothing.
 */
class ConcurrentWritersIT {

    private static final String EXPORT = "examples/inbox/alice/bitwarden_export.json";
    private static final String ATTACHMENTS = "examples/inbox/alice/attachments";
    private static final Path ATTACHMENT;

    static {
        try (var files = Files.walk(Launcher.REPO_ROOT.resolve(ATTACHMENTS))) {
            ATTACHMENT = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private static final String DAV_PASSWORD = new String(ApacheDav.PASSWORD);
    private static final Pattern COMMITTED = Pattern.compile("snapshot (\\S+) committed");
    private static final int RUNS_PER_WRITER = 3;

    @TempDir
    Path temp;

    /** Where the repository is, as command-line options, and as host config; null server for a folder. */
    private record Location(ApacheDav server, String[] options, String config, StoreOpener opener) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (server != null) {
                server.close();
            }
        }
    }

    private Location location(String kind) throws Exception {
        if (kind.equals("folder")) {
            Path folder = temp.resolve("repo");
            return new Location(null, new String[] {"--location", folder.toString()},
                    "location { folder { path = \"" + folder + "\" } }", () -> FolderStore.open(folder));
        }
        ApacheDav apache = ApacheDav.start();
        String url = apache.url("backups/shared");
        return new Location(apache, new String[] {"--location", url, "--webdav-user", ApacheDav.USER, "--webdav-password-env", "DAV_PW"},
                "location { webdav { url = \"" + url + "\", user = \"" + ApacheDav.USER + "\", password-env = \"DAV_PW\" } }",
                () -> WebDavStore.open(url, ApacheDav.USER, ApacheDav.PASSWORD, null));
    }

    private interface StoreOpener {
        ObjectStore open() throws IOException;
    }

    private static final Map<String, String> ENV = Map.of("DAV_PW", DAV_PASSWORD, "VK_PW", "shared repository secret");

    @ParameterizedTest
    @ValueSource(strings = {"folder", "webdav"})
    void twoCommandLinesBackingUpAtOnceLoseNothing(String kind) throws Exception {
        Launcher launcher = new Launcher(temp);
        try (Location where = location(kind)) {
            List<CompletableFuture<List<String>>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(CompletableFuture.supplyAsync(() -> backups(launcher, where, RUNS_PER_WRITER)));
            }
            Set<String> committed = new TreeSet<>();
            for (CompletableFuture<List<String>> writer : writers) {
                committed.addAll(writer.get(5, TimeUnit.MINUTES));
            }
            assertEquals(2 * RUNS_PER_WRITER, committed.size(), "every run committed its own snapshot");
            assertEveryCommittedSnapshotIsListedAndRestores(launcher, where, committed, committed, committed.size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"folder", "webdav"})
    void theCommandLineBesideARunningHostLosesNothing(String kind) throws Exception {
        Launcher launcher = new Launcher(temp);
        Path inbox = Files.createDirectories(temp.resolve("inbox"));
        Path export = Launcher.REPO_ROOT.resolve(EXPORT);
        Files.copy(export, inbox.resolve("bitwarden_export.json"));
        try (Location where = location(kind)) {
            Path file = WebDavLocationIT.oneAccountHostConfig(temp, "alice", where.config() + "\n      password-env = \"VK_PW\"");
            var config = HostConfigLoader.load(file, ENV::get);
            try (var host = VaultKeepHost.start(config,
                    new VaultKeepHost.LocationRetry(Duration.ofMillis(300), Duration.ofSeconds(1)), VaultKeepHost.Progress.NONE)) {
                CompletableFuture<List<String>> cli = CompletableFuture.supplyAsync(() -> backups(launcher, where, RUNS_PER_WRITER));
                String original = Files.readString(export);
                for (int change = 1; change <= 3; change++) {
                    Thread.sleep(700);
                    // a changed vault each time: the host runs a backup for each
                    Files.writeString(inbox.resolve("bitwarden_export.json"), original.replace("\"Example mail\"", "\"Example mail " + change + "\""));
                }
                Set<String> fromCommandLine = new TreeSet<>(cli.get(5, TimeUnit.MINUTES));
                Set<String> committed = new TreeSet<>(fromCommandLine);
                AccountEntityStatus status = awaitIdle(host);
                assertTrue(status.lastSnapshotId() != null, "the host backed up: " + status);
                assertEquals(RUNS_PER_WRITER, committed.size());
                committed.add(status.lastSnapshotId());
                assertEveryCommittedSnapshotIsListedAndRestores(launcher, where, committed, fromCommandLine, RUNS_PER_WRITER + 1);
            }
        }
    }

    /** {@code runs} backups one after another; the ids they said they committed. */
    private static List<String> backups(Launcher launcher, Location where, int runs) {
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < runs; i++) {
                Launcher.Result r = launcher.run(ENV, concat(new String[] {"backup", "--force", "--from", EXPORT, "--attachments", ATTACHMENTS,
                        "--password-env", "VK_PW"}, where.options()));
                assertEquals(0, r.exit(), r.out() + r.err());
                Matcher m = COMMITTED.matcher(r.out());
                assertTrue(m.find(), r.out());
                ids.add(m.group(1));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** The host's account once it has a snapshot, no run in flight and no failed run (a failure to get there fails the test). */
    private static AccountEntityStatus awaitIdle(VaultKeepHost host) throws Exception {
        Thread.sleep(300); // the last change's quiet window
        AccountEntityStatus status = EngineAccounts.await(host.engine(), "alice",
                s -> s.lastSnapshotId() != null && s.inFlightRunId() == null && s.consecutiveFailures() == 0, Duration.ofSeconds(60));
        assertEquals(0, status.consecutiveFailures(), "no host run failed: " + status.lastError());
        return status;
    }

    /** @param fromCommandLine the snapshots of {@code backup --attachments}: their attachment must restore too */
    private void assertEveryCommittedSnapshotIsListedAndRestores(Launcher launcher, Location where, Set<String> committed,
                                                                 Set<String> fromCommandLine, int atLeast) throws Exception {
        Launcher.Result list = launcher.run(ENV, concat(new String[] {"snapshots", "--json", "--password-env", "VK_PW"}, where.options()));
        assertEquals(0, list.exit(), list.err());
        Set<String> listed = new TreeSet<>();
        for (JsonNode row : new ObjectMapper().readTree(list.out())) {
            listed.add(row.get("id").asText());
        }
        assertTrue(listed.containsAll(committed), "listed " + listed + "\ncommitted " + committed);
        assertTrue(listed.size() >= atLeast, listed.toString());
        // restored here rather than by one process each: the writers were the processes under test
        try (ObjectStore store = where.opener().open();
             BackupRepository repository = BackupRepository.open(store, new Zip4jCodec(), ENV.get("VK_PW").toCharArray(), Clock.systemUTC())) {
            IndexDocument catalogue = repository.readIndex().catalogue();
            for (String id : listed) {
                Path out = temp.resolve("restored-" + id);
                SnapshotRestore.toDirectory(repository.objects(), catalogue, id, out);
                assertTrue(Files.size(out.resolve("vault.json")) > 0);
                if (fromCommandLine.contains(id)) {
                    try (var files = Files.walk(out.resolve("attachments"))) {
                        Path restored = files.filter(f -> f.getFileName().toString().equals(ATTACHMENT.getFileName().toString()))
                                .findFirst().orElseThrow(() -> new AssertionError(id + " restored without its attachment"));
                        assertArrayEquals(Files.readAllBytes(ATTACHMENT), Files.readAllBytes(restored), id);
                    }
                }
            }
        }
        Launcher.Result check = launcher.run(ENV, concat(new String[] {"check", "--read-data", "--password-env", "VK_PW"}, where.options()));
        assertEquals(0, check.exit(), check.out() + check.err());
        assertTrue(check.out().contains("all data read and verified"), check.out());
    }
}
