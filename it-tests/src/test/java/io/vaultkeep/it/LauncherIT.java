package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real launcher and jar, as a user runs them: separate processes, exit codes, stdout and stderr. */
class LauncherIT {

    private static final Path REPO_ROOT = Launcher.REPO_ROOT;

    @TempDir
    Path temp;

    private Launcher.Result vaultkeep(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return new Launcher(temp).run(env, args);
    }

    @Test
    void theReadmeQuickstartWorksThroughTheLauncher() throws Exception {
        Path repo = temp.resolve("backups/alice");
        String[] backup = {"backup", "--from", "examples/inbox/alice/bitwarden_export.json",
                "--attachments", "examples/inbox/alice/attachments", "--location", repo.toString(), "--no-password"};
        Launcher.Result first = vaultkeep(Map.of(), backup);
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("5 items, 1 attachment (1 new blob, 0 reused"), first.out());
        Launcher.Result unchanged = vaultkeep(Map.of(), backup);
        assertTrue(unchanged.out().startsWith("unchanged: the newest snapshot "), unchanged.out());
        String[] forced = java.util.stream.Stream.concat(java.util.stream.Stream.of(backup), java.util.stream.Stream.of("--force"))
                .toArray(String[]::new);
        Launcher.Result second = vaultkeep(Map.of(), forced);
        assertTrue(second.out().contains("(0 new blobs, 1 reused"), second.out());

        Launcher.Result check = vaultkeep(Map.of(), "check", "--location", repo.toString(), "--read-data");
        assertEquals(0, check.exit(), check.out() + check.err());

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(repo)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(repo.resolve("repo.zip"))));
    }

    @Test
    void anEncryptedRepositoryThroughTheLauncherTakesItsPasswordFromTheEnvironment() throws Exception {
        Path repo = temp.resolve("enc");
        Map<String, String> env = Map.of("VK_PW", "launcher secret");
        assertEquals(0, vaultkeep(env, "init", "--location", repo.toString(), "--password-env", "VK_PW").exit());
        Launcher.Result backup = vaultkeep(env, "backup", "--from", "examples/inbox/alice/bitwarden_export.json",
                "--location", repo.toString(), "--password-env", "VK_PW");
        assertEquals(0, backup.exit(), backup.err());
        Launcher.Result restore = vaultkeep(env, "restore", "--location", repo.toString(), "--password-env", "VK_PW",
                "--out", temp.resolve("restored").toString());
        assertEquals(0, restore.exit(), restore.err());
        assertEquals(Files.readString(REPO_ROOT.resolve("examples/inbox/alice/bitwarden_export.json")),
                Files.readString(temp.resolve("restored/vault.json")), "without attachments the export is stored byte for byte");

        // stdin is not a terminal here: no prompt, one clear line
        Launcher.Result noPassword = vaultkeep(Map.of(), "snapshots", "--location", repo.toString());
        assertEquals(12, noPassword.exit(), "exit 12: the backup password is missing");
        assertEquals(1, noPassword.err().strip().lines().count(), noPassword.err());
        assertTrue(noPassword.err().contains("a backup password is required"), noPassword.err());
        assertFalse(noPassword.err().contains("Exception"), "no stack trace without --debug");
    }

    @Test
    void aReadOnlyLocationIsNamedAsNotWritable() throws Exception {
        // a read-only file system, mounted in a mount namespace of the launcher's own (no privileges needed, gone with it)
        Path mountPoint = Files.createDirectories(temp.resolve("ro"));
        List<String> readOnly = List.of("unshare", "--map-root-user", "--mount", "sh", "-c",
                "mount -t tmpfs -o ro tmpfs \"$0\" && exec \"$@\"", mountPoint.toString());
        Launcher launcher = new Launcher(temp);
        for (Path location : List.of(mountPoint, mountPoint.resolve("sub/repo"))) {
            Launcher.Result r = launcher.runWrapped(readOnly, Map.of(), "backup", "--from", "examples/inbox/alice/bitwarden_export.json",
                    "--location", location.toString(), "--no-password");
            assertEquals(1, r.exit(), r.out() + r.err());
            assertEquals("vaultkeep: error: location " + location + " is not writable (read-only file system)", r.err().strip());
        }
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        Launcher.Result r = vaultkeep(Map.of(), "prune", "--location", temp.toString());
        assertEquals(2, r.exit());
        assertEquals("vaultkeep: error: Missing required option: '--keep=N' (see 'vaultkeep help prune')", r.err().strip());
    }

    @Test
    void helpAndVersionThroughTheLauncher() throws Exception {
        Launcher.Result help = vaultkeep(Map.of(), "backup", "--help");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().contains("Usage: vaultkeep backup "), help.out());
        // the version the Maven build gave the jar the launcher runs
        String jar = Path.of(System.getProperty("vaultkeep.engineJar")).getFileName().toString();
        String version = jar.substring("vaultkeep-engine-".length(), jar.length() - "-all.jar".length());
        Launcher.Result v = vaultkeep(Map.of(), "--version");
        assertEquals(0, v.exit(), v.err());
        assertEquals("vaultkeep " + version, v.out().lines().findFirst().orElseThrow());
        // the runtime the launcher chose (the newest JDK 17+ it finds), not necessarily this test's
        assertTrue(v.out().lines().skip(1).findFirst().orElse("").matches("Java (1[7-9]|[2-9]\\d)[.+].* on .+"), v.out());
    }

    @Test
    void theReadmesFirstCommandRunsTheHostOnTheQuickstartConfig() throws Exception {
        // the README's first command, on a copy of examples/ so the checkout stays clean, on a free port
        Path examples = temp.resolve("examples");
        try (var files = Files.walk(REPO_ROOT.resolve("examples"))) {
            for (Path source : files.toList()) {
                Path target = examples.resolve(REPO_ROOT.resolve("examples").relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        // an attachments folder left over from an older export, for an item no longer in it
        Path leftover = Files.createDirectories(examples.resolve("inbox/alice/attachments/5a1e0000-dead-4bee-8000-000000000000"));
        Files.writeString(leftover.resolve("old-scan.pdf"), "an attachment of a deleted item");
        int port = CrashRecoveryIT.freePort();
        Path config = examples.resolve("quickstart.conf");
        Files.writeString(config, Files.readString(config) + "\nvaultkeep.status.port = " + port + "\n");

        // SIGHUP as an operator's shell leaves it, whatever this JVM inherited (a suite started under nohup ignores it)
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=HUP", REPO_ROOT.resolve("vaultkeep").toString(), "run",
                "--config", config.toString())
                .directory(REPO_ROOT.toFile()).redirectErrorStream(true).redirectOutput(temp.resolve("run.log").toFile());
        Process host = builder.start();
        try {
            long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
            Launcher.Result status = null;
            while (System.nanoTime() < deadline) {
                status = vaultkeep(Map.of(), "status", "--json", "--config", config.toString());
                if (status.exit() == 0 && status.out().contains("\"lastSnapshotId\":\"")) {
                    break;
                }
                Thread.sleep(500);
            }
            assertTrue(status != null && status.out().contains("\"lastSnapshotId\":\""),
                    "alice got a snapshot: " + (status == null ? "" : status.out() + status.err()) + Files.readString(temp.resolve("run.log")));
            assertTrue(Files.readString(temp.resolve("run.log")).contains("account alice: snapshot "), Files.readString(temp.resolve("run.log")));
            String warning = "left out 1 file in " + leftover + ": no item 5a1e0000-dead-4bee-8000-000000000000 in ";
            assertTrue(status.out().contains("\"warnings\":[\"" + warning), "status --json shows what was left out: " + status.out());
            Launcher.Result text = vaultkeep(Map.of(), "status", "--config", config.toString());
            assertTrue(text.out().contains("warning: account alice, last snapshot: " + warning), text.out());
            assertTrue(Files.readString(temp.resolve("run.log")).contains("; warning: " + warning), Files.readString(temp.resolve("run.log")));
            // at once that it starts, then each account, then the count of those that started
            String log = Files.readString(temp.resolve("run.log"));
            int starting = log.indexOf("vaultkeep: starting 1 account from " + config);
            int alice = log.indexOf("vaultkeep: account alice started\n");
            int running = log.indexOf("vaultkeep: running 1 account; status at http://127.0.0.1:" + port);
            assertTrue(starting >= 0 && starting < alice && alice < running, log);

            // SIGHUP re-reads the config instead of stopping the host: bob is added
            Files.writeString(config, Files.readString(config) + "vaultkeep.accounts += { id = \"bob\", source { push {} }, "
                    + "location { folder { path = \"../backups/bob\" } } }\n");
            Runtime.getRuntime().exec(new String[] {"kill", "-HUP", Long.toString(host.pid())}).waitFor();
            long reloadDeadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
            while (!Files.readString(temp.resolve("run.log")).contains("vaultkeep: reloaded " + config + ": added bob; 1 unchanged")
                    && System.nanoTime() < reloadDeadline) {
                Thread.sleep(200);
            }
            assertTrue(host.isAlive(), "SIGHUP does not stop the host: " + Files.readString(temp.resolve("run.log")));
            assertTrue(Files.readString(temp.resolve("run.log")).contains("vaultkeep: reloaded " + config + ": added bob; 1 unchanged"),
                    Files.readString(temp.resolve("run.log")));
            assertTrue(vaultkeep(Map.of(), "status", "--json", "--config", config.toString()).out().contains("\"id\":\"bob\""));
            Launcher.Result reload = vaultkeep(Map.of(), "reload", "--config", config.toString());
            assertEquals(0, reload.exit(), reload.out() + reload.err());
            assertTrue(reload.out().contains("reloaded its config: 2 unchanged"), reload.out());
        } finally {
            host.destroy(); // SIGTERM: the orderly stop
            assertTrue(host.waitFor(60, TimeUnit.SECONDS), "the host stops on SIGTERM");
        }
        // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks (the host closed cleanly) and reports the signal
        assertTrue(host.exitValue() == 143 || host.exitValue() == 0, "exit " + host.exitValue() + ": " + Files.readString(temp.resolve("run.log")));
        Launcher.Result check = vaultkeep(Map.of(), "check", "--location", temp.resolve("backups/alice").toString(), "--read-data");
        assertEquals(0, check.exit(), check.out() + check.err());
        assertTrue(Files.isDirectory(temp.resolve("data")), "the journal lives in the data folder the config names");
    }
}
