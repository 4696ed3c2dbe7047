package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.engine.account.FailureKind;
import io.vaultkeep.engine.account.RunPermits;
import io.vaultkeep.engine.config.HostConfig;
import io.vaultkeep.engine.config.HostConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's /metrics as Prometheus reads it: checked by promtool, series per account, never a secret. */
public class HostMetricsTest {

    private static final String SECRET = "backup-secret-5d2e";

    @TempDir
    Path temp;

    /** {@code promtool check metrics} on the exposition: its complaints, or empty when Prometheus would take it as it is. */
    static String promtoolComplaints(String exposition) throws Exception {
        Process promtool;
        try {
            promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("promtool is missing: run scripts/install-test-deps (it runs apt-get install -y prometheus)");
            throw e;
        }
        try (var in = promtool.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        return promtool.exitValue() == 0 ? "" : "promtool exit " + promtool.exitValue() + ": " + said;
    }

    @Test
    void accountSeriesFollowTheStatusesAndNotices() throws Exception {
        try (HostMetrics metrics = new HostMetrics()) {
            Instant checked = Instant.parse("2026-12-06T10:00:00Z");
            AccountStatus alice = new AccountStatus("alice", AccountActivity.IDLE, "s1", checked.minusSeconds(60), null, 0,
                    null, null, List.of(), checked);
            AccountStatus bob = new AccountStatus("bob", AccountActivity.FAILED, null, null, "wrong password " + SECRET, 2,
                    null, null, List.of(), null, "wrong-password", AccountHealth.NEEDS_ATTENTION, "wrong-password: wrong password " + SECRET,
                    null);
            metrics.record(new BackupNotice.SnapshotCommitted("alice", "r1", "s1", checked, false, List.of()));
            metrics.record(new BackupNotice.Unchanged("alice", "r2", "s1", checked));
            metrics.record(new BackupNotice.BackupFailed("bob", "r3", FailureKind.WRONG_PASSWORD, "wrong password " + SECRET, 2, null));
            metrics.record(new BackupNotice.SnapshotsPruned("alice", "p1", 3, 10));
            metrics.written("alice", 1000);
            metrics.written("alice", 24);
            metrics.repository("alice", 7, 123_456);
            metrics.sourceCheck(Duration.ofMillis(80), true);
            metrics.sourceCheck(Duration.ofSeconds(3), false);
            String text = metrics.scrape(List.of(alice, bob), Optional.of(new RunPermits.PermitCounts(4, 1, 2)));

            assertEquals("", promtoolComplaints(text), text);
            assertTrue(text.contains("vaultkeep_account_last_success_timestamp_seconds{account=\"alice\"} 1.7965512E9"), text);
            assertTrue(text.contains("vaultkeep_account_last_success_timestamp_seconds{account=\"bob\"} NaN"), text);
            assertTrue(text.contains("vaultkeep_account_consecutive_failures{account=\"bob\"} 2.0"), text);
            assertTrue(text.contains("vaultkeep_account_state{account=\"bob\",state=\"failed\"} 1.0"), text);
            assertTrue(text.contains("vaultkeep_account_state{account=\"bob\",state=\"idle\"} 0.0"), text);
            assertTrue(text.contains("vaultkeep_snapshots_committed_total{account=\"alice\"} 1.0"), text);
            assertTrue(text.contains("vaultkeep_snapshots_committed_total{account=\"bob\"} 0.0"), text);
            assertTrue(text.contains("vaultkeep_runs_unchanged_total{account=\"alice\"} 1.0"), text);
            assertTrue(text.contains("vaultkeep_backup_failures_total{account=\"bob\",kind=\"wrong-password\"} 1.0"), text);
            assertTrue(text.contains("vaultkeep_snapshots_pruned_total{account=\"alice\"} 3.0"), text);
            assertTrue(text.contains("vaultkeep_runs_in_flight 1.0") && text.contains("vaultkeep_runs_queued 2.0")
                    && text.contains("vaultkeep_runs_limit 4.0"), text);
            assertHasLines(text,
                    "vaultkeep_account_health{account=\"bob\",health=\"needs-attention\"} 1.0",
                    "vaultkeep_account_health{account=\"bob\",health=\"ok\"} 0.0",
                    "vaultkeep_account_health{account=\"alice\",health=\"ok\"} 0.0",
                    "vaultkeep_account_written_bytes_total{account=\"alice\"} 1024.0",
                    "vaultkeep_account_written_objects_total{account=\"alice\"} 2.0",
                    "vaultkeep_account_written_objects_total{account=\"bob\"} 0.0",
                    "vaultkeep_account_snapshots{account=\"alice\"} 7.0",
                    "vaultkeep_account_repository_size_bytes{account=\"alice\"} 123456.0",
                    "vaultkeep_account_snapshots{account=\"bob\"} NaN",
                    "vaultkeep_source_check_seconds_bucket{outcome=\"ok\",le=\"0.1\"} 1",
                    "vaultkeep_source_check_seconds_bucket{outcome=\"failed\",le=\"2.0\"} 0",
                    "vaultkeep_source_check_seconds_count{outcome=\"failed\"} 1");
            assertTrue(text.contains("jvm_memory_used_bytes{"), text);
            assertFalse(text.contains(SECRET) || text.contains("wrong password"), "no error message, let alone a secret");

            // bob removed from the host: his series go
            String without = metrics.scrape(List.of(alice), Optional.empty());
            assertFalse(without.contains("account=\"bob\""), without);
            assertTrue(without.contains("vaultkeep_runs_limit 4.0"), "the last permit counts stay");
        }
    }

    /** A real host: a commit shows in /metrics, which promtool accepts and which holds no secret. */
    @Test
    void aRunningHostExposesItsAccounts() throws Exception {
        Path inbox = OneNoteExport.writeInto(temp.resolve("inbox")); // made if missing
        Path conf = temp.resolve("vaultkeep.conf");
        Files.writeString(conf, """
                vaultkeep {
                  data-dir = "data"
                  status { port = %d }
                  debounce { quiet = 100ms, max-delay = 1s }
                  accounts = [
                    { id = "alice", password-env = "ALICE_PW", source { export-folder { path = "inbox", settle-time = 100ms } },
                      location { folder { path = "backups/alice" } } }
                  ]
                }
                """.formatted(freePort()));
        HostConfig config = HostConfigLoader.load(conf, Map.of("ALICE_PW", SECRET)::get);
        try (VaultKeepHost host = VaultKeepHost.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            String bearer = "Bearer " + StatusToken.read(config.dataDir().resolve(StatusToken.FILE_NAME));
            HttpRequest scrape = HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + host.statusPort() + "/metrics"))
                    .header("Authorization", bearer).GET().build();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String text = "";
            while (!text.contains("vaultkeep_account_state{account=\"alice\",state=\"idle\"} 1.0")
                    || text.contains("vaultkeep_account_last_success_timestamp_seconds{account=\"alice\"} NaN")) {
                assertTrue(System.nanoTime() < deadline, "alice backed up within 60 s: " + text);
                Thread.sleep(100);
                HttpResponse<String> response = http.send(scrape, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                text = response.body();
            }
            assertEquals("", promtoolComplaints(text), text);
            assertTrue(text.contains("vaultkeep_runs_limit 4.0"), text);
            assertTrue(text.contains("vaultkeep_account_consecutive_failures{account=\"alice\"} 0.0"), text);
            assertTrue(text.contains("vaultkeep_account_health{account=\"alice\",health=\"ok\"} 1.0"), text);
            // the actors' measures: the run that committed, the journal writes it took
            assertTrue(text.contains("vaultkeep_account_run_duration_seconds_count{account=\"alice\"} 1"), text);
            assertTrue(sample(text, "vaultkeep_journal_write_seconds_count") >= 2, text);
            // what the run wrote, and what the location holds after it (repo.zip, an index, the snapshot)
            assertTrue(sample(text, "vaultkeep_account_written_objects_total{account=\"alice\"}") >= 3, text);
            assertTrue(sample(text, "vaultkeep_account_written_bytes_total{account=\"alice\"}") > 0, text);
            long deadlineForCensus = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!text.contains("vaultkeep_account_snapshots{account=\"alice\"} 1.0")) {
                assertTrue(System.nanoTime() < deadlineForCensus, "the location listed after the commit: " + text);
                Thread.sleep(100);
                text = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
            }
            assertTrue(sample(text, "vaultkeep_account_repository_size_bytes{account=\"alice\"}") > 0, text);
            assertEquals("", promtoolComplaints(text), text);
            assertFalse(text.contains(SECRET), "no secret in the metrics");
        }
    }

    /** Every one of {@code samples} is a line of the exposition ({@code … 1} also matches {@code … 1.0}). */
    private static void assertHasLines(String exposition, String... samples) {
        for (String sample : samples) {
            assertTrue(exposition.lines().anyMatch(line -> line.equals(sample) || line.startsWith(sample + ".")),
                    () -> "no '" + sample + "' in:\n" + exposition);
        }
    }

    /** The value of the series named exactly so (name and labels). */
    private static double sample(String exposition, String series) {
        return exposition.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no series " + series + " in:\n" + exposition));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
