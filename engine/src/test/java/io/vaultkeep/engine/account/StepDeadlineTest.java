package io.vaultkeep.engine.account;

import static io.vaultkeep.engine.account.Accounts.FAST;
import static io.vaultkeep.engine.account.Accounts.account;
import static io.vaultkeep.engine.account.Accounts.awaitEvent;
import static io.vaultkeep.engine.account.Accounts.kinds;
import static io.vaultkeep.engine.account.Accounts.vault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.AccountEvent.ChangeRecorded;
import io.vaultkeep.engine.account.AccountEvent.IndexCommitted;
import io.vaultkeep.engine.account.AccountEvent.RetentionChecked;
import io.vaultkeep.engine.account.AccountEvent.RunFailed;
import io.vaultkeep.engine.account.AccountEvent.RunPlanned;
import io.vaultkeep.engine.account.AccountEvent.RunRolledBack;
import io.vaultkeep.engine.account.Accounts.TestAccount;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.store.DelegatingStore;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.webdav.ApacheDav;
import io.vaultkeep.storage.store.webdav.FaultProxy;
import io.vaultkeep.storage.store.webdav.WebDavStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WebDAV server that stops answering in the middle of a run (the fault proxy swallows a PUT, then
 * a MOVE, in front of a real Apache): the step's deadline fails the run, which rolls back, backs off
 * and gives its permit back, so another account waiting for the node's only permit still backs up.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepDeadlineTest {

    private static final Duration DEADLINE = Duration.ofSeconds(6); // well above a step on a loaded machine
    private static final EngineTuning TWO_SECOND_STEPS = new EngineTuning(FAST.debounce(), FAST.backoff(), 50, 2,
            FAST.fetchTimeout(), DEADLINE, 1);

    @RegisterExtension
    static final ApacheDav.PerClass APACHE = ApacheDav.perClass();

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(AccountBackupTest.CONFIG).build();

    @TempDir
    Path root;

    private FaultProxy proxy;

    @AfterEach
    void closeProxy() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aStalledServerFailsTheStepAtItsDeadlineAndAnotherAccountKeepsRunning() throws Exception {
        proxy = new FaultProxy(APACHE.server().port());
        String url = "http://127.0.0.1:" + proxy.port() + "/deadline";
        // the first snapshot's upload is swallowed, then the second snapshot's move; later ones go through
        AtomicInteger snapshots = new AtomicInteger();
        TestAccount plain = account(root, "stalled", "stalled-pw", 0);
        // made beforehand, straight on Apache: the deadline is for the run's steps, not for a first setup
        BackupRepository.create(WebDavStore.open(APACHE.server().url("deadline"), ApacheDav.USER, ApacheDav.PASSWORD, null),
                new Zip4jCodec(), plain.password(), Clock.systemUTC()).close();
        AccountSettings overDav = Accounts.withLocation(plain.settings(), () -> new StallingSnapshots(
                WebDavStore.open(url, ApacheDav.USER, ApacheDav.PASSWORD, null), proxy, snapshots));
        TestAccount stalled = new TestAccount(plain.id(), plain.location(), plain.source(), overDav, plain.password());
        TestAccount other = account(root, "other", "other-pw", 0);

        AccountRegistry registry = new AccountRegistry();
        registry.put(stalled.settings());
        registry.put(other.settings());
        ActorRef<RunPermits.Command> onePermit = testKit.spawn(RunPermits.create(1));
        var stalledKit = EventSourcedBehaviorTestKit.<AccountCommand, AccountEvent, AccountState>create(testKit.system(),
                AccountBackup.create(stalled.id(), registry, onePermit, null, Clock.systemUTC(), TWO_SECOND_STEPS, null));
        var otherKit = EventSourcedBehaviorTestKit.<AccountCommand, AccountEvent, AccountState>create(testKit.system(),
                AccountBackup.create(other.id(), registry, onePermit, null, Clock.systemUTC(), TWO_SECOND_STEPS, null));

        stalled.source().push(vault("stalled", "v1", 2));
        Accounts.await("the stalled upload", Duration.ofSeconds(15), () -> proxy.seen().stream().anyMatch(r -> r.contains("Stall")));
        other.source().push(vault("other", "v1", 1));

        awaitEvent(otherKit.persistenceTestKit(), other.persistenceId(), Duration.ofSeconds(30), IndexCommitted.class::isInstance);
        List<AccountEvent> events = awaitEvent(stalledKit.persistenceTestKit(), stalled.persistenceId(), Duration.ofSeconds(60),
                RetentionChecked.class::isInstance);

        assertEquals(List.of(ChangeRecorded.class,
                RunPlanned.class, RunFailed.class, RunRolledBack.class,
                RunPlanned.class, RunFailed.class, RunRolledBack.class,
                RunPlanned.class, IndexCommitted.class, RetentionChecked.class), kinds(events), () -> "journal " + events + "\nrequests " + proxy.seen());
        for (RunFailed failed : events.stream().filter(RunFailed.class::isInstance).map(RunFailed.class::cast).toList()) {
            assertEquals(RunStage.BLOBS_STORED, failed.stage(), "writing the snapshot stalled");
            assertEquals(FailureKind.LOCATION_UNAVAILABLE, failed.kind());
            assertTrue(failed.message().contains("writing the snapshot did not finish within " + DEADLINE), failed.message());
        }
        List<RunRolledBack> rollbacks = events.stream().filter(RunRolledBack.class::isInstance).map(RunRolledBack.class::cast).toList();
        assertEquals(List.of(2, 2), rollbacks.stream().map(RunRolledBack::deletedObjects).toList(),
                "each time the two new blobs: the snapshot never reached its key");

        IndexCommitted committed = (IndexCommitted) events.get(8);
        try (BackupRepository repository = BackupRepository.open(WebDavStore.open(APACHE.server().url("deadline"),
                ApacheDav.USER, ApacheDav.PASSWORD, null), new Zip4jCodec(), stalled.password(), Clock.systemUTC())) {
            assertEquals(List.of(committed.snapshotId()), List.copyOf(repository.readIndex().catalogue().snapshots().keySet()));
            CheckReport report = RepositoryCheck.run(repository, true);
            assertTrue(report.ok(), report.problems()::toString);
        }
        AccountBackupTest.assertClean(other);
    }

    /** The store, with the proxy told to swallow the upload of the first snapshot and the move of the second. */
    private static final class StallingSnapshots extends DelegatingStore {

        private final FaultProxy proxy;
        private final AtomicInteger snapshots;

        StallingSnapshots(ObjectStore real, FaultProxy proxy, AtomicInteger snapshots) {
            super(real);
            this.proxy = proxy;
            this.snapshots = snapshots;
        }

        @Override
        public ObjectInfo create(String key, ObjectContent content) throws IOException {
            if (key.startsWith("snapshots/")) {
                int attempt = snapshots.incrementAndGet();
                if (attempt == 1) {
                    proxy.plan("PUT", new FaultProxy.Stall());
                } else if (attempt == 2) {
                    proxy.plan("MOVE", new FaultProxy.Stall());
                }
            }
            return delegate.create(key, content);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
