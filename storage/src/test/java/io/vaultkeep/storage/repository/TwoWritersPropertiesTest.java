package io.vaultkeep.storage.repository;

import static io.vaultkeep.storage.repository.TestVaults.CODEC;
import static io.vaultkeep.storage.repository.TestVaults.attachment;
import static io.vaultkeep.storage.repository.TestVaults.randomBytes;
import static io.vaultkeep.storage.repository.TestVaults.vaultJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.FetchedVault.AttachmentSource;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.FolderStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * "Heal, never brick", end to end: two writers that take no lock (as Keyguard beside this project)
 * run their steps over one shared folder in any interleaving, including the other's commits landing
 * between a writer's reading the catalogue for its commit and its index landing (so one generation
 * gets two heads), with the clock moving between steps,
 * shared attachments (so both reuse and re-validate the same blobs at different times) and runs
 * given up after their snapshot. Afterwards every snapshot a writer was told is committed is listed
 * and restores exactly, the next write joins every head into one, and {@code check --read-data}
 * finds nothing.
 */
class TwoWritersPropertiesTest {

    private static final Instant START = Instant.parse("2026-11-01T10:00:00Z");
    private static final List<byte[]> ATTACHMENTS = List.of(randomBytes(700, 1), randomBytes(900, 2), randomBytes(300, 3));

    private enum Step { START, PLAN, STORE_BLOBS, WRITE_SNAPSHOT, READ_FOR_COMMIT, FINISH }

    /** One writer: its queue of steps, its run in flight, and what it was told was committed. */
    private static final class Writer {
        final Deque<Step> steps = new ArrayDeque<>();
        final Random random;
        final FrozenListingStore view;
        final BackupRepository repository;
        BackupRun run;
        byte[] vault;
        List<AttachmentSource> attachments;

        Writer(FolderStore store, char[] password, TestVaults.SettableClock clock, int runs, long seed) throws IOException {
            random = new Random(seed);
            view = new FrozenListingStore(store);
            repository = BackupRepository.open(view, CODEC, password, clock);
            repository.validationDice(new Random(seed));
            for (int i = 0; i < runs; i++) {
                steps.addAll(List.of(Step.values()));
            }
        }
    }

    private record Committed(byte[] vault, List<AttachmentSource> attachments) {}

    @Property(tries = 40)
    void everyCommittedSnapshotIsListedAndRestorableWhateverTheInterleaving(
            @ForAll long seed,
            @ForAll boolean encrypted,
            @ForAll @IntRange(min = 1, max = 2) int runsA,
            @ForAll @IntRange(min = 1, max = 2) int runsB,
            @ForAll @Size(min = 10, max = 20) List<Boolean> schedule) throws Exception {
        Path folder = Files.createTempDirectory("two-writers");
        try (FolderStore store = FolderStore.open(folder)) {
            TestVaults.SettableClock clock = new TestVaults.SettableClock(START);
            char[] password = encrypted ? "pw".toCharArray() : null;
            Map<String, Committed> committed = new HashMap<>();
            try (BackupRepository repo = BackupRepository.create(store, CODEC, password, clock)) {
                repo.validationDice(new Random(seed));
                BackupRun.Committed base = repo.backup(TestVaults.source(vaultJson(1, "base"), 1,
                        attachment("item-0", "att-0", "f0", ATTACHMENTS.get(0))));
                committed.put(base.snapshotId(), new Committed(vaultJson(1, "base"),
                        List.of(attachment("item-0", "att-0", "f0", ATTACHMENTS.get(0)))));
                Writer a = new Writer(store, password, clock, runsA, seed);
                Writer b = new Writer(store, password, clock, runsB, ~seed);
                int turn = 0;
                while (!a.steps.isEmpty() || !b.steps.isEmpty()) {
                    boolean first = b.steps.isEmpty() || !a.steps.isEmpty() && schedule.get(turn++ % schedule.size());
                    Writer writer = first ? a : b;
                    // days apart now and then, so blob re-validation comes due for one writer and not the other
                    clock.advance(Duration.ofMinutes(writer.random.nextInt(3) == 0 ? 60 * 24 * 8 : writer.random.nextInt(5)));
                    step(writer, writer.steps.removeFirst(), committed);
                }
                a.repository.close();
                b.repository.close();
                repo.validationDice(new Random(seed + 1));
                assertEveryCommittedSnapshotRestores(repo, committed);

                // the next write joins every head: one head again, which Keyguard's own reader needs
                BackupRun.Committed joined = repo.backup(TestVaults.source(vaultJson(1, "joined"), 1,
                        attachment("item-1", "att-1", "f1", ATTACHMENTS.get(1))));
                committed.put(joined.snapshotId(), new Committed(vaultJson(1, "joined"),
                        List.of(attachment("item-1", "att-1", "f1", ATTACHMENTS.get(1)))));
                IndexState after = repo.readIndex();
                assertEquals(1, after.headIds().size());
                assertEquals(List.of(), after.conflicts());
                assertEveryCommittedSnapshotRestores(repo, committed);
                CheckReport report = RepositoryCheck.run(repo, true);
                assertTrue(report.ok(), () -> "check --read-data: " + report.problems());
            }
        } finally {
            deleteTree(folder);
        }
    }

    private static void step(Writer writer, Step step, Map<String, Committed> committed) throws IOException {
        switch (step) {
            case START -> {
                writer.vault = vaultJson(1 + writer.random.nextInt(3), "v" + writer.random.nextLong());
                List<AttachmentSource> attachments = new ArrayList<>();
                for (int i = 0; i < ATTACHMENTS.size(); i++) {
                    if (writer.random.nextBoolean()) {
                        attachments.add(attachment("item-" + i, "att-" + i, "f" + i, ATTACHMENTS.get(i)));
                    }
                }
                writer.attachments = attachments;
                writer.run = writer.repository.startRunUnlocked(TestVaults.source(writer.vault, 1, attachments.toArray(AttachmentSource[]::new)));
            }
            case PLAN -> writer.run.plan();
            case STORE_BLOBS -> writer.run.storeBlobs();
            case WRITE_SNAPSHOT -> writer.run.writeSnapshot();
            // from here until its index lands, the other writer's commits are invisible to this one
            case READ_FOR_COMMIT -> writer.view.freeze();
            case FINISH -> {
                if (writer.random.nextInt(4) == 0) {
                    writer.run.rollback(); // a run given up after its snapshot was written
                    writer.view.thaw();
                } else {
                    BackupRun.Committed done = writer.run.commit();
                    committed.put(done.snapshotId(), new Committed(writer.vault, writer.attachments));
                }
            }
        }
    }

    private static void assertEveryCommittedSnapshotRestores(BackupRepository repo, Map<String, Committed> committed)
            throws IOException {
        Path scratch = Files.createTempDirectory("two-writers-restored");
        IndexDocument catalogue = repo.readIndex().catalogue();
        assertEquals(committed.keySet(), catalogue.snapshots().keySet(), "exactly the committed snapshots are listed");
        for (Map.Entry<String, Committed> e : committed.entrySet()) {
            Path out = scratch.resolve(e.getKey());
            SnapshotRestore.toDirectory(repo.objects(), catalogue, e.getKey(), out);
            assertArrayEquals(e.getValue().vault(), Files.readAllBytes(out.resolve("vault.json")));
            for (AttachmentSource attachment : e.getValue().attachments()) {
                try (var in = attachment.content().open()) {
                    assertArrayEquals(in.readAllBytes(), Files.readAllBytes(out.resolve(attachment.exportPath())));
                }
            }
        }
        deleteTree(scratch);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
