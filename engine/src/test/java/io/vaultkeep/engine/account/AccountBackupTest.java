package io.vaultkeep.engine.account;

import static io.vaultkeep.engine.account.Accounts.FAST;
import static io.vaultkeep.engine.account.Accounts.account;
import static io.vaultkeep.engine.account.Accounts.await;
import static io.vaultkeep.engine.account.Accounts.awaitEvent;
import static io.vaultkeep.engine.account.Accounts.journal;
import static io.vaultkeep.engine.account.Accounts.kinds;
import static io.vaultkeep.engine.account.Accounts.lastCommit;
import static io.vaultkeep.engine.account.Accounts.vault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.vaultkeep.engine.account.Accounts.TestAccount;
import io.vaultkeep.engine.account.AccountEvent.ChangeRecorded;
import io.vaultkeep.engine.account.AccountEvent.IndexCommitted;
import io.vaultkeep.engine.account.AccountEvent.RunFailed;
import io.vaultkeep.engine.account.AccountEvent.RunPlanned;
import io.vaultkeep.engine.account.AccountEvent.RunRolledBack;
import io.vaultkeep.engine.account.AccountEvent.RetentionChecked;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.RepositoryPaths;
import io.vaultkeep.storage.store.FolderStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The entity's journal, run by run, on real folder repositories (journal: Pekko's persistence testkit). */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountBackupTest {

    static final Config CONFIG = ConfigFactory.parseString("""
            pekko.actor.allow-java-serialization = off
            vaultkeep.blocking-dispatcher.thread-pool-executor.fixed-pool-size = 4
            """).withFallback(EventSourcedBehaviorTestKit.config());

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(CONFIG).build();

    @TempDir
    Path root;

    private final AccountRegistry registry = new AccountRegistry();

    private EventSourcedBehaviorTestKit<AccountCommand, AccountEvent, AccountState> entity(TestAccount account, EngineTuning tuning,
                                                                                         ActorRef<RunPermits.Command> permits) {
        registry.put(account.settings());
        return EventSourcedBehaviorTestKit.create(testKit.system(),
                AccountBackup.create(account.id(), registry, permits, null, Clock.systemUTC(), tuning, null));
    }

    private ActorRef<RunPermits.Command> permits() {
        return testKit.spawn(RunPermits.create(2));
    }

    static void assertClean(TestAccount account) throws java.io.IOException {
        var report = account.check();
        assertTrue(report.ok(), report.problems()::toString);
    }

    private static AccountEntityStatus status(EventSourcedBehaviorTestKit<AccountCommand, AccountEvent, AccountState> kit) {
        return kit.<AccountEntityStatus>runCommand(AccountCommand.GetStatus::new).reply();
    }

    @Test
    void aPushedVaultIsJournaledStepByStepAndCommitted() throws Exception {
        TestAccount alice = account(root, "alice", "alice-backup-pw", 0);
        var kit = entity(alice, FAST, permits());
        alice.source().push(vault("alice", "v1", 2));

        List<AccountEvent> events = awaitEvent(kit.persistenceTestKit(), alice.persistenceId(), Duration.ofSeconds(15),
                RetentionChecked.class::isInstance);
        assertEquals(List.of(ChangeRecorded.class, RunPlanned.class, IndexCommitted.class, RetentionChecked.class),
                kinds(events),
                "the plan (with the run's start) is all recovery needs; retention is journaled as checked too: a crash before it would check again");

        RunPlanned planned = (RunPlanned) events.get(1);
        IndexCommitted committed = (IndexCommitted) events.get(2);
        assertEquals(1, planned.generation(), "the run covers the change");
        assertEquals(2, planned.newBlobIds().size(), "both attachments are new");
        assertEquals(planned.snapshotId(), committed.snapshotId());
        assertFalse(committed.foundOnRecovery());

        var index = alice.index();
        assertEquals(List.of(planned.snapshotId()), List.copyOf(index.catalogue().snapshots().keySet()));
        assertEquals(committed.indexGeneration(), index.generation());
        assertClean(alice);

        AccountState state = kit.getState();
        assertEquals(planned.snapshotId(), state.lastSnapshotId());
        assertNull(state.runInFlight());
        assertEquals(1, state.lastSuccessfulGeneration());
        await("the status to settle", Duration.ofSeconds(5), () -> status(kit).state() == AccountPhase.IDLE);
    }

    @Test
    void aWrongPasswordFailsEveryAttemptBackingOffExponentially() throws Exception {
        TestAccount bob = account(root, "bob", "bobs-wrong-password", 0);
        try (BackupRepository real = BackupRepository.create(FolderStore.open(bob.location()), new Zip4jCodec(),
                "bobs-real-password".toCharArray(), Clock.systemUTC())) {
            assertTrue(real.readIndex().isEmpty());
        }
        ActorRef<RunPermits.Command> permits = permits();
        var kit = entity(bob, FAST, permits);
        bob.source().push(vault("bob", "v1", 1));

        List<AccountEvent> events = awaitEvent(kit.persistenceTestKit(), bob.persistenceId(), Duration.ofSeconds(15),
                e -> e instanceof RunFailed f && f.runId() != null
                        && journal(kit.persistenceTestKit(), bob.persistenceId()).stream().filter(RunFailed.class::isInstance).count() >= 3);
        List<RunFailed> failures = events.stream().filter(RunFailed.class::isInstance).map(RunFailed.class::cast).toList();
        for (RunFailed failure : failures.subList(0, 3)) {
            assertEquals(RunStage.STARTED, failure.stage(), "the repository does not open: nothing was planned");
            assertEquals(FailureKind.WRONG_PASSWORD, failure.kind());
            assertFalse(failure.message().contains("bobs-wrong-password") || failure.message().contains("bobs-real-password"),
                    "no password in the journal: " + failure.message());
        }
        assertEquals(List.of(300L, 600L, 1000L), failures.subList(0, 3).stream()
                .map(f -> Duration.between(f.failedAt(), f.nextRetryAt()).toMillis()).toList(), "doubling up to the cap");
        assertTrue(events.stream().noneMatch(e -> e instanceof RunPlanned || e instanceof IndexCommitted));
        try (BackupRepository real = BackupRepository.open(FolderStore.open(bob.location()), new Zip4jCodec(),
                "bobs-real-password".toCharArray(), Clock.systemUTC())) {
            assertTrue(real.readIndex().isEmpty(), "the repository is untouched");
        }

        AccountEntityStatus status = status(kit);
        assertTrue(status.consecutiveFailures() >= 3);
        assertTrue(status.lastError().contains("wrong backup password"), status.lastError());
        assertTrue(status.state() == AccountPhase.FAILED || status.state() == AccountPhase.RUNNING
                || status.state() == AccountPhase.QUEUED, status.toString());
        TestProbe<RunPermits.PermitCounts> counts = testKit.createTestProbe();
        await("the permit to come back between attempts", Duration.ofSeconds(5), () -> {
            permits.tell(new RunPermits.GetPermitCounts(counts.getRef()));
            return counts.receiveMessage().inUse() == 0;
        });
    }

    @Test
    void aRunFailingAfterItsBlobsRollsThemBackThenSucceedsOnceTheLocationHeals() throws Exception {
        TestAccount carol = account(root, "carol", null, 0);
        AtomicBoolean full = new AtomicBoolean(true);
        TestAccount faulty = new TestAccount(carol.id(), carol.location(), carol.source(),
                Accounts.withLocation(carol.settings(), () -> new FaultyStore(FolderStore.open(carol.location()), "snapshots/", full)),
                null);
        // the retry waits long enough for the checks below to see the rolled-back state, not the next attempt
        EngineTuning patient = new EngineTuning(FAST.debounce(), new BackoffPolicy(Duration.ofSeconds(4), Duration.ofSeconds(4), 0),
                FAST.snapshotEvery(), FAST.keepSnapshots(), FAST.fetchTimeout(), FAST.stepTimeout(), FAST.maxConcurrentRuns());
        var kit = entity(faulty, patient, permits());
        carol.source().push(vault("carol", "v1", 3));

        List<AccountEvent> events = awaitEvent(kit.persistenceTestKit(), carol.persistenceId(), Duration.ofSeconds(15),
                RunRolledBack.class::isInstance);
        RunPlanned planned = (RunPlanned) events.stream().filter(RunPlanned.class::isInstance).findFirst().orElseThrow();
        RunFailed failed = (RunFailed) events.stream().filter(RunFailed.class::isInstance).findFirst().orElseThrow();
        RunRolledBack rolledBack = (RunRolledBack) events.stream().filter(RunRolledBack.class::isInstance).findFirst().orElseThrow();
        assertEquals(List.of(ChangeRecorded.class, RunPlanned.class, RunFailed.class, RunRolledBack.class),
                kinds(events).subList(0, 4));
        assertEquals(RunStage.BLOBS_STORED, failed.stage(), "the writer got as far as the snapshot");
        assertEquals(FailureKind.LOCATION_FULL, failed.kind());
        assertEquals(3, rolledBack.deletedObjects(), "the three new blobs");
        try (FolderStore store = FolderStore.open(carol.location())) {
            for (String blobId : planned.newBlobIds()) {
                assertTrue(store.stat(RepositoryPaths.blob(blobId)).isEmpty(), "orphan blob " + blobId + " deleted");
            }
        }
        assertClean(carol);
        assertEquals(AccountPhase.FAILED, status(kit).state(), "a full location needs a person");

        full.set(false); // space was freed
        List<AccountEvent> later = awaitEvent(kit.persistenceTestKit(), carol.persistenceId(), Duration.ofSeconds(15),
                IndexCommitted.class::isInstance);
        IndexCommitted committed = lastCommit(later);
        assertEquals(List.of(committed.snapshotId()), List.copyOf(carol.index().catalogue().snapshots().keySet()));
        assertClean(carol);
        AccountState state = kit.getState();
        assertEquals(0, state.consecutiveFailures());
        assertNull(state.lastError());
    }

    @Test
    void retentionPrunesAfterACommitThroughAJournaledPlan() throws Exception {
        TestAccount pia = account(root, "pia", "pia-pw", 1);
        var kit = entity(pia, FAST, permits());
        pia.source().push(vault("pia", "v1", 1));
        awaitEvent(kit.persistenceTestKit(), pia.persistenceId(), Duration.ofSeconds(15), IndexCommitted.class::isInstance);
        String first = kit.getState().lastSnapshotId();
        pia.source().push(vault("pia", "v2", 1));

        List<AccountEvent> events = awaitEvent(kit.persistenceTestKit(), pia.persistenceId(), Duration.ofSeconds(15),
                AccountEvent.PruneCompleted.class::isInstance);
        AccountEvent.PrunePlanned planned = (AccountEvent.PrunePlanned) events.stream()
                .filter(AccountEvent.PrunePlanned.class::isInstance).findFirst().orElseThrow();
        AccountEvent.PruneCompleted completed = (AccountEvent.PruneCompleted) events.get(events.size() - 1);
        assertEquals(List.of(first), planned.plan().droppedSnapshotIds(), "retention 1 keeps only the newest");
        assertEquals(planned.pruneId(), completed.pruneId());
        assertEquals(1, completed.deletedSnapshots());
        assertEquals(1, completed.deletedBlobs(), "v1's attachment is referenced by no kept snapshot");
        String second = kit.getState().lastSnapshotId();
        assertEquals(List.of(second), List.copyOf(pia.index().catalogue().snapshots().keySet()));
        assertNull(kit.getState().pruneInFlight());
        assertClean(pia);
    }

    @Test
    void backupNowBypassesTheDebounceWindowAndCoversTheBurst() throws Exception {
        TestAccount dave = account(root, "dave", "dave-pw", 0);
        EngineTuning slowDebounce = new EngineTuning(new DebounceRule(Duration.ofSeconds(3), Duration.ofSeconds(10)),
                FAST.backoff(), 50, 2, Duration.ofSeconds(10), FAST.stepTimeout(), 4);
        var kit = entity(dave, slowDebounce, permits());
        Instant pushed = Instant.now();
        dave.source().push(vault("dave", "v1", 1));
        await("the change to reach the debouncer", Duration.ofSeconds(5), () -> status(kit).state() == AccountPhase.DEBOUNCING);

        var result = kit.runCommand(new AccountCommand.BackupNow());
        ChangeRecorded now = assertInstanceOf(ChangeRecorded.class, result.events().get(0));
        assertTrue(now.backupNow());
        awaitEvent(kit.persistenceTestKit(), dave.persistenceId(), Duration.ofSeconds(10), IndexCommitted.class::isInstance);
        assertTrue(Duration.between(pushed, Instant.now()).compareTo(Duration.ofSeconds(3)) < 0,
                "committed before the quiet window would have ended");

        await("the cancelled burst's window to pass", Duration.ofSeconds(10),
                () -> Duration.between(pushed, Instant.now()).toMillis() > 3_800);
        List<AccountEvent> events = journal(kit.persistenceTestKit(), dave.persistenceId());
        assertEquals(1, events.stream().filter(RunPlanned.class::isInstance).count(), "no second run for the same change");
        assertEquals(1, dave.index().catalogue().snapshots().size());
    }
}
