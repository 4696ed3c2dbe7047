package io.vaultkeep.bench;

import io.vaultkeep.protocol.repository.IndexDocument;
import io.vaultkeep.protocol.repository.ObjectEncryption;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.archive.ZipCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.repository.RepositoryObjects;
import io.vaultkeep.storage.repository.RepositoryPaths;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.FolderStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Issue 2's figures: commit latency of one snapshot (plain, encrypted), blob write throughput
 * against a plain copy on the same disk, restore time, and the bytes a second identical run adds.
 *
 * <p>Run with {@code scripts/bench repository [workdir]}. Prints figures; asserts nothing.
 */
public final class RepositoryBenchmark {

    private static final ZipCodec CODEC = new Zip4jCodec();
    private static final int ITEMS = 5_000;
    private static final int ATTACHMENT_BYTES = 20 * 1024 * 1024;
    private static final int ROUNDS = 7;

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench")
                .resolve("repository-" + UUID.randomUUID()));
        try {
            run(work);
        } finally {
            deleteTree(work);
        }
    }

    private static void run(Path work) throws Exception {
        byte[] vault = BenchVaults.exportJson(ITEMS, 42);
        Path attachment = work.resolve("attachment.bin");
        byte[] random = new byte[ATTACHMENT_BYTES];
        new Random(7).nextBytes(random);
        Files.write(attachment, random);

        System.out.println("machine: " + BenchReport.machine());
        System.out.printf("vault: %d items, %.2f MB json; attachment: %d MiB random bytes%n",
                ITEMS, vault.length / 1e6, ATTACHMENT_BYTES >> 20);

        for (boolean encrypted : new boolean[] {false, true}) {
            String mode = encrypted ? "encrypted" : "plain";
            char[] password = encrypted ? "bench-password".toCharArray() : null;
            try (BackupRepository repo = BackupRepository.create(FolderStore.open(work.resolve("commit-" + mode)), CODEC, password, Clock.systemUTC())) {
                double[] ms = new double[ROUNDS];
                for (int i = -2; i < ROUNDS; i++) { // two warm-up runs
                    long t0 = System.nanoTime();
                    repo.backup(new FetchedVault(vault, ITEMS, true, List.of(), 0));
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                System.out.printf("commit one snapshot (%s, 5,000 items, no attachments): %s%n", mode, BenchReport.stats(ms, "ms"));
            }
        }

        double[] copyMBs = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            Path target = work.resolve("copy-" + i + ".bin");
            long t0 = System.nanoTime();
            try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                try (OutputStream stream = java.nio.channels.Channels.newOutputStream(out)) {
                    Files.copy(attachment, stream);
                    out.force(true);
                }
            }
            copyMBs[i] = ATTACHMENT_BYTES / 1e6 / ((System.nanoTime() - t0) / 1e9);
            Files.delete(target);
        }
        System.out.printf("plain copy + fsync of the 20 MiB file, same disk: %s%n", BenchReport.stats(copyMBs, "MB/s"));
        for (boolean encrypted : new boolean[] {false, true}) {
            String mode = encrypted ? "encrypted" : "plain";
            RepositoryObjects objects = new RepositoryObjects(FolderStore.open(work.resolve("blobs-" + mode)), CODEC,
                    encrypted ? "bench-password".toCharArray() : null);
            double[] mbs = new double[ROUNDS];
            for (int i = -1; i < ROUNDS; i++) {
                ObjectEncryption encryption = objects.newObjectEncryption();
                String key = RepositoryPaths.blob(UUID.randomUUID().toString());
                long t0 = System.nanoTime();
                objects.createBlob(key, () -> Files.newInputStream(attachment), encryption);
                if (i >= 0) {
                    mbs[i] = ATTACHMENT_BYTES / 1e6 / ((System.nanoTime() - t0) / 1e9);
                }
            }
            System.out.printf("blob write (%s, 20 MiB): %s; ratio to plain copy (medians): %.2f%n", mode,
                    BenchReport.stats(mbs, "MB/s"), BenchReport.median(mbs) / BenchReport.median(copyMBs));
        }

        for (boolean encrypted : new boolean[] {false, true}) {
            String mode = encrypted ? "encrypted" : "plain";
            char[] password = encrypted ? "bench-password".toCharArray() : null;
            Path location = work.resolve("restore-" + mode);
            try (BackupRepository repo = BackupRepository.create(FolderStore.open(location), CODEC, password, Clock.systemUTC())) {
                FetchedVault source = new FetchedVault(vault, ITEMS, true, List.of(new FetchedVault.AttachmentSource(
                        "bench", "item-1", "item-1", "attachment-1", "scan.bin", (long) ATTACHMENT_BYTES,
                        () -> Files.newInputStream(attachment))), 0);
                BackupRun.Committed first = repo.backup(source);
                long afterFirst = BenchReport.treeSize(location);
                repo.backup(source);
                long added = BenchReport.treeSize(location) - afterFirst;
                System.out.printf("second identical run (%s) adds %,d bytes (the first stored %,d)%n", mode, added, afterFirst);

                IndexDocument catalogue = repo.readIndex().catalogue();
                double[] ms = new double[ROUNDS];
                for (int i = -1; i < ROUNDS; i++) {
                    Path out = work.resolve("out-" + mode + "-" + (i + 1));
                    long t0 = System.nanoTime();
                    SnapshotRestore.toDirectory(repo.objects(), catalogue, first.snapshotId(), out);
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    deleteTree(out);
                }
                System.out.printf("restore snapshot (%s, 5,000 items + 20 MiB attachment): %s%n", mode, BenchReport.stats(ms, "ms"));
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
