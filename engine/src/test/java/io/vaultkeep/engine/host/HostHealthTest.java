package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.config.ConfigChanges;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.store.FolderStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's health as an operator meets it: an account with a wrong backup password needs attention
 * at its first failure and turns {@code /health} to 503 while the other account stays ok, until a
 * reload gives the right password; an account whose exports stop coming goes stale after its max-age.
 */
class HostHealthTest {

    private static final String EXPORT = """
            {"encrypted": false, "folders": [], "items": [{"id": "5b3c1a2d-0000-4000-8000-00000000000%d", "type": 2,
             "name": "note %d", "notes": "hello", "secureNote": {"type": 0}, "favorite": false, "reprompt": 0}]}
            """;

    @TempDir
    Path folder;

    private Path conf;
    private int port;
    private final Map<String, String> environment = new ConcurrentHashMap<>();

    private void write(String extra, String accounts) throws IOException {
        Files.writeString(conf, """
                vaultkeep {
                  data-dir = "data"
                  status { port = %d }
                  debounce { quiet = 100ms, max-delay = 1s }
                  %s
                  accounts = [
                %s
                  ]
                }
                """.formatted(port, extra, accounts));
    }

    private void export(String id, int version) throws IOException {
        Path inbox = Files.createDirectories(folder.resolve("inbox").resolve(id));
        Files.writeString(inbox.resolve("bitwarden_export.json"), EXPORT.formatted(version, version));
    }

    private static String account(String id, String more) {
        return "    { id = \"" + id + "\", source { export-folder { path = \"inbox/" + id + "\", settle-time = 50ms } }, "
                + "location { folder { path = \"backups/" + id + "\" } }" + (more.isEmpty() ? "" : ", " + more) + " }\n";
    }

    private VaultKeepHost start() throws Exception {
        return VaultKeepHost.start(HostConfigLoader.load(conf, environment::get), VaultKeepHost.LocationRetry.DEFAULT,
                VaultKeepHost.Progress.NONE, environment::get);
    }

    private StatusClient client() throws IOException {
        return new StatusClient(URI.create("http://127.0.0.1:" + port), StatusToken.read(folder.resolve("data").resolve(StatusToken.FILE_NAME)));
    }

    private HttpResponse<String> health(boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"));
        if (withToken) {
            request.header("Authorization", "Bearer " + StatusToken.read(folder.resolve("data").resolve(StatusToken.FILE_NAME)));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private AccountStatus status(String id) throws IOException {
        return client().account(id).orElseThrow();
    }

    @Test
    void aWrongBackupPasswordNeedsAttentionAtTheFirstFailureAndTheRightOneHealsIt() throws Exception {
        conf = folder.resolve("vaultkeep.conf");
        port = freePort();
        Path aliceRepository = Files.createDirectories(folder.resolve("backups/alice"));
        try (BackupRepository ignored = BackupRepository.openOrCreate(FolderStore.open(aliceRepository), new Zip4jCodec(),
                "the right password".toCharArray(), Clock.systemUTC())) {
            // an encrypted repository the account will find
        }
        export("alice", 1);
        export("bob", 2);
        environment.put("ALICE_PW", "a wrong password");
        write("", account("alice", "password-env = \"ALICE_PW\"") + account("bob", ""));
        try (VaultKeepHost host = start()) {
            await("alice's first run fails", () -> status("alice").consecutiveFailures() > 0);
            AccountStatus alice = status("alice");
            assertEquals(1, alice.consecutiveFailures(), "needs attention at the first failure, not after a threshold");
            assertEquals(AccountHealth.NEEDS_ATTENTION, alice.health());
            assertEquals("wrong-password", alice.failureKind());
            assertTrue(alice.healthReason().startsWith("wrong-password: "), alice.healthReason());
            assertFalse(alice.healthReason().contains("a wrong password"), "no secret in the reason: " + alice.healthReason());
            await("bob commits", () -> status("bob").lastSnapshotId() != null);
            assertEquals(AccountHealth.OK, status("bob").health());

            HttpResponse<String> sick = health(true);
            assertEquals(503, sick.statusCode());
            assertTrue(sick.body().contains("\"accounts\":[{\"id\":\"alice\",\"health\":\"needs-attention\",\"reason\":\"wrong-password: "),
                    sick.body());
            assertFalse(sick.body().contains("bob"), "only the unhealthy account is named: " + sick.body());
            HttpResponse<String> anonymous = health(false);
            assertEquals(503, anonymous.statusCode());
            assertFalse(anonymous.body().contains("alice"), "without the token, no account names: " + anonymous.body());

            java.time.Instant retryWasDueAt = status("alice").nextDueAt();
            assertNotNull(retryWasDueAt, "a failed account has its retry planned");
            environment.put("ALICE_PW", "the right password");
            ConfigChanges changes = host.reload();
            assertEquals(List.of("alice"), changes.changed());
            // the backoff wait is not sat out: the new password is tried at once
            await("alice heals after the reload", () -> status("alice").lastSnapshotId() != null);
            AccountStatus healed = status("alice");
            assertTrue(healed.lastSnapshotAt().isBefore(retryWasDueAt),
                    "committed at " + healed.lastSnapshotAt() + ", before the backoff's retry at " + retryWasDueAt);
            assertEquals(AccountHealth.OK, healed.health());
            assertEquals(0, healed.consecutiveFailures());
            assertNull(healed.failureKind());
            assertNull(healed.healthReason());
            HttpResponse<String> ok = health(true);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("{\"status\":\"ok\"}", ok.body());
        }
    }

    @Test
    void anAccountWhoseExportsStopComingGoesStaleAfterItsMaxAgeAndANewExportFreshensIt() throws Exception {
        conf = folder.resolve("vaultkeep.conf");
        port = freePort();
        export("carol", 1);
        export("dave", 2);
        write("health { failure-threshold = 2 }", account("carol", "max-age = 3s") + account("dave", ""));
        try (VaultKeepHost host = start()) {
            await("carol commits", () -> status("carol").lastSnapshotId() != null);
            assertEquals(AccountHealth.OK, status("carol").health());
            assertEquals(200, health(true).statusCode());

            await("carol goes stale", () -> status("carol").health() == AccountHealth.STALE);
            AccountStatus stale = status("carol");
            assertNotNull(stale.lastCheckedAt());
            assertTrue(stale.healthReason().endsWith("longer ago than max-age 3s"), stale.healthReason());
            assertEquals(AccountHealth.OK, status("dave").health(), "without max-age an idle account stays ok");
            HttpResponse<String> sick = health(true);
            assertEquals(503, sick.statusCode());
            assertTrue(sick.body().contains("account carol: stale: "), sick.body());

            export("carol", 3);
            await("a new export freshens carol", () -> status("carol").health() == AccountHealth.OK);
            assertEquals(200, health(true).statusCode());
        }
    }

    @Test
    void aBitwardenAccountOnADeadServerFailsFromItsFirstFailedPoll() throws Exception {
        conf = folder.resolve("vaultkeep.conf");
        port = freePort();
        int dead = freePort(); // nothing listens there
        environment.put("ERIN_ID", "user.erin");
        environment.put("ERIN_SECRET", "erin-client-secret");
        write("health { failure-threshold = 1 }", """
                    { id = "erin"
                      source { bitwarden { server = "http://127.0.0.1:%d", email = "erin@example.org", mode = sealed,
                                           client-id-env = "ERIN_ID", client-secret-env = "ERIN_SECRET", poll-interval = 1h } }
                      location { folder { path = "backups/erin" } } }
                """.formatted(dead));
        try (VaultKeepHost host = start()) {
            // one poll in an hour: only the first can have failed
            await("erin is failing", () -> status("erin").health() == AccountHealth.FAILING);
            AccountStatus erin = status("erin");
            assertTrue(erin.healthReason().startsWith("1 failure in a row: "), erin.healthReason());
            assertTrue(erin.healthReason().contains("127.0.0.1"), "the reason names the server: " + erin.healthReason());
            assertFalse(erin.healthReason().contains("erin-client-secret"), erin.healthReason());
            assertNull(erin.lastSourceCheckAt(), "no poll got an answer");
            // the failed poll also starts a run, which fails as the poll did: the account is not idle
            await("the run the poll reported fails", () -> status("erin").consecutiveFailures() == 1);
            assertEquals(AccountActivity.BACKING_OFF, status("erin").state());
            assertEquals("source-unavailable", status("erin").failureKind());
            assertEquals(503, health(true).statusCode());
        }
    }

    /** Waits for {@code condition}; an account too busy to answer within the host's 5 s (a loaded machine) is asked again. */
    private static void await(String what, ThrowingCondition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            IOException unanswered = null;
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                unanswered = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what, unanswered);
            }
            Thread.sleep(50);
        }
    }

    private interface ThrowingCondition {
        boolean holds() throws Exception;
    }

    private static int freePort() throws IOException {
        return StatusClientTest.freePort();
    }
}
