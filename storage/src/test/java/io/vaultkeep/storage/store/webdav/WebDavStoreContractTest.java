package io.vaultkeep.storage.store.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.protocol.repository.BlobEntry;
import io.vaultkeep.storage.repository.BackupRepository;
import io.vaultkeep.storage.repository.BackupRun;
import io.vaultkeep.storage.repository.TestVaults;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.ObjectStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The object store contract, and what every WebDAV server must show, against one real server per
 * test class (started once): each test gets a fresh, absent collection on it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebDavStoreContractTest extends ObjectStoreContract {

    private final AtomicInteger collections = new AtomicInteger();
    protected DavServer server;
    protected String collection;

    /** Starts the server under test. */
    protected abstract DavServer startServer() throws IOException;

    @BeforeAll
    void start() throws IOException {
        server = startServer();
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected ObjectStore newStore() throws IOException {
        collection = "t" + collections.incrementAndGet();
        return WebDavStore.open(server.url(collection), server.user(), server.password(), null);
    }

    @Test
    void staleTemporaryFilesAreNeverListedAndAreCleanedWhenOldEnough() throws IOException {
        store.create("blobs/ab/x.zip", ObjectContent.ofBytes(utf8("x")));
        Path folder = server.files().resolve(collection).resolve("blobs/ab");
        Path stale = Files.writeString(folder.resolve(".kg-tmp-" + "0".repeat(8) + ".tmp"), "interrupted");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path fresh = Files.writeString(folder.resolve(".kg-tmp-" + "1".repeat(8) + ".tmp"), "in flight");

        assertEquals(List.of("blobs/ab/x.zip"), keys(store.list("")));
        assertEquals(1, store.cleanTemporaryFiles(Duration.ofHours(1).toMillis()));

        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh), "a temporary file younger than the age is left to its writer");
        assertEquals(List.of("blobs/ab/x.zip"), keys(store.list("")));
    }

    @Test
    void openingCreatesTheCollectionAndItsMissingParentsAsAFolderLocationDoes() throws IOException {
        try (ObjectStore deep = WebDavStore.open(server.url(collection + "-parents/of/the/repo"), server.user(),
                server.password(), null)) {
            deep.create("repo.json", ObjectContent.ofBytes(utf8("{}")));
        }
        assertTrue(Files.isRegularFile(server.files().resolve(collection + "-parents/of/the/repo/repo.json")));
    }

    @Test
    void aWrongPasswordIsRefusedWhenOpening() {
        IOException refused = assertThrows(IOException.class,
                () -> WebDavStore.open(server.url(collection), server.user(), "wrong".toCharArray(), null));

        assertTrue(refused.getMessage().contains("401"), refused.getMessage());
        assertFalse(refused.getMessage().contains("wrong"), refused.getMessage());
    }

    @Test
    void describeNamesTheUrlAndNeverTheCredentials() {
        assertEquals("webdav " + server.url(collection) + "/", store.describe());
        assertFalse(store.describe().contains(new String(server.password())));
        assertFalse(store.describe().contains(server.user() + "@"));
    }

    @Test
    void aBlobTruncatedOnTheServerIsNotReusedBetweenReadBacks() throws IOException {
        byte[] bytes = TestVaults.randomBytes(40_000, 5);
        TestVaults.SettableClock clock = new TestVaults.SettableClock(Instant.parse("2026-11-01T10:00:00Z"));
        try (BackupRepository repo = BackupRepository.create(store, TestVaults.CODEC, null, clock)) {
            repo.backup(TestVaults.source(TestVaults.vaultJson(1, "one"), 1, TestVaults.attachment("item-0", "att", "a.bin", bytes)));
            BlobEntry blob = repo.readIndex().catalogue().blobs().values().iterator().next();
            Path file = server.files().resolve(collection).resolve(blob.path());
            Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 500));
            clock.advance(Duration.ofMinutes(5));

            BackupRun.Committed second = repo.backup(TestVaults.source(TestVaults.vaultJson(1, "two"), 1,
                    TestVaults.attachment("item-0", "att", "a.bin", bytes)));

            assertEquals(1, second.stats().newBlobCount(), "the server's size (one PROPFIND) gave the damage away");
            assertEquals(1, second.damagedBlobs().size());
            assertTrue(second.damagedBlobs().get(0).contains("its object has 500 bytes"), second.damagedBlobs().get(0));
        }
    }

    /**
     * Writers creating one missing location, or one folder, at once must all go on (mod_dav_fs
     * answers 403, not 405, to the MKCOL that loses such a race).
     */
    @Test
    void writersCreatingTheSameCollectionsAtOnceAllSucceed() throws Exception {
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 12; round++) {
                String url = server.url("race-" + collection + "-" + round + "/deep/repo");
                CyclicBarrier start = new CyclicBarrier(writers);
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    String key = "blobs/ab/cd/" + w + ".zip";
                    done.add(pool.submit(() -> {
                        start.await();
                        try (WebDavStore racing = WebDavStore.open(url, server.user(), server.password(), null)) {
                            racing.create(key, ObjectContent.ofBytes(utf8(key)));
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : done) {
                    writer.get(1, TimeUnit.MINUTES);
                }
                try (WebDavStore reader = WebDavStore.open(url, server.user(), server.password(), null)) {
                    assertEquals(writers, reader.list("blobs/ab/cd/").size(), "round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
