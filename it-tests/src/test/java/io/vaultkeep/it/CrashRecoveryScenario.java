package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host as its own JVM with many accounts whose vaults keep changing, killed with SIGKILL at
 * random moments again and again and restarted each time. Afterwards every repository checks clean
 * with all data read, every snapshot seen committed is still there (or was dropped by retention), no
 * orphan outlives the final run, and each account's newest snapshot is its newest vault. Subclasses
 * say how many accounts, how many kills, and where the repositories live.
 */
abstract class CrashRecoveryScenario {

    private final int accounts;
    private final int kills;

    CrashRecoveryScenario(int accounts, int kills) {
        this.accounts = accounts;
        this.kills = kills;
    }

    /** The account's {@code location { … }} block in the host config. */
    abstract String locationBlock(int account);

    /** Opens the account's repository location, to check it afterwards. */
    abstract ObjectStore openLocation(int account) throws IOException;

    /** Environment variables the location blocks name (passwords), besides the backup passwords. */
    Map<String, String> locationEnvironment() {
        return Map.of();
    }

    @TempDir
    Path work;

    @Test
    void killedAgainAndAgainEveryRepositoryChecksCleanAndHoldsTheNewestVault() throws Exception {
        Path log = work.resolve("host.log");
        try {
            killAgainAndAgain(log);
        } catch (Throwable failure) {
            keepHostLog(log);
            throw failure;
        }
    }

    private void killAgainAndAgain(Path log) throws Exception {
        int port = freePort();
        Path config = writeConfig(port);
        ChangingVaults vaults = new ChangingVaults(work, "acct", accounts);
        Map<String, String> env = new HashMap<>(locationEnvironment());
        for (int a = 0; a < accounts; a++) {
            vaults.write(a, 0);
            if (a % 2 == 0) {
                env.put("BACKUP_PW_" + a, "crash test password " + a);
            }
        }
        Random random = new Random(20261122);
        AtomicBoolean mutating = new AtomicBoolean(true);
        Thread mutator = vaults.startMutating(mutating, new Random(7));
        Set<String> stagesKilled = new TreeSet<>();
        Set<String> errorsSeen = new TreeSet<>();
        Map<String, Set<String>> committedSeen = new HashMap<>();
        try {
            for (int kill = 0; kill < kills; kill++) {
                try (HostProcess host = HostProcess.start(config, port, env, log, "512m")) {
                    host.awaitHealthy(Duration.ofSeconds(90));
                    Thread.sleep(500 + random.nextInt(3500));
                    JsonNode accounts = host.accounts();
                    for (JsonNode account : accounts) {
                        if (account.hasNonNull("inFlightRun")) {
                            stagesKilled.add(account.get("inFlightRun").path("stage").asText());
                        }
                        stagesKilled.add("state:" + account.path("state").asText());
                        if (account.hasNonNull("lastError")) {
                            errorsSeen.add(account.get("lastError").asText());
                        }
                        if (account.hasNonNull("lastSnapshotId")) {
                            committedSeen.computeIfAbsent(account.get("id").asText(), k -> new TreeSet<>())
                                    .add(account.get("lastSnapshotId").asText());
                        }
                    }
                    host.kill9();
                }
            }
        } finally {
            mutating.set(false);
            mutator.join();
        }
        System.out.println("killed during: " + stagesKilled);
        System.out.println("errors shown between kills: " + errorsSeen);

        try (HostProcess host = HostProcess.start(config, port, env, log, "512m")) {
            host.awaitHealthy(Duration.ofSeconds(90));
            awaitAllCaughtUp(host, Duration.ofMinutes(4));
            host.stop();
        }
        for (int a = 0; a < accounts; a++) {
            String pw = env.get("BACKUP_PW_" + a);
            vaults.verify(a, openLocation(a), pw == null ? null : pw.toCharArray(), committedSeen.getOrDefault("acct" + a, Set.of()),
                    5, false);
        }
        assertTrue(stagesKilled.stream().anyMatch(s -> !s.startsWith("state:")), "at least one kill hit a run in flight: " + stagesKilled);
    }

    /** The temp folder goes with the test: its host log, all there is to tell why, is kept in target/ (a build artifact). */
    private void keepHostLog(Path log) throws IOException {
        if (Files.exists(log)) {
            Path kept = Path.of("target", "failed-host-logs", getClass().getSimpleName() + "-host.log");
            Files.createDirectories(kept.getParent());
            Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("host log kept in " + kept.toAbsolutePath());
        }
    }

    /**
     * Waits until every account is idle with nothing due and nothing in flight, twice in a row a few
     * seconds apart with the same snapshots: the host has taken in the final vaults. Whether what it
     * took in is right is checked afterwards, against the files.
     */
    private void awaitAllCaughtUp(HostProcess host, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Thread.sleep(3_000); // longer than settle time + quiet window: every source has reported
        String previous = null;
        List<String> behind = List.of();
        while (System.nanoTime() < deadline) {
            behind = new ArrayList<>();
            StringBuilder snapshots = new StringBuilder();
            JsonNode statuses = host.accounts();
            for (int a = 0; a < accounts; a++) {
                JsonNode account = find(statuses, "acct" + a);
                boolean settled = account != null && "idle".equals(account.path("state").asText())
                        && account.path("inFlightRun").isNull() && account.path("nextDueAt").isNull()
                        && account.hasNonNull("lastSnapshotId");
                if (!settled) {
                    behind.add("acct" + a + "=" + (account == null ? "absent" : account.path("state").asText()));
                } else {
                    snapshots.append(account.get("lastSnapshotId").asText()).append(',');
                }
            }
            if (behind.isEmpty() && snapshots.toString().equals(previous)) {
                return;
            }
            previous = behind.isEmpty() ? snapshots.toString() : null;
            Thread.sleep(2_500);
        }
        throw new AssertionError("accounts not settled after " + timeout + ": " + behind);
    }

    private static JsonNode find(JsonNode accounts, String id) {
        for (JsonNode account : accounts) {
            if (id.equals(account.path("id").asText())) {
                return account;
            }
        }
        return null;
    }

    private Path writeConfig(int port) throws IOException {
        StringBuilder blocks = new StringBuilder();
        for (int a = 0; a < accounts; a++) {
            blocks.append("    { id = \"acct").append(a).append("\"\n")
                    .append("      source { export-folder { path = \"inbox/acct").append(a)
                    .append("\", settle-time = 200ms, rescan-interval = 2s } }\n")
                    .append("      ").append(locationBlock(a)).append("\n")
                    .append(a % 2 == 0 ? "      password-env = \"BACKUP_PW_" + a + "\"\n" : "")
                    .append("      retention = 5\n    }\n");
        }
        String text = "vaultkeep {\n  data-dir = \"data\"\n  limits { max-concurrent-runs = 4, io-threads = 8 }\n"
                + "  status { host = \"127.0.0.1\", port = " + port + " }\n"
                + "  debounce { quiet = 300ms, max-delay = 2s }\n  accounts = [\n" + blocks + "  ]\n}\n";
        for (int a = 0; a < accounts; a++) {
            Files.createDirectories(work.resolve("inbox/acct" + a));
        }
        Path file = work.resolve("vaultkeep.conf");
        Files.writeString(file, text);
        return file;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
