package io.vaultkeep.engine.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.engine.account.EngineTuning;
import io.vaultkeep.storage.archive.Zip4jCodec;
import io.vaultkeep.storage.check.RepositoryCheck;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.repository.RepositoryPaths;
import io.vaultkeep.storage.restore.SnapshotRestore;
import io.vaultkeep.storage.store.FolderStore;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.webdav.ApacheDav;
import io.vaultkeep.storage.store.webdav.WebDavStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The attachments of a run stored as a stream, to a folder and to a real Apache WebDAV. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttachmentTransfersTest {

    @RegisterExtension
    static final ApacheDav.PerClass APACHE = ApacheDav.perClass();

    private static final int ATTACHMENTS = 20;

    @TempDir
    Path temp;

    private ActorTestKit testKit;
    private Executor blocking;

    @BeforeAll
    void actorSystem() {
        testKit = ActorTestKit.create();
        blocking = testKit.system().dispatchers().lookup(DispatcherSelector.fromConfig(EngineTuning.BLOCKING_DISPATCHER));
    }

    @AfterAll
    void shutDown() {
        testKit.shutdownTestKit();
    }

    /** Tracks how many attachment reads are open at once. */
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();

    /** @param failing whether the transfer fails (the plan, which reads the attachment first to hash it, does not) */
    private FetchedVault.AttachmentSource attachment(int i, byte[] bytes, boolean failing) {
        AtomicInteger opened = new AtomicInteger();
        return new FetchedVault.AttachmentSource("acc", "item-" + i, "item-" + i, "att-" + i, "file-" + i + ".bin",
                (long) bytes.length, () -> {
                    if (failing && opened.incrementAndGet() > 1) {
                        throw new IOException("the server dropped the download of att-" + i);
                    }
                    mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    return new ByteArrayInputStream(bytes) {
                        @Override
                        public void close() throws IOException {
                            open.decrementAndGet();
                            super.close();
                        }
                    };
                });
    }

    private List<byte[]> contents() {
        Random random = new Random(6);
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < ATTACHMENTS; i++) {
            byte[] bytes = new byte[20_000 + 1_000 * i];
            random.nextBytes(bytes);
            contents.add(bytes);
        }
        return contents;
    }

    private FetchedVault vault(List<byte[]> contents, int failingIndex) {
        List<FetchedVault.AttachmentSource> attachments = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            attachments.add(attachment(i, contents.get(i), i == failingIndex));
        }
        return new FetchedVault("{\"items\":[]}".getBytes(StandardCharsets.UTF_8), 0, true, attachments, 0);
    }

    private void storesEveryAttachmentAndTheSnapshotRestores(ObjectStore store) throws Exception {
        List<byte[]> contents = contents();
        try (BackupRepository repo = BackupRepository.create(store, new Zip4jCodec(), "pw".toCharArray(), Clock.systemUTC())) {
            BackupRun run = repo.startRun(vault(contents, -1));
            BackupRun.Plan plan = run.plan();
            assertEquals(ATTACHMENTS, plan.newBlobIds().size());
            List<String> stored = new AttachmentTransfers(testKit.system(), blocking, 4).storePlanned(run)
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(plan.newBlobIds(), stored, "plan order");
            assertTrue(mostOpen.get() <= 4, "at most 4 transfers at once: " + mostOpen.get());
            run.writeSnapshot();
            BackupRun.Committed committed = run.commit();
            assertTrue(RepositoryCheck.run(repo, true).ok());
            Path out = temp.resolve("restored-" + UUID.randomUUID());
            SnapshotRestore.toDirectory(repo.objects(), repo.readIndex().catalogue(), committed.snapshotId(), out);
            for (int i = 0; i < ATTACHMENTS; i++) {
                assertArrayEquals(contents.get(i), Files.readAllBytes(out.resolve("attachments/att-" + i + "/file-" + i + ".bin")));
            }
        }
    }

    @Test
    void storesEveryAttachmentOfARunToAFolder() throws Exception {
        storesEveryAttachmentAndTheSnapshotRestores(FolderStore.open(temp.resolve("repo")));
    }

    @Test
    void storesEveryAttachmentOfARunToApacheWebDav() throws Exception {
        ApacheDav apache = APACHE.server();
        storesEveryAttachmentAndTheSnapshotRestores(WebDavStore.open(apache.url("transfers-" + UUID.randomUUID()), ApacheDav.USER,
                ApacheDav.PASSWORD, null));
    }

    @Test
    void aFailedTransferFailsTheRunOnlyOnceNoneIsInFlightAndTheRollbackLeavesNothing() throws Exception {
        Path root = temp.resolve("failing");
        try (BackupRepository repo = BackupRepository.create(FolderStore.open(root), new Zip4jCodec(), null, Clock.systemUTC())) {
            BackupRun run = repo.startRun(vault(contents(), 7));
            run.plan();
            CompletionException failure = assertThrows(CompletionException.class,
                    () -> new AttachmentTransfers(testKit.system(), blocking, 4).storePlanned(run).toCompletableFuture().join());
            IOException cause = assertInstanceOf(IOException.class, failure.getCause());
            assertEquals("the server dropped the download of att-7", cause.getMessage());
            assertEquals(0, open.get(), "every transfer started has ended");
            run.rollback();
            assertEquals(List.of(), repo.objects().store().list(RepositoryPaths.BLOBS), "the rollback removed every blob written");
        }
    }
}
