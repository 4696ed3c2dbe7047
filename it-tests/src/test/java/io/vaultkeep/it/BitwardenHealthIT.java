package io.vaultkeep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.host.AccountHealth;
import io.vaultkeep.engine.host.AccountStatus;
import io.vaultkeep.engine.host.StatusClient;
import io.vaultkeep.engine.host.StatusToken;
import io.vaultkeep.engine.host.VaultKeepHost;
import io.vaultkeep.protocol.crypto.KdfParameters;
import io.vaultkeep.testserver.bitwarden.BitwardenTestServer;
import io.vaultkeep.testserver.bitwarden.TestAccount;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's max-age against the Bitwarden test server: an idle account whose polls get answers stays
 * ok long past its max-age (its source checks keep it current), and goes stale once they stop.
 */
class BitwardenHealthIT {

    private static final Duration MAX_AGE = Duration.ofSeconds(4);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void anIdleAccountWhosePollsAnswerStaysOkPastItsMaxAgeAndGoesStaleWhenTheyStop() throws Exception {
        try (BitwardenTestServer server = BitwardenTestServer.start()) {
            TestAccount frank = server.createAccount("frank@example.org", "frank master pw".toCharArray(), KdfParameters.pbkdf2(100_000));
            server.seed(frank).items(3, "frank item");
            int port = CrashRecoveryIT.freePort();
            Path conf = work.resolve("vaultkeep.conf");
            Files.writeString(conf, """
                    vaultkeep {
                      data-dir = "data"
                      status { port = %d }
                      debounce { quiet = 100ms, max-delay = 1s }
                      health { failure-threshold = 1000 }
                      accounts = [
                        { id = "frank"
                          source { bitwarden { server = "%s", email = "%s", mode = sealed, ca-file = "%s",
                                               client-id-env = "FRANK_ID", client-secret-env = "FRANK_SECRET", poll-interval = 1s } }
                          location { folder { path = "backups/frank" } }
                          max-age = %ds }
                      ]
                    }
                    """.formatted(port, server.url(), frank.email(), server.caFile(), MAX_AGE.toSeconds()));
            Map<String, String> environment = Map.of("FRANK_ID", frank.clientId(), "FRANK_SECRET", frank.clientSecret());
            try (VaultKeepHost host = VaultKeepHost.start(HostConfigLoader.load(conf, environment::get),
                    VaultKeepHost.LocationRetry.DEFAULT, VaultKeepHost.Progress.NONE, environment::get)) {
                StatusClient client = new StatusClient(URI.create("http://127.0.0.1:" + port),
                        StatusToken.read(work.resolve("data").resolve(StatusToken.FILE_NAME)));
                AccountStatus first = await(client, "the first snapshot", s -> s.lastSnapshotId() != null);
                Instant lastRun = first.lastCheckedAt();
                assertNotNull(lastRun);

                // idle for longer than max-age: no run, but polls that answer
                Thread.sleep(MAX_AGE.plusSeconds(2).toMillis());
                AccountStatus idle = client.account("frank").orElseThrow();
                assertEquals(lastRun, idle.lastCheckedAt(), "no run since: the vault did not change");
                assertTrue(Duration.between(idle.lastCheckedAt(), Instant.now()).compareTo(MAX_AGE) > 0);
                assertNotNull(idle.lastSourceCheckAt());
                assertTrue(idle.lastSourceCheckAt().isAfter(lastRun), "polls went on: " + idle.lastSourceCheckAt());
                assertEquals(AccountHealth.OK, idle.health(), "its source checks keep it current: " + idle.healthReason());
                assertTrue(client.health().healthy());

                // the server stops answering the polls (syncs still work): the checks stop keeping it current
                server.failNext("GET /api/accounts/revision-date", 1_000_000, new BitwardenTestServer.Fault(503, null));
                AccountStatus stale = await(client, "staleness", s -> s.health() == AccountHealth.STALE);
                assertTrue(stale.healthReason().endsWith("longer ago than max-age 4s"), stale.healthReason());
                assertEquals("account frank: stale: " + stale.healthReason(), client.health().reasons().get(0));
            }
        }
    }

    private static AccountStatus await(StatusClient client, String what, java.util.function.Predicate<AccountStatus> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            AccountStatus status = client.account("frank").orElseThrow();
            if (done.test(status)) {
                return status;
            }
            assertTrue(System.nanoTime() < deadline, "no " + what + " within " + WAIT + ": " + status);
            Thread.sleep(100);
        }
    }
}
