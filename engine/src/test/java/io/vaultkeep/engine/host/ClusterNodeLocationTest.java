package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.account.FailureKind;
import io.vaultkeep.engine.config.HostConfig;
import io.vaultkeep.engine.config.HostConfigLoader;
import io.vaultkeep.engine.persistence.TestPostgres;
import io.vaultkeep.engine.transport.ClusterCertificates;
import io.vaultkeep.engine.transport.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of a cluster (here a cluster of one, on the tests' PostgreSQL) starts its accounts without
 * testing their locations: each is tested at its first use on the node that runs the account, so an
 * account that never runs there costs its storage nothing, and one whose location fails the test
 * is shown as needing attention, with the step that failed, by the account's own status.
 */
class ClusterNodeLocationTest {

    @TempDir
    Path conf;

    @Test
    void locationsAreTestedWhereTheAccountRunsAtItsFirstUse() throws Exception {
        String run = Long.toString(System.nanoTime(), 36); // the journal outlives this test: fresh persistence ids
        String good = "good-" + run;
        String unfit = "unfit-" + run;
        String idle = "idle-" + run;
        OneNoteExport.writeInto(Files.createDirectories(conf.resolve("inbox/" + good)));
        OneNoteExport.writeInto(Files.createDirectories(conf.resolve("inbox/" + unfit)));
        Path unfitLocation = Files.createDirectories(conf.resolve("backups/" + unfit));
        Files.writeString(unfitLocation.resolve("health-check"), "a file where the probes' folder belongs");
        ClusterCertificates.Identity authority = ClusterCertificates.authority("location-test");
        ClusterCertificates.Identity node = ClusterCertificates.issue(authority, "node-a");
        PemFiles.writeKey(conf.resolve("node.key"), node.key());
        PemFiles.writeCertificates(conf.resolve("node.crt"), List.of(node.certificate()));
        PemFiles.writeCertificates(conf.resolve("ca.crt"), List.of(authority.certificate()));
        int port = HostStartTest.freePort();
        Path file = conf.resolve("vaultkeep.conf");
        Files.writeString(file, """
                vaultkeep {
                  data-dir = "data"
                  status { port = %d }
                  debounce { quiet = 100ms, max-delay = 1s }
                  cluster {
                    key-file = "node.key", cert-file = "node.crt", trust-file = "ca.crt"
                    hostname = "127.0.0.1", port = %d, seed-nodes = ["127.0.0.1:%d"]
                    journal { url = "%s" }
                  }
                  accounts = [
                    { id = "%s", source { export-folder { path = "inbox/%s", settle-time = 100ms } },
                      location { folder { path = "backups/%s" } } }
                    { id = "%s", source { export-folder { path = "inbox/%s", settle-time = 100ms } },
                      location { folder { path = "backups/%s" } } }
                    { id = "%s", source { push {} }, location { folder { path = "backups/%s" } } }
                  ]
                }
                """.formatted(HostStartTest.freePort(), port, port, TestPostgres.url(), good, good, good, unfit, unfit, unfit, idle, idle));
        HostConfig config = HostConfigLoader.load(file, name -> null);

        try (VaultKeepHost host = VaultKeepHost.start(config)) {
            assertEquals(java.util.Map.of(), host.refusedAccounts(), "a node refuses nothing at start: it tests where accounts run");
            await(() -> HostStartTest.snapshotObjects(conf.resolve("backups/" + good)) == 1, "a snapshot of " + good);
            assertTrue(Files.isDirectory(conf.resolve("backups/" + good + "/health-check")), "tested before its first run");
            await(() -> status(host, unfit).lastErrorKind() == FailureKind.LOCATION_UNFIT, unfit + " failing its location test");
            AccountEntityStatus failed = status(host, unfit);
            assertTrue(failed.lastError().startsWith("location test failed at folder " + unfitLocation.toRealPath() + ": create: "),
                    failed.lastError());
            assertTrue(FailureKind.LOCATION_UNFIT.needsAttention());
            assertEquals(0, HostStartTest.snapshotObjects(unfitLocation), "nothing written where the test failed");
            assertFalse(Files.exists(conf.resolve("backups/" + idle + "/health-check")),
                    "an account with nothing to back up has not had its location tested");
        }
    }

    private static AccountEntityStatus status(VaultKeepHost host, String id) throws Exception {
        return host.engine().status(id).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void await(java.util.concurrent.Callable<Boolean> done, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.call()) {
            assertTrue(System.nanoTime() < deadline, "no " + what + " within 60 s");
            Thread.sleep(100);
        }
    }
}
