package io.vaultkeep.engine.account;

import static io.vaultkeep.engine.account.Accounts.QUIET;
import static io.vaultkeep.engine.account.Accounts.account;
import static io.vaultkeep.engine.account.Accounts.await;
import static io.vaultkeep.engine.account.Accounts.awaitEvent;
import static io.vaultkeep.engine.account.Accounts.journal;
import static io.vaultkeep.engine.account.Accounts.kinds;
import static io.vaultkeep.engine.account.Accounts.vault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.AccountEvent.ChangeRecorded;
import io.vaultkeep.engine.account.AccountEvent.IndexCommitted;
import io.vaultkeep.engine.account.AccountEvent.RunRolledBack;
import io.vaultkeep.engine.account.AccountEvent.RunStarted;
import io.vaultkeep.engine.account.Accounts.TestAccount;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entity started where its account is not registered (yet): it recovers, shows that it waits,
 * keeps what it is sent, and either runs it once the account is registered or gives up and stops.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettingsWaitEntityTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(AccountBackupTest.CONFIG).build();

    @TempDir
    Path root;

    /** Empty at the start of every test: the node has not been told about any account. */
    private final AccountRegistry registry = new AccountRegistry();

    private EventSourcedBehaviorTestKit<AccountCommand, AccountEvent, AccountState> unregistered(TestAccount account,
                                                                                               Duration patience) {
        return EventSourcedBehaviorTestKit.create(testKit.system(), AccountBackup.create(account.id(), registry,
                testKit.spawn(RunPermits.create(2)), null, Clock.systemUTC(), QUIET, new SettingsWait.Limits(patience, 10)));
    }

    private static AccountEntityStatus status(EventSourcedBehaviorTestKit<AccountCommand, AccountEvent, AccountState> kit) {
        return kit.<AccountEntityStatus>runCommand(AccountCommand.GetStatus::new).reply();
    }

    @Test
    void aBackupNowSentBeforeTheRegistrationRunsOnceTheAccountIsRegistered() throws Exception {
        TestAccount alice = account(root, "alice", "alice-pw", 0);
        alice.source().push(vault("alice", "v1", 1));
        var kit = unregistered(alice, Duration.ofSeconds(30));

        assertEquals(AccountPhase.WAITING_FOR_SETTINGS, status(kit).state());
        assertTrue(kit.runCommand(new AccountCommand.BackupNow()).events().isEmpty(), "kept, not run: there are no settings");
        kit.runCommand(new AccountCommand.Wake()); // a node that knows the account woke it: this one still does not
        assertEquals(AccountPhase.WAITING_FOR_SETTINGS, status(kit).state(), "status is answered at once, past the kept command");
        assertTrue(journal(kit.persistenceTestKit(), alice.persistenceId()).isEmpty());

        registry.put(alice.settings()); // what VaultKeepEngine.register does, then it wakes the entity
        kit.runCommand(new AccountCommand.Wake());

        List<AccountEvent> events = awaitEvent(kit.persistenceTestKit(), alice.persistenceId(), Duration.ofSeconds(15),
                IndexCommitted.class::isInstance);
        assertTrue(((ChangeRecorded) events.get(0)).backupNow(), "the run is the backup now sent before the registration");
        IndexCommitted committed = events.stream().filter(IndexCommitted.class::isInstance).map(IndexCommitted.class::cast)
                .findFirst().orElseThrow();
        assertEquals(List.of(committed.snapshotId()), List.copyOf(alice.index().catalogue().snapshots().keySet()));
        await("the status to show the snapshot", Duration.ofSeconds(5),
                () -> committed.snapshotId().equals(status(kit).lastSnapshotId()));
        assertTrue(status(kit).state() != AccountPhase.WAITING_FOR_SETTINGS);
    }

    @Test
    void anInterruptedRunIsKnownWhileWaitingAndResolvedOnceRegistered() throws Exception {
        TestAccount bob = account(root, "bob", "bob-pw", 0);
        String revision = bob.source().push(vault("bob", "v1", 0));
        var kit = unregistered(bob, Duration.ofSeconds(30));
        Instant t = Instant.now();
        kit.initialize(new ChangeRecorded(1, revision, false, t), new RunStarted("run-1", 1, revision, t));

        AccountEntityStatus waiting = status(kit);
        assertEquals(AccountPhase.WAITING_FOR_SETTINGS, waiting.state());
        assertEquals("run-1", waiting.inFlightRunId(), "recovery ran before the wait");

        registry.put(bob.settings());
        kit.runCommand(new AccountCommand.Wake());
        List<AccountEvent> events = awaitEvent(kit.persistenceTestKit(), bob.persistenceId(), Duration.ofSeconds(15),
                IndexCommitted.class::isInstance);
        assertEquals(List.of(ChangeRecorded.class, RunStarted.class, RunRolledBack.class), kinds(events).subList(0, 3),
                "the interrupted run is rolled back first: " + kinds(events));
        assertEquals("run-1", ((RunRolledBack) events.get(2)).runId());
    }

    @Test
    void anAccountNeverRegisteredHereGivesUpAndStopsWithoutRunning() {
        TestAccount carol = account(root, "carol", null, 0);
        carol.source().push(vault("carol", "v1", 0));
        ActorRef<AccountCommand> entity = testKit.spawn(AccountBackup.create(carol.id(), registry,
                testKit.spawn(RunPermits.create(2)), null, Clock.systemUTC(), QUIET,
                new SettingsWait.Limits(Duration.ofMillis(500), 10)));
        TestProbe<AccountEntityStatus> statusProbe = testKit.createTestProbe();
        TestProbe<Object> watcher = testKit.createTestProbe();

        entity.tell(new AccountCommand.BackupNow());
        entity.tell(new AccountCommand.GetStatus(statusProbe.getRef()));
        assertEquals(AccountPhase.WAITING_FOR_SETTINGS, statusProbe.receiveMessage().state());

        watcher.expectTerminated(entity, Duration.ofSeconds(5));
        assertTrue(PersistenceTestKit.create(testKit.system()).persistedInStorage(carol.persistenceId()).isEmpty(),
                "nothing ran, nothing was journaled");
        assertTrue(!java.nio.file.Files.exists(carol.location()), "the repository was never touched");
    }
}
