package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.EngineConfig;
import io.vaultkeep.engine.VaultKeepEngine;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.webdav.ApacheDav;
import io.vaultkeep.storage.store.webdav.FaultProxy;
import io.vaultkeep.storage.store.webdav.WebDavStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebDAV locations end to end: the command line over verified https, and a full server as the host sees it. */
class WebDavLocationIT {

    private static final String EXPORT = "examples/inbox/alice/bitwarden_export.json";
    private static final String ATTACHMENTS = "examples/inbox/alice/attachments";
    private static final String DAV_PASSWORD = new String(ApacheDav.PASSWORD);

    @TempDir
    Path temp;

    @Test
    void theCommandLineBacksUpChecksAndRestoresOverHttpsWithTheServersCaFile() throws Exception {
        Launcher launcher = new Launcher(temp);
        try (ApacheDav apache = ApacheDav.startHttps()) {
            String url = apache.url("backups/alice");
            Map<String, String> env = Map.of("DAV_PW", DAV_PASSWORD, "VK_PW", "webdav backup secret");
            String[] where = {"--location", url, "--webdav-user", ApacheDav.USER, "--webdav-password-env", "DAV_PW",
                    "--webdav-ca-file", apache.caFile().toString()};

            Launcher.Result probe = launcher.run(env, concat(new String[] {"test-location"}, where));
            assertEquals(0, probe.exit(), probe.out() + probe.err());

            String[] backup = concat(new String[] {"backup", "--from", EXPORT, "--attachments", ATTACHMENTS,
                    "--password-env", "VK_PW"}, where);
            Launcher.Result first = launcher.run(env, backup);
            assertEquals(0, first.exit(), first.err());
            assertTrue(first.out().contains("(1 new blob, 0 reused"), first.out());
            Launcher.Result second = launcher.run(env, concat(backup, new String[] {"--force"})); // the same vault again
            assertEquals(0, second.exit(), second.err());
            assertTrue(second.out().contains("(0 new blobs, 1 reused"), "the attachment is deduplicated on WebDAV too: " + second.out());

            Launcher.Result snapshots = launcher.run(env, concat(new String[] {"snapshots", "--password-env", "VK_PW"}, where));
            assertEquals(0, snapshots.exit(), snapshots.err());
            Launcher.Result check = launcher.run(env, concat(new String[] {"check", "--read-data", "--password-env", "VK_PW"}, where));
            assertEquals(0, check.exit(), check.out() + check.err());

            Path restored = temp.resolve("restored");
            Launcher.Result restore = launcher.run(env, concat(new String[] {"restore", "--password-env", "VK_PW",
                    "--out", restored.toString()}, where));
            assertEquals(0, restore.exit(), restore.err());
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<String> names = json.readTree(restored.resolve("vault.json").toFile()).get("items").findValuesAsText("name");
            List<String> original = json.readTree(Launcher.REPO_ROOT.resolve(EXPORT).toFile()).get("items").findValuesAsText("name");
            assertEquals(original, names, "the restored vault is the one backed up");
            try (Stream<Path> walk = Files.walk(restored.resolve("attachments"))) {
                assertEquals(1, walk.filter(Files::isRegularFile).count(), "the attachment is restored");
            }

            // what Apache stores is the encrypted repository, and no temp file is left over
            try (Stream<Path> stored = Files.walk(apache.files().resolve("backups/alice"))) {
                List<String> files = stored.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
                assertTrue(files.contains("repo.zip"), files.toString());
                assertFalse(files.stream().anyMatch(n -> n.startsWith(".kg-tmp-")), files.toString());
            }
            for (Launcher.Result r : List.of(probe, first, second, snapshots, check, restore)) {
                assertFalse((r.out() + r.err()).contains(DAV_PASSWORD), "the WebDAV password never shows");
            }
        }
    }

    @Test
    void anUntrustedCertificateOrAWrongPasswordIsOneClearLineAndWritesNothing() throws Exception {
        Launcher launcher = new Launcher(temp);
        try (ApacheDav apache = ApacheDav.startHttps()) {
            String url = apache.url("backups/bob");
            Launcher.Result untrusted = launcher.run(Map.of("DAV_PW", DAV_PASSWORD), "init", "--no-password",
                    "--location", url, "--webdav-user", ApacheDav.USER, "--webdav-password-env", "DAV_PW");
            assertEquals(1, untrusted.exit(), untrusted.out() + untrusted.err());
            assertTrue(untrusted.err().toLowerCase().contains("certificate") || untrusted.err().contains("PKIX"), untrusted.err());
            assertEquals(1, untrusted.err().strip().lines().count(), untrusted.err());

            Launcher.Result wrong = launcher.run(Map.of("DAV_PW", "not the password"), "init", "--no-password",
                    "--location", url, "--webdav-user", ApacheDav.USER, "--webdav-password-env", "DAV_PW",
                    "--webdav-ca-file", apache.caFile().toString());
            assertEquals(1, wrong.exit(), wrong.out() + wrong.err());
            assertTrue(wrong.err().contains("401"), wrong.err());
            assertFalse(wrong.err().contains("not the password"), wrong.err());
            assertFalse(Files.exists(apache.files().resolve("backups/bob")), "nothing was written");
        }
    }

    @Test
    void aFullServerIsShownAsLocationFullAndTheNextRunSucceedsOnceThereIsRoom() throws Exception {
        try (ApacheDav apache = ApacheDav.start();
             FaultProxy proxy = new FaultProxy(apache.port());
             VaultKeepEngine engine = VaultKeepEngine.start(EngineConfig.embedded(temp.resolve("data")))) {
            String url = "http://127.0.0.1:" + proxy.port() + "/backups/carol";
            proxy.plan("PUT", new FaultProxy.Status(507));
            CompletableFuture<BackupNotice.SnapshotCommitted> committed = new CompletableFuture<>();
            try (VaultKeepEngine.Subscription events = engine.subscribe(notice -> {
                if (notice instanceof BackupNotice.SnapshotCommitted c) {
                    committed.complete(c);
                }
            })) {
                engine.register(new AccountSettings("carol",
                        () -> WebDavStore.open(url, ApacheDav.USER, ApacheDav.PASSWORD, null), null, 30, true, new PushVaultSource()));
                byte[] export = Files.readAllBytes(Launcher.REPO_ROOT.resolve(EXPORT));
                engine.push("carol", new FetchedVault(export, 5, true, List.of(), 0));

                AccountEntityStatus failed = EngineAccounts.await(engine, "carol", s -> s.consecutiveFailures() > 0, Duration.ofSeconds(60));
                assertTrue(failed.lastError().startsWith("location full: "), failed.lastError());
                assertNull(failed.lastSnapshotId());
                assertFalse(committed.isDone());
                assertTrue(proxy.seen().stream().anyMatch(s -> s.startsWith("PUT ") && s.endsWith("<- Status[code=507]")), proxy.seen().toString());

                engine.backupNow("carol"); // the server has room again: the proxy has no more faults planned
                BackupNotice.SnapshotCommitted snapshot = committed.get(60, TimeUnit.SECONDS);
                AccountEntityStatus ok = EngineAccounts.await(engine, "carol", s -> snapshot.snapshotId().equals(s.lastSnapshotId()), Duration.ofSeconds(30));
                assertEquals(0, ok.consecutiveFailures());
            }
            try (BackupRepository repo = BackupRepository.open(
                    WebDavStore.open(apache.url("backups/carol"), ApacheDav.USER, ApacheDav.PASSWORD, null),
                    new Zip4jCodec(), null, Clock.systemUTC())) {
                CheckReport report = RepositoryCheck.run(repo, true);
                assertTrue(report.ok(), report.problems().toString());
            }
            try (Stream<Path> stored = Files.walk(apache.files().resolve("backups/carol"))) {
                assertFalse(stored.anyMatch(p -> p.getFileName().toString().startsWith(".kg-tmp-")), "no temp file is left behind");
            }
        }
    }

    @Test
    void aServerDownWhenTheHostStartsIsTriedAgainUntilTheAccountRuns() throws Exception {
        Path inbox = Files.createDirectories(temp.resolve("inbox"));
        Files.copy(Launcher.REPO_ROOT.resolve(EXPORT), inbox.resolve("bitwarden_export.json"));
        try (ApacheDav apache = ApacheDav.start(); FaultProxy proxy = new FaultProxy(apache.port())) {
            for (int i = 0; i < 6; i++) { // every attempt of the first opening: the server is "down"
                proxy.plan("PROPFIND", new FaultProxy.Status(503));
            }
            Path file = oneAccountHostConfig(temp, "dora",
                    "location { webdav { url = \"http://127.0.0.1:%d/backups/dora\", user = \"%s\", password-env = \"DAV_PW\" } }"
                            .formatted(proxy.port(), ApacheDav.USER));
            var config = io.vaultkeep.engine.config.HostConfigLoader.load(file, Map.of("DAV_PW", DAV_PASSWORD)::get);
            try (var host = io.vaultkeep.engine.host.VaultKeepHost.start(config,
                    new io.vaultkeep.engine.host.VaultKeepHost.LocationRetry(Duration.ofMillis(300), Duration.ofSeconds(1)),
                    io.vaultkeep.engine.host.VaultKeepHost.Progress.NONE)) {
                String reason = host.refusedAccounts().get("dora");
                assertTrue(reason != null && reason.contains("cannot be opened") && reason.contains("trying again at"), String.valueOf(reason));
                assertFalse(reason.contains(DAV_PASSWORD), reason);

                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                AccountEntityStatus status = null;
                while (System.nanoTime() < deadline && (status == null || status.lastSnapshotId() == null)) {
                    Thread.sleep(200);
                    if (host.engine().accountIds().contains("dora")) {
                        status = host.engine().status("dora").toCompletableFuture().get(10, TimeUnit.SECONDS);
                    }
                }
                assertTrue(status != null && status.lastSnapshotId() != null, "the account started and backed up: " + status);
                assertEquals(Map.of(), host.refusedAccounts());
            }
        }
    }

    /**
     * {@code dir/vaultkeep.conf}: a host on a free status port with one account, {@code id}, backing up
     * the export in {@code dir/inbox} with a short quiet window; {@code accountSettings} are the rest of
     * its settings (its location, its password).
     */
    static Path oneAccountHostConfig(Path dir, String id, String accountSettings) throws java.io.IOException {
        Path file = dir.resolve("vaultkeep.conf");
        Files.writeString(file, """
                vaultkeep {
                  data-dir = "data"
                  status { port = %d }
                  debounce { quiet = 200ms }
                  accounts = [
                    { id = "%s"
                      source { export-folder { path = "inbox", settle-time = 100ms } }
                      %s }
                  ]
                }
                """.formatted(CrashRecoveryIT.freePort(), id, accountSettings));
        return file;
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
