package io.vaultkeep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.AccountPhase;
import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.FolderStore;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal written by 0.1.0 (see src/test/resources/journal-0.1.0/README.md) recovers, and the account goes on. */
class OldJournalRecoveryTest {

    private static final String NEWEST_SNAPSHOT = "20261206093332-38c05922-2f58-4537-8f87-a9155e431e08";

    @TempDir
    Path root;

    @Test
    void aJournalOfVersion010RecoversItsLastCommitAndTheNextChangeIsBackedUp() throws Exception {
        copyFixture();
        Path location = root.resolve("backups/alice");
        PushVaultSource source = new PushVaultSource();
        EngineConfig config = EngineConfig.embedded(root.resolve("data"))
                .withDebounce(Duration.ofMillis(100), Duration.ofMillis(500));
        try (VaultKeepEngine engine = VaultKeepEngine.start(config)) {
            LinkedBlockingQueue<BackupNotice> notices = new LinkedBlockingQueue<>();
            engine.subscribe(notices::add);
            engine.register(new AccountSettings("alice", () -> FolderStore.open(location), null, 5, true, source));

            AccountEntityStatus recovered = status(engine);
            assertEquals(NEWEST_SNAPSHOT, recovered.lastSnapshotId(), "event 60, after the state snapshot, was read");
            assertEquals(AccountPhase.IDLE, recovered.state());
            assertEquals(0, recovered.consecutiveFailures());
            assertNull(recovered.inFlightRunId());

            engine.push("alice", new FetchedVault(
                    "{\"encrypted\":false,\"folders\":[],\"items\":[]}".getBytes(StandardCharsets.UTF_8), 0, true, List.of(), 0));
            BackupNotice.SnapshotCommitted committed = null;
            while (committed == null) {
                BackupNotice notice = Optional.ofNullable(notices.poll(60, TimeUnit.SECONDS))
                        .orElseThrow(() -> new AssertionError("no snapshot after the change"));
                assertTrue(!(notice instanceof BackupNotice.BackupFailed), notice::toString);
                committed = notice instanceof BackupNotice.SnapshotCommitted c ? c : null;
            }
            String next = committed.snapshotId();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!next.equals(status(engine).lastSnapshotId()) || status(engine).state() != AccountPhase.IDLE) {
                assertTrue(System.nanoTime() < deadline, "the account settles after its commit");
                Thread.sleep(50);
            }
        }
        try (BackupRepository repo = BackupRepository.open(FolderStore.open(location), new Zip4jCodec(), null, Clock.systemUTC())) {
            var snapshots = repo.readIndex().catalogue().snapshots();
            assertEquals(5, snapshots.size(), "retention 5 still holds: " + snapshots.keySet());
            assertTrue(snapshots.containsKey(NEWEST_SNAPSHOT));
            CheckReport report = RepositoryCheck.run(repo, true);
            assertTrue(report.ok(), () -> "check: " + report.problems());
        }
    }

    private static AccountEntityStatus status(VaultKeepEngine engine) throws Exception {
        return engine.statuses().toCompletableFuture().get(20, TimeUnit.SECONDS).stream()
                .filter(s -> s.accountId().equals("alice")).findFirst().orElseThrow();
    }

    private void copyFixture() throws IOException, URISyntaxException {
        Path fixture = Path.of(OldJournalRecoveryTest.class.getResource("/journal-0.1.0").toURI());
        try (Stream<Path> paths = Files.walk(fixture)) {
            for (Path from : paths.toList()) {
                Path to = root.resolve(fixture.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------"));
                } else {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
