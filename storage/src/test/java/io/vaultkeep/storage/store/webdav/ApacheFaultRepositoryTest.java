package io.vaultkeep.storage.store.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.LocationFullException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whole backup runs through the fault proxy in front of Apache: whatever the server does during a
 * run, the run either commits or fails with a specific error after rolling back, no partial object
 * or temporary file is left, the snapshot committed before is intact, and {@code check --read-data}
 * passes on the repository as the server holds it.
 */
class ApacheFaultRepositoryTest {

    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    private static final int ATTEMPTS = 3;
    @RegisterExtension
    static final ApacheDav.PerClass APACHE = ApacheDav.perClass();

    /** A planned fault: the method it hits and what happens. */
    record Planned(String method, FaultProxy.Fault fault) {}

    static Stream<Arguments> faults() {
        FaultProxy.Fault reset = new FaultProxy.ResetMidBody();
        return Stream.of(
                case_("500 then 503 on upload: retried, commits", true,
                        new Planned("PUT", new FaultProxy.Status(500)), new Planned("PUT", new FaultProxy.Status(503))),
                case_("507 on upload: location full, rolled back", false, new Planned("PUT", new FaultProxy.Status(507))),
                case_("423 Locked on MOVE: retried, commits", true, new Planned("MOVE", new FaultProxy.Status(423))),
                case_("reset mid-upload: retried, commits", true, new Planned("PUT", reset)),
                case_("reset on every attempt: fails, rolled back", false,
                        new Planned("PUT", reset), new Planned("PUT", reset), new Planned("PUT", reset)),
                case_("stalled read of the index: times out, retried, commits", true, new Planned("PROPFIND", new FaultProxy.Stall())),
                case_("stalled MOVE whose answer is lost: commits once", true, new Planned("MOVE", new FaultProxy.Stall())),
                case_("500 on every MOVE attempt: fails, rolled back", false,
                        new Planned("MOVE", new FaultProxy.Status(500)), new Planned("MOVE", new FaultProxy.Status(500)),
                        new Planned("MOVE", new FaultProxy.Status(500))));
    }

    private static Arguments case_(String name, boolean commits, Planned... faults) {
        return Arguments.of(Named.of(name, List.of(faults)), commits);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aRunUnderAFaultCommitsOrRollsBackAndTheRepositoryChecksClean(List<Planned> faults, boolean commits) throws Exception {
        String collection = "repo" + COLLECTIONS.incrementAndGet();
        char[] password = "fault test password".toCharArray();
        String before;
        try (BackupRepository direct = BackupRepository.create(
                WebDavStore.open(APACHE.server().url(collection), ApacheDav.USER, ApacheDav.PASSWORD, null),
                new Zip4jCodec(), password, Clock.systemUTC())) {
            before = direct.backup(vault("before", 1)).snapshotId();
        }

        IOException failure = null;
        try (FaultProxy proxy = new FaultProxy(APACHE.server().port());
             BackupRepository viaProxy = BackupRepository.open(WebDavStore.open(
                     "http://127.0.0.1:" + proxy.port() + "/" + collection, ApacheDav.USER, ApacheDav.PASSWORD, null,
                     WebDavStore.Settings.defaults().withAttempts(ATTEMPTS, Duration.ofMillis(20), Duration.ofMillis(100))
                             .withReadTimeout(Duration.ofMillis(1500))),
                     new Zip4jCodec(), password, Clock.systemUTC())) {
            faults.forEach(f -> proxy.plan(f.method(), f.fault()));
            try {
                viaProxy.backup(vault("during the fault", 2));
            } catch (IOException e) {
                failure = e;
            }
            assertTrue(proxy.seen().stream().filter(s -> s.contains(" <- ")).count() >= faults.size(),
                    "every planned fault was injected: " + proxy.seen());
        }

        try (BackupRepository direct = BackupRepository.open(
                WebDavStore.open(APACHE.server().url(collection), ApacheDav.USER, ApacheDav.PASSWORD, null),
                new Zip4jCodec(), password, Clock.systemUTC())) {
            Set<String> snapshots = direct.readIndex().catalogue().snapshots().keySet();
            if (commits) {
                assertEquals(null, failure, "the run retried through the fault");
                assertEquals(2, snapshots.size(), snapshots.toString());
            } else {
                assertTrue(failure != null, "the run reports the fault");
                assertFalse(failure.getMessage().contains("fault test password"), failure.getMessage());
                if (faults.get(0).fault() instanceof FaultProxy.Status s && s.code() == 507) {
                    assertInstanceOf(LocationFullException.class, failure);
                }
                assertEquals(Set.of(before), snapshots, "only the snapshot from before");
            }
            assertTrue(snapshots.contains(before), "the earlier snapshot is intact");
            CheckReport report = RepositoryCheck.run(direct, true);
            assertTrue(report.ok(), "check --read-data: " + report.problems());
        }
        try (Stream<Path> paths = Files.walk(APACHE.server().files().resolve(collection))) {
            List<Path> temporary = paths.filter(p -> p.getFileName().toString().startsWith(".kg-tmp-")).toList();
            assertEquals(List.of(), temporary, "temporary files left on the server");
        }
    }

    private static void assertFalse(boolean condition, String message) {
        assertTrue(!condition, message);
    }

    /** A small vault with one 300 KB attachment whose bytes differ per version. */
    private static FetchedVault vault(String name, int version) {
        byte[] json = ("{\"encrypted\":false,\"folders\":[],\"items\":[{\"id\":\"i1\",\"type\":2,\"name\":\"" + name
                + "\",\"secureNote\":{\"type\":0}}]}").getBytes(StandardCharsets.UTF_8);
        byte[] attachment = new byte[300_000];
        new Random(version).nextBytes(attachment);
        return new FetchedVault(json, 1, true, List.of(new FetchedVault.AttachmentSource("acct", "i1", "i1",
                "att-" + version, "scan-" + version + ".bin", (long) attachment.length,
                () -> new ByteArrayInputStream(attachment))), 0);
    }
}
