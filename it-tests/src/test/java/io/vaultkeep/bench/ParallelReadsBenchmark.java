package io.vaultkeep.bench;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.check.CheckReport;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.webdav.ApacheDav;
import io.vaultkeep.storage.store.webdav.WebDavStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Issue 13's figures for reads: {@code check --read-data} and a restore to a folder of a repository
 * with {@value #BLOBS} blobs of {@value #BLOB_KIB} KiB (encrypted), with 1, 2, 4 and 8 readers, on a
 * folder and on a real Apache mod_dav over loopback.
 *
 * <p>Run with {@code scripts/bench parallel-reads [workdir]}. Prints figures; asserts nothing.
 */
public final class ParallelReadsBenchmark {

    static final int BLOBS = 200;
    static final int BLOB_KIB = 200;
    private static final int ROUNDS = 5;
    private static final int[] READERS = {1, 2, 4, 8};
    private static final char[] PASSWORD = "bench backup password".toCharArray();

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench")
                .resolve("reads-" + UUID.randomUUID()));
        try (ApacheDav apache = ApacheDav.start()) {
            System.out.println("machine: " + BenchReport.machine());
            for (boolean webDav : new boolean[] {false, true}) {
                String where = webDav ? "WebDAV (Apache, loopback)" : "folder";
                try (ObjectStore store = webDav
                        ? WebDavStore.open(apache.url("reads-" + UUID.randomUUID()), ApacheDav.USER, ApacheDav.PASSWORD, null)
                        : FolderStore.open(work.resolve("reads-folder"));
                     BackupRepository repo = BackupRepository.create(store, new Zip4jCodec(), PASSWORD, Clock.systemUTC())) {
                    long t0 = System.nanoTime();
                    BackupRun.Committed run = repo.backup(vault(BLOBS, BLOB_KIB * 1024));
                    System.out.printf("%s: backed up %d attachments of %d KiB in %.1f s%n", where, BLOBS, BLOB_KIB,
                            (System.nanoTime() - t0) / 1e9);
                    IndexDocument catalogue = repo.readIndex().catalogue();
                    for (int readers : READERS) {
                        double[] checkMs = new double[ROUNDS];
                        double[] restoreMs = new double[ROUNDS];
                        for (int round = -1; round < ROUNDS; round++) {
                            long a = System.nanoTime();
                            CheckReport report = RepositoryCheck.run(repo, true, readers);
                            long b = System.nanoTime();
                            if (!report.ok()) {
                                throw new IllegalStateException("the bench repository is damaged: " + report.problems());
                            }
                            Path out = work.resolve("restore-" + UUID.randomUUID());
                            SnapshotRestore.toDirectory(repo.objects(), catalogue, run.snapshotId(), out, null, readers);
                            long c = System.nanoTime();
                            RepositoryBenchmark.deleteTree(out);
                            if (round >= 0) {
                                checkMs[round] = (b - a) / 1e6;
                                restoreMs[round] = (c - b) / 1e6;
                            }
                        }
                        System.out.printf("%s, %d reader%s: check --read-data %s; restore to a folder %s%n", where, readers,
                                readers == 1 ? "" : "s", BenchReport.stats(checkMs, "ms"), BenchReport.stats(restoreMs, "ms"));
                    }
                }
            }
        } finally {
            RepositoryBenchmark.deleteTree(work);
        }
    }

    /** One vault with {@code count} random (incompressible) attachments of {@code size} bytes. */
    static FetchedVault vault(int count, int size) {
        Random random = new Random(13);
        List<FetchedVault.AttachmentSource> attachments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            attachments.add(new FetchedVault.AttachmentSource("bench", "item-" + i, "item-" + i, "att-" + i, "file-" + i + ".bin",
                    (long) size, () -> new ByteArrayInputStream(bytes)));
        }
        return new FetchedVault(BenchVaults.exportJson(count, 42), count, true, attachments, 0);
    }
}
