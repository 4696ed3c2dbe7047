package io.vaultkeep.bench;

import io.vaultkeep.engine.account.EngineTuning;
import io.vaultkeep.engine.transfer.AttachmentTransfers;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.webdav.ApacheDav;
import io.vaultkeep.storage.store.webdav.WebDavStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Issue 13's figure for writes: step 3 of a run (store the new blobs) with {@value #ATTACHMENTS}
 * attachments of {@value #ATTACHMENT_KIB} KiB (encrypted), one after another
 * ({@link BackupRun#storeBlobs()}) against {@link AttachmentTransfers} with 2, 4 and 8 at once, on
 * a real Apache mod_dav over loopback and on a folder. Each attachment's source waits
 * {@value #DOWNLOAD_MS} ms before its first byte, as a download from a Bitwarden server does
 * (0 ms too: the store alone).
 *
 * <p>Run with {@code scripts/bench attachment-transfers [workdir]}. Prints figures; asserts nothing.
 */
public final class AttachmentTransfersBenchmark {

    private static final int ATTACHMENTS = 50;
    private static final int ATTACHMENT_KIB = 200;
    private static final int DOWNLOAD_MS = 20;
    private static final int ROUNDS = 5;
    private static final int[] PARALLELISM = {1, 2, 4, 8};

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "it-tests/target/bench")
                .resolve("transfers-" + UUID.randomUUID()));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench-transfers");
        Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(EngineTuning.BLOCKING_DISPATCHER));
        try (ApacheDav apache = ApacheDav.start()) {
            System.out.println("machine: " + BenchReport.machine());
            for (boolean webDav : new boolean[] {true, false}) {
                String where = webDav ? "WebDAV (Apache, loopback)" : "folder";
                for (int latencyMs : new int[] {0, DOWNLOAD_MS}) {
                    for (int parallelism : PARALLELISM) {
                        double[] ms = new double[ROUNDS];
                        for (int round = -1; round < ROUNDS; round++) {
                            try (ObjectStore store = webDav
                                    ? WebDavStore.open(apache.url("transfers-" + UUID.randomUUID()), ApacheDav.USER, ApacheDav.PASSWORD, null)
                                    : FolderStore.open(work.resolve("transfers-" + UUID.randomUUID()));
                                 BackupRepository repo = BackupRepository.create(store, new Zip4jCodec(),
                                         "bench backup password".toCharArray(), Clock.systemUTC())) {
                                BackupRun run = repo.startRun(vault(latencyMs));
                                run.plan();
                                long t0 = System.nanoTime();
                                if (parallelism == 1) {
                                    run.storeBlobs(); // today's step 3: one blob after another
                                } else {
                                    new AttachmentTransfers(system, blocking, parallelism).storePlanned(run)
                                            .toCompletableFuture().get(5, TimeUnit.MINUTES);
                                }
                                long t1 = System.nanoTime();
                                run.rollback();
                                if (round >= 0) {
                                    ms[round] = (t1 - t0) / 1e6;
                                }
                            }
                        }
                        System.out.printf("%s, %d ms to first byte, %s: store %d × %d KiB %s%n", where, latencyMs,
                                parallelism == 1 ? "serial (storeBlobs)" : "streamed, mapAsync(" + parallelism + ")",
                                ATTACHMENTS, ATTACHMENT_KIB, BenchReport.stats(ms, "ms"));
                    }
                }
            }
        } finally {
            system.terminate();
            RepositoryBenchmark.deleteTree(work);
        }
    }

    /** Random (incompressible) attachments whose reads wait {@code latencyMs} before the first byte. */
    private static FetchedVault vault(int latencyMs) {
        Random random = new Random(50);
        List<FetchedVault.AttachmentSource> attachments = new ArrayList<>();
        for (int i = 0; i < ATTACHMENTS; i++) {
            byte[] bytes = new byte[ATTACHMENT_KIB * 1024];
            random.nextBytes(bytes);
            attachments.add(new FetchedVault.AttachmentSource("bench", "item-" + i, "item-" + i, "att-" + i, "file-" + i + ".bin",
                    (long) bytes.length, () -> download(bytes, latencyMs)));
        }
        return new FetchedVault(BenchVaults.exportJson(ATTACHMENTS, 42), ATTACHMENTS, true, attachments, 0);
    }

    private static InputStream download(byte[] bytes, int latencyMs) throws IOException {
        if (latencyMs > 0) {
            try {
                Thread.sleep(latencyMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
        }
        return new ByteArrayInputStream(bytes);
    }
}
