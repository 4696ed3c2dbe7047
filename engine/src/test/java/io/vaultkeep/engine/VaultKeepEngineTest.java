package io.vaultkeep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.AccountSettings;
import io.vaultkeep.engine.source.ExportFileSource;
import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.engine.account.AccountPhase;
import io.vaultkeep.engine.account.AccountEntityStatus;
import io.vaultkeep.engine.account.BackupNotice;
import io.vaultkeep.engine.account.FailureKind;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.FolderStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole engine through its embedding API: its own single-node cluster, the journal in H2 in a temp dir. */
class VaultKeepEngineTest {

    private static final int ACCOUNTS = 20;
    private static final String BROKEN = "account-13";

    @TempDir
    Path root;

    private static EngineConfig config(Path dataDir) {
        return EngineConfig.embedded(dataDir)
                .withDebounce(Duration.ofMillis(200), Duration.ofSeconds(1))
                .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2), 0.1)
                .withMaxConcurrentRuns(4)
                .withBlockingThreads(4);
    }

    private static char[] passwordOf(String id) {
        return id.hashCode() % 2 == 0 ? null : ("pw-" + id).toCharArray(); // half of them plain
    }

    private AccountSettings settings(String id, PushVaultSource source) {
        char[] password = id.equals(BROKEN) ? "not-the-password".toCharArray() : passwordOf(id);
        Path location = root.resolve("backups").resolve(id);
        return new AccountSettings(id, () -> FolderStore.open(location), password, 0, true, source);
    }

    private static FetchedVault vault(String id, String marker) {
        byte[] attachment = new byte[2048];
        new Random((id + marker).hashCode()).nextBytes(attachment);
        String json = "{\"encrypted\":false,\"folders\":[],\"items\":[{\"id\":\"item-1\",\"type\":1,\"name\":\"" + id + " " + marker
                + "\",\"login\":{\"username\":\"u\",\"password\":\"p-" + marker + "\"}}]}";
        return new FetchedVault(json.getBytes(StandardCharsets.UTF_8), 1, true,
                List.of(new FetchedVault.AttachmentSource(id, "item-1", "item-1", "att-" + marker, "a.bin",
                        (long) attachment.length, () -> new ByteArrayInputStream(attachment))), 0);
    }

    private BackupRepository open(String id) throws IOException {
        return BackupRepository.open(FolderStore.open(root.resolve("backups").resolve(id)), new Zip4jCodec(),
                passwordOf(id), Clock.systemUTC());
    }

    /** Waits (bounded) until the condition holds. */
    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within + " waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    private static Map<String, AccountEntityStatus> statuses(VaultKeepEngine engine) throws Exception {
        return engine.statuses().toCompletableFuture().get(20, TimeUnit.SECONDS).stream()
                .collect(Collectors.toMap(AccountEntityStatus::accountId, s -> s));
    }

    @Test
    void twentyAccountsEachGetTheirSnapshotWhileAWrongPasswordBacksOffAlone() throws Exception {
        Path dataDir = root.resolve("data");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            ids.add("account-" + i);
        }
        try (BackupRepository other = BackupRepository.create(FolderStore.open(root.resolve("backups").resolve(BROKEN)),
                new Zip4jCodec(), "the-real-password".toCharArray(), Clock.systemUTC())) {
            assertTrue(other.readIndex().isEmpty());
        }

        Map<String, String> snapshots;
        Map<String, PushVaultSource> sources = new java.util.HashMap<>();
        try (VaultKeepEngine engine = VaultKeepEngine.start(config(dataDir))) {
            ConcurrentLinkedQueue<BackupNotice> notices = new ConcurrentLinkedQueue<>();
            engine.subscribe(notices::add);
            for (String id : ids) {
                sources.put(id, new PushVaultSource());
                engine.register(settings(id, sources.get(id)));
            }
            for (String id : ids) {
                engine.push(id, vault(id, "v1"));
            }

            await("a snapshot of every healthy account and two failures of the broken one", Duration.ofSeconds(60), () -> {
                long committed = notices.stream().filter(BackupNotice.SnapshotCommitted.class::isInstance)
                        .map(BackupNotice::accountId).distinct().count();
                long failures = notices.stream().filter(n -> n instanceof BackupNotice.BackupFailed && n.accountId().equals(BROKEN)).count();
                return committed == ACCOUNTS - 1 && failures >= 2;
            });
            assertTrue(notices.stream().noneMatch(n -> n instanceof BackupNotice.BackupFailed && !n.accountId().equals(BROKEN)),
                    "no healthy account failed");
            assertTrue(notices.stream().noneMatch(n -> n instanceof BackupNotice.SnapshotCommitted && n.accountId().equals(BROKEN)));
            List<BackupNotice.BackupFailed> failures = notices.stream()
                    .filter(BackupNotice.BackupFailed.class::isInstance).map(BackupNotice.BackupFailed.class::cast).toList();
            assertEquals(FailureKind.WRONG_PASSWORD, failures.get(0).kind());
            assertEquals(1, failures.get(0).consecutiveFailures());
            assertEquals(2, failures.get(1).consecutiveFailures());

            Map<String, AccountEntityStatus> status = statuses(engine);
            assertEquals(ACCOUNTS, status.size());
            for (String id : ids) {
                AccountEntityStatus s = status.get(id);
                if (id.equals(BROKEN)) {
                    assertNull(s.lastSnapshotId());
                    assertTrue(s.consecutiveFailures() >= 2, s.toString());
                    assertTrue(s.lastError().contains("wrong backup password"), s.lastError());
                    assertTrue(!s.lastError().contains("not-the-password") && !s.lastError().contains("the-real-password"));
                } else {
                    assertNotNull(s.lastSnapshotId(), id);
                    assertEquals(0, s.consecutiveFailures(), id);
                    assertNull(s.lastError());
                }
            }
            snapshots = new java.util.TreeMap<>();
            for (String id : ids) {
                if (!id.equals(BROKEN)) {
                    try (BackupRepository repository = open(id)) {
                        assertEquals(List.of(status.get(id).lastSnapshotId()),
                                List.copyOf(repository.readIndex().catalogue().snapshots().keySet()), id);
                        CheckReport report = RepositoryCheck.run(repository, true);
                        assertTrue(report.ok(), () -> id + ": " + report.problems());
                    }
                    snapshots.put(id, status.get(id).lastSnapshotId());
                }
            }

            // a new vault for one account: one more snapshot, for it alone
            String busy = ids.get(0);
            int before = notices.size();
            engine.push(busy, vault(busy, "v2"));
            await("the second snapshot of " + busy, Duration.ofSeconds(20), () -> notices.stream().skip(before)
                    .anyMatch(n -> n instanceof BackupNotice.SnapshotCommitted && n.accountId().equals(busy)));
            try (BackupRepository repository = open(busy)) {
                assertEquals(2, repository.readIndex().catalogue().snapshots().size());
            }
            snapshots.put(busy, statuses(engine).get(busy).lastSnapshotId());

            // the broken account's password is corrected: its entity restarts with the new settings and catches up
            int seen = notices.size();
            engine.register(new AccountSettings(BROKEN, () -> FolderStore.open(root.resolve("backups").resolve(BROKEN)),
                    "the-real-password".toCharArray(), 0, true, sources.get(BROKEN)));
            await("the corrected account's snapshot", Duration.ofSeconds(20), () -> notices.stream().skip(seen)
                    .anyMatch(n -> n instanceof BackupNotice.SnapshotCommitted && n.accountId().equals(BROKEN)));
            AccountEntityStatus fixed = statuses(engine).get(BROKEN);
            assertEquals(0, fixed.consecutiveFailures());
            assertNull(fixed.lastError());
            snapshots.put(BROKEN, fixed.lastSnapshotId());

            assertThrows(IllegalArgumentException.class, () -> engine.status("nobody"));
            assertThrows(IllegalArgumentException.class, () -> engine.push("nobody", vault("x", "y")));
        }

        // the journal outlives the process: a new engine on the same data dir knows every account's last snapshot
        try (VaultKeepEngine engine = VaultKeepEngine.start(config(dataDir))) {
            for (String id : ids) {
                engine.register(settings(id, new PushVaultSource()));
            }
            Map<String, AccountEntityStatus> status = statuses(engine);
            for (Map.Entry<String, String> expected : snapshots.entrySet()) {
                assertEquals(expected.getValue(), status.get(expected.getKey()).lastSnapshotId(), expected.getKey());
                assertEquals(AccountPhase.IDLE, status.get(expected.getKey()).state());
            }
            assertEquals(0, status.get(BROKEN).consecutiveFailures());
        }
    }

    /** On the throwaway PostgreSQL that scripts/run-tests starts (VAULTKEEP_TEST_POSTGRES_URL). */
    @Test
    void theJournalWorksOnPostgresqlToo() throws Exception {
        String url = io.vaultkeep.engine.persistence.TestPostgres.url();
        EngineConfig postgres = config(root.resolve("data")).withPostgres(url, null, null);
        String id = "pg-" + System.nanoTime();
        PushVaultSource source = new PushVaultSource();
        String snapshot;
        try (VaultKeepEngine engine = VaultKeepEngine.start(postgres)) {
            ConcurrentLinkedQueue<BackupNotice> notices = new ConcurrentLinkedQueue<>();
            engine.subscribe(notices::add);
            engine.register(settings(id, source));
            engine.push(id, vault(id, "v1"));
            await("the snapshot", Duration.ofSeconds(30), () -> notices.stream().anyMatch(BackupNotice.SnapshotCommitted.class::isInstance));
            snapshot = engine.status(id).toCompletableFuture().get(10, TimeUnit.SECONDS).lastSnapshotId();
            assertNotNull(snapshot);
        }
        try (VaultKeepEngine engine = VaultKeepEngine.start(postgres)) {
            engine.register(settings(id, source));
            assertEquals(snapshot, engine.status(id).toCompletableFuture().get(10, TimeUnit.SECONDS).lastSnapshotId());
        }
    }

    /** An export folder holding a one-item {@code bw export}. */
    private Path inboxWithOneItem() throws IOException {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Files.writeString(inbox.resolve("bitwarden_export_1.json"),
                "{\"encrypted\":false,\"folders\":[],\"items\":[{\"id\":\"i1\",\"type\":1,\"name\":\"one\"}]}");
        return inbox;
    }

    /** Registers the export-folder account "exported" (into {@code location}) and waits for its first snapshot. */
    private static void registerExportFolderAndAwaitItsFirstSnapshot(VaultKeepEngine engine, Path inbox, Path location,
                                                                     ConcurrentLinkedQueue<BackupNotice> notices) throws Exception {
        engine.register(new AccountSettings("exported", () -> FolderStore.open(location), null, 0, true,
                ExportFileSource.factory(inbox, "exported", true)));
        await("the first snapshot", Duration.ofSeconds(20), () -> notices.stream().anyMatch(BackupNotice.SnapshotCommitted.class::isInstance));
    }

    @Test
    void anExportFolderAccountBacksUpTheNewestExportAndBackupNowOfTheSameVaultCommitsNothing() throws Exception {
        Path inbox = inboxWithOneItem();
        Path location = root.resolve("backups").resolve("exported");
        try (VaultKeepEngine engine = VaultKeepEngine.start(config(root.resolve("data")))) {
            ConcurrentLinkedQueue<BackupNotice> notices = new ConcurrentLinkedQueue<>();
            try (VaultKeepEngine.Subscription subscription = engine.subscribe(notices::add)) {
                registerExportFolderAndAwaitItsFirstSnapshot(engine, inbox, location, notices);
                AccountEntityStatus first = engine.status("exported").toCompletableFuture().get(10, TimeUnit.SECONDS);

                // a flood of backup-now while nothing changed: each run says unchanged, none commits
                for (int i = 0; i < 10; i++) {
                    engine.backupNow("exported");
                    Thread.sleep(i % 3 == 0 ? 300 : 0);
                }
                await("the runs asked for to end", Duration.ofSeconds(30), () -> {
                    AccountEntityStatus s = engine.status("exported").toCompletableFuture().join();
                    return s.state() == AccountPhase.IDLE && s.inFlightRunId() == null
                            && notices.stream().anyMatch(BackupNotice.Unchanged.class::isInstance);
                });
                assertEquals(1, notices.stream().filter(BackupNotice.SnapshotCommitted.class::isInstance).count());
                AccountEntityStatus checked = engine.status("exported").toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals(first.lastSnapshotId(), checked.lastSnapshotId(), "the newest snapshot is current");
                assertTrue(checked.lastCheckedAt().isAfter(checked.lastSnapshotAt()), checked.toString());
                BackupNotice.Unchanged unchanged = notices.stream().filter(BackupNotice.Unchanged.class::isInstance)
                        .map(BackupNotice.Unchanged.class::cast).findFirst().orElseThrow();
                assertEquals(first.lastSnapshotId(), unchanged.snapshotId());

                Files.writeString(inbox.resolve("bitwarden_export_2.json"),
                        "{\"encrypted\":false,\"folders\":[],\"items\":[{\"id\":\"i1\",\"type\":1,\"name\":\"two\"}]}");
                await("the second snapshot, of the changed vault", Duration.ofSeconds(30),
                        () -> notices.stream().filter(BackupNotice.SnapshotCommitted.class::isInstance).count() == 2);
                assertThrows(IllegalArgumentException.class, () -> engine.push("exported", vault("exported", "v")),
                        "an export-folder account takes no pushes");
            }
            try (BackupRepository repository = BackupRepository.open(FolderStore.open(location), new Zip4jCodec(), null, Clock.systemUTC())) {
                assertEquals(2, repository.readIndex().catalogue().snapshots().size());
                assertTrue(RepositoryCheck.run(repository, true).ok());
            }
        }
    }

    @Test
    void aLeftoverAttachmentFolderIsLeftOutOfTheSnapshotAndShownAsItsWarningUntilItIsGone() throws Exception {
        Path inbox = inboxWithOneItem();
        Files.writeString(Files.createDirectories(inbox.resolve("attachments/i1")).resolve("kept.txt"), "kept");
        Path leftover = Files.createDirectories(inbox.resolve("attachments/deleted-item"));
        Files.writeString(leftover.resolve("old.txt"), "from an older export");
        Path location = root.resolve("backups").resolve("exported");
        try (VaultKeepEngine engine = VaultKeepEngine.start(config(root.resolve("data")))) {
            ConcurrentLinkedQueue<BackupNotice> notices = new ConcurrentLinkedQueue<>();
            try (VaultKeepEngine.Subscription subscription = engine.subscribe(notices::add)) {
                registerExportFolderAndAwaitItsFirstSnapshot(engine, inbox, location, notices);
                String warning = "left out 1 file in " + leftover + ": no item deleted-item in " + inbox.resolve("bitwarden_export_1.json");
                BackupNotice.SnapshotCommitted first = (BackupNotice.SnapshotCommitted) notices.stream()
                        .filter(BackupNotice.SnapshotCommitted.class::isInstance).findFirst().orElseThrow();
                assertEquals(List.of(warning), first.warnings(), "the run's result says what it left out");
                AccountEntityStatus status = engine.status("exported").toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals(List.of(warning), status.lastSnapshotWarnings());
                assertEquals(0, status.consecutiveFailures(), "a leftover folder is no failure");

                // the same vault without the leftover: nothing to commit, and the warning is gone with the folder
                deleteTree(leftover);
                engine.backupNow("exported");
                await("the check of the unchanged vault", Duration.ofSeconds(20),
                        () -> notices.stream().anyMatch(BackupNotice.Unchanged.class::isInstance));
                assertEquals(List.of(), engine.status("exported").toCompletableFuture().get(10, TimeUnit.SECONDS).lastSnapshotWarnings());
            }
            try (BackupRepository repository = BackupRepository.open(FolderStore.open(location), new Zip4jCodec(), null, Clock.systemUTC())) {
                var snapshots = repository.readIndex().catalogue().snapshots();
                assertEquals(1, snapshots.size());
                for (var entry : snapshots.values()) {
                    var manifest = repository.objects().readSnapshot(entry).manifest();
                    assertEquals(List.of("kept.txt"), manifest.attachments().stream().map(a -> a.fileName()).toList());
                }
            }
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
