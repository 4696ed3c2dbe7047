package io.vaultkeep.engine.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vaultkeep.engine.source.PushVaultSource;
import io.vaultkeep.protocol.repository.PrunePlan;
import io.vaultkeep.protocol.repository.SnapshotStats;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.NotSerializableException;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Everything that may leave the JVM round-trips through jackson-cbor; local-only messages cannot leave. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SerializationTest {

    private static final Instant T = Instant.parse("2026-06-01T10:00:00.123Z");

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(AccountBackupTest.CONFIG).build();

    /** Serializes and deserializes with the configured serializer, which must be jackson-cbor. */
    private Object roundTrip(Object message) {
        Serializer serializer = SerializationExtension.get(testKit.system()).findSerializerFor(message);
        assertEquals("JacksonCborSerializer", serializer.getClass().getSimpleName(), message.getClass().getName());
        return new SerializationTestKit(testKit.system()).verifySerialization(message, true);
    }

    @Test
    void everyEventAndTheStateRoundTrip() {
        PrunePlan plan = new PrunePlan(T, 5, List.of("k"), List.of("d"), List.of("snapshots/d.zip"), List.of("b"), List.of("blobs/b.zip"));
        List<Object> messages = List.of(
                new AccountEvent.ChangeRecorded(3, "rev", true, T),
                new AccountEvent.RunStarted("r", 3, null, T),
                new AccountEvent.RunPlanned("r", "s", "snapshots/s.zip", List.of("b1", "b2"), new SnapshotStats(1, 2, 3, 4, 5)),
                new AccountEvent.RunPlanned("r", "s", "snapshots/s.zip", List.of("b1"), SnapshotStats.EMPTY, 3L, "rev", T),
                new AccountEvent.BlobsStored("r", List.of("b1")),
                new AccountEvent.SnapshotWritten("r", "s", "snapshots/s.zip", 99),
                new AccountEvent.IndexCommitted("r", "s", 7, T, true, List.of("left out 1 file in /x/attachments/gone: no item gone in /x/e.json")),
                new AccountEvent.RunFailed("r", RunStage.PLANNED, FailureKind.LOCATION_FULL, "full", T, T.plusSeconds(5)),
                new AccountEvent.RunRolledBack("r", 2, T),
                new AccountEvent.PrunePlanned("p", plan, T),
                new AccountEvent.PruneCompleted("p", null, 1, 1, T),
                new AccountEvent.PruneFailed(null, FailureKind.INTERNAL, "boom", T, T),
                new AccountEvent.RetentionChecked(T),
                new AccountState(4, "rev", 3, "s", T,
                        new AccountState.RunInFlight("r", 4, "rev", T, RunStage.FAILED, "s2", "snapshots/s2.zip", List.of("b")),
                        new AccountState.PruneInFlight("p", plan, T), 2, T, "full", FailureKind.LOCATION_FULL, true, List.of("w"), T),
                new AccountEntityStatus("a", AccountPhase.RUNNING, "s", T, null, 0, null, "r", RunStage.PLANNED, T, List.of("w"), T),
                new AccountEvent.RunUnchanged("r", "s", T, List.of("w")),
                new AccountEvent.RunUnchanged("r", "s", T, List.of("w"), 4L),
                new BackupNotice.Unchanged("a", "r", "s", T),
                new BackupNotice.SnapshotCommitted("a", "r", "s", T, false, List.of("w")),
                new AccountCommand.BackupNow(),
                new AccountCommand.Wake(),
                new AccountCommand.Reload(),
                new AccountCommand.Unregistered());
        for (Object message : messages) {
            assertEquals(message, roundTrip(message));
        }
    }

    /** A snapshot of the state journaled before runs could end unchanged still reads: no check time yet. */
    @Test
    void aStateFromBeforeUnchangedRunsStillReads() throws Exception {
        AccountState now = new AccountState(4, "rev", 3, "s", T, null, null, 0, null, null, null, false, List.of(), T);
        Serialization serialization = SerializationExtension.get(testKit.system());
        Serializer serializer = serialization.findSerializerFor(now);
        String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, now);
        var cbor = org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider.get(testKit.system())
                .getOrCreate("jackson-cbor", java.util.Optional.empty());
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) cbor.readTree(serialization.serialize(now).get());
        tree.remove("lastCheckedAt");
        Object old = serialization.deserialize(cbor.writeValueAsBytes(tree), serializer.identifier(), manifest).get();
        assertEquals(new AccountState(4, "rev", 3, "s", T, null, null, 0, null, null, null, false, List.of(), null), old);
    }

    @Test
    void aCommandWithAnActorRefRoundTrips() {
        TestProbe<AccountEntityStatus> probe = testKit.createTestProbe();
        AccountCommand.GetStatus ask = new AccountCommand.GetStatus(probe.getRef());
        assertEquals(ask, roundTrip(ask));
    }

    /** Everything an entity and its children tell each other, and the node's permits: none of it can leave the JVM. */
    private static List<Object> localOnly() {
        PrunePlan plan = new PrunePlan(T, 5, List.of(), List.of("newest"), List.of("repo.zip"), List.of(), List.of());
        return List.of(
                new VaultWatcher.FetchFor("r"),
                new PushVaultSource(),
                new AccountCommand.VaultChanged("rev"),
                new AccountCommand.BackupDue("rev"),
                new AccountCommand.PermitGranted(),
                new AccountCommand.RetryDue(),
                new AccountCommand.DebounceCheck(),
                new AccountCommand.RunPlanReady("r", "s", "snapshots/s.zip", List.of(), SnapshotStats.EMPTY),
                new AccountCommand.RunProgress("r", RunStage.BLOBS_STORED),
                new AccountCommand.RunRollbackDone("r", 3),
                new AccountCommand.PrunePlanReady(plan),
                new AccountCommand.PruneExecuted("p", "indexes/x.zip", 1, 1),
                new Pruner.PlanPrune(),
                new Pruner.ExecutePrune("p", plan),
                new SnapshotWriter.Resolve("r", "s", "repo.zip", List.of("b")),
                new BlobDedup.PlanRun("r", Accounts.vault("a", "v", 0)),
                new SnapshotWriter.Write("r"),
                new Debouncer.ChangeSeen("rev"),
                new RunPermits.PermitCounts(1, 0, 0));
    }

    @Test
    void localOnlyMessagesHaveNoSerializer() {
        Serialization serialization = SerializationExtension.get(testKit.system());
        for (Object message : localOnly()) {
            assertThrows(NotSerializableException.class, () -> serialization.serialize(message).get(), message.getClass().getName());
        }
    }

    /**
     * Bytes another node made for a report (its config binding reports to jackson-cbor, as a forger's
     * would) are refused here: the serializer reads only classes this node binds.
     */
    @Test
    void aReportForgedOnAnotherNodeCannotBeRead() {
        Config forger = ConfigFactory.parseString("""
                pekko.actor.serialization-bindings {
                  "io.vaultkeep.engine.account.LocalOnlyMessage" = jackson-cbor
                  "io.vaultkeep.engine.account.Pruner$Command" = jackson-cbor
                }
                """).withFallback(AccountBackupTest.CONFIG);
        ActorSystem<Void> other = ActorSystem.create(Behaviors.empty(), "forger", forger.withFallback(ConfigFactory.load()));
        try {
            Serialization theirs = SerializationExtension.get(other);
            Serialization ours = SerializationExtension.get(testKit.system());
            PrunePlan plan = new PrunePlan(T, 5, List.of(), List.of("newest"), List.of("repo.zip"), List.of(), List.of());
            for (Object forged : List.of(new AccountCommand.PrunePlanReady(plan), new Pruner.ExecutePrune("p", plan),
                    new AccountCommand.RunRollbackDone("r", 3))) {
                Serializer serializer = theirs.findSerializerFor(forged);
                byte[] bytes = theirs.serialize(forged).get();
                String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, forged);
                assertEquals(forged, theirs.deserialize(bytes, serializer.identifier(), manifest).get(), "the forger's own node reads it");
                assertThrows(IllegalArgumentException.class,
                        () -> ours.deserialize(bytes, serializer.identifier(), manifest).get(), forged.getClass().getName());
            }
        } finally {
            ActorTestKit.shutdown(other);
        }
    }
}
