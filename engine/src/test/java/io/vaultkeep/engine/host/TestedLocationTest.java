package io.vaultkeep.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.FailureClassifier;
import io.vaultkeep.engine.account.FailureKind;
import io.vaultkeep.storage.store.DelegatingStore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.LocationProbe;
import io.vaultkeep.storage.store.LocationUnfitException;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The location test of a cluster node: at the first open where the account runs, not at every node's start. */
class TestedLocationTest {

    @TempDir
    Path temp;

    /** Probes written under health-check/ through any store this opener opened. */
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();

    private ObjectStore open(Path folder) throws IOException {
        return new DelegatingStore(FolderStore.open(folder)) {
            @Override
            public ObjectInfo create(String key, ObjectContent content) throws IOException {
                if (key.startsWith(LocationProbe.PROBE_FOLDER)) {
                    probes.incrementAndGet();
                }
                return delegate.create(key, content);
            }

            @Override
            public void close() throws IOException {
                delegate.close();
            }
        };
    }

    @Test
    void theFirstOpenTestsTheLocationAndLaterOpensDoNot() throws IOException {
        Path folder = temp.resolve("repo");
        TestedLocation location = new TestedLocation(() -> open(folder), passed::incrementAndGet);
        assertEquals(0, probes.get(), "nothing is tested before the account uses its location");

        for (int i = 0; i < 3; i++) {
            try (ObjectStore store = location.open()) {
                store.create("keep/" + i, ObjectContent.ofBytes(new byte[] {1}));
            }
        }

        assertEquals(1, probes.get(), "one probe, at the first open");
        assertEquals(1, passed.get(), "told once that it passed");
        try (var left = Files.list(folder.resolve("health-check"))) {
            assertEquals(0, left.count(), "the probe was deleted");
        }
    }

    @Test
    void aLocationThatFailsItsTestIsUnfitNeedsAttentionAndIsTestedAgainOnceFixed() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("repo"));
        Path blocker = Files.writeString(folder.resolve("health-check"), "a file where the probes' folder belongs");
        TestedLocation location = new TestedLocation(() -> open(folder), passed::incrementAndGet);

        LocationUnfitException unfit = assertThrows(LocationUnfitException.class, location::open);
        assertTrue(unfit.getMessage().startsWith("location test failed at folder " + folder.toRealPath() + ": create: "),
                unfit.getMessage());
        FailureClassifier.Failure failure = FailureClassifier.classify(unfit);
        assertEquals(FailureKind.LOCATION_UNFIT, failure.kind());
        assertTrue(failure.kind().needsAttention(), "retrying alone does not fix a location that fails its test");
        assertThrows(LocationUnfitException.class, location::open, "still unfit: tested again");
        assertEquals(0, passed.get());

        Files.delete(blocker); // the operator fixes the location: no restart needed
        try (ObjectStore store = location.open()) {
            assertTrue(store.list("").stream().noneMatch(o -> o.key().startsWith(LocationProbe.PROBE_FOLDER)));
        }
        assertEquals(1, passed.get());
    }

    @Test
    void aLocationThatCannotBeOpenedThrowsWhatTheOpenThrewAndIsNotUnfit() throws IOException {
        Path notAFolder = Files.writeString(temp.resolve("plain-file"), "x");
        TestedLocation location = new TestedLocation(() -> open(notAFolder.resolve("repo")), passed::incrementAndGet);

        IOException thrown = assertThrows(IOException.class, location::open);
        assertFalse(thrown instanceof LocationUnfitException, thrown.toString());
        assertEquals(FailureKind.LOCATION_UNAVAILABLE, FailureClassifier.classify(thrown).kind(), "retried with the usual backoff");
        assertEquals(0, passed.get());
    }
}
