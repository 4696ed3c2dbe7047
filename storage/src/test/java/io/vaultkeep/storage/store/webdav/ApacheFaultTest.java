package io.vaultkeep.storage.store.webdav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.store.LocationFullException;
import io.vaultkeep.storage.store.ObjectAlreadyExistsException;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults injected between the store and a real Apache: after each, a reader sees the whole object or
 * none, no temporary file is left behind, and the store either retried or reported the failure.
 */
class ApacheFaultTest {

    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    private static final int ATTEMPTS = 4;
    @RegisterExtension
    static final ApacheDav.PerClass APACHE = ApacheDav.perClass();

    private FaultProxy proxy;
    private WebDavStore store;
    private String collection;

    @BeforeEach
    void openStoreBehindProxy() throws IOException {
        proxy = new FaultProxy(APACHE.server().port());
        collection = "f" + COLLECTIONS.incrementAndGet();
        WebDavStore.Settings quick = WebDavStore.Settings.defaults()
                .withAttempts(ATTEMPTS, Duration.ofMillis(20), Duration.ofMillis(200))
                .withReadTimeout(Duration.ofMillis(1500));
        store = WebDavStore.open("http://127.0.0.1:" + proxy.port() + "/" + collection,
                ApacheDav.USER, ApacheDav.PASSWORD, null, quick);
    }

    @AfterEach
    void close() throws IOException {
        store.close();
        proxy.close();
    }

    @Test
    void serverErrorsOnUploadAreRetried() throws IOException {
        byte[] content = randomBytes(300_000);
        proxy.plan("PUT", new FaultProxy.Status(500));
        proxy.plan("PUT", new FaultProxy.Status(503));

        ObjectInfo created = store.create("blobs/ab/cd/b.zip", ObjectContent.ofBytes(content));

        assertEquals(content.length, created.size());
        assertArrayEquals(content, read("blobs/ab/cd/b.zip"));
        assertEquals(3L, count("PUT "), () -> proxy.seen().toString());
        assertNoTemporaryFiles();
    }

    @Test
    void lockedMoveIsRetried() throws IOException {
        proxy.plan("MOVE", new FaultProxy.Status(423));

        store.create("snapshots/s.zip", ObjectContent.ofBytes(utf8("snapshot")));

        assertArrayEquals(utf8("snapshot"), read("snapshots/s.zip"));
        assertEquals(2L, count("MOVE "), () -> proxy.seen().toString());
        assertNoTemporaryFiles();
    }

    @Test
    void insufficientStorageIsLocationFullAndNotRetried() throws IOException {
        proxy.plan("PUT", new FaultProxy.Status(507));

        assertThrows(LocationFullException.class,
                () -> store.create("blobs/ab/cd/b.zip", ObjectContent.ofBytes(randomBytes(10_000))));

        assertEquals(1L, count("PUT "), () -> proxy.seen().toString());
        assertTrue(store.stat("blobs/ab/cd/b.zip").isEmpty());
        assertEquals(List.of(), store.list(""));
        assertNoTemporaryFiles();
    }

    @Test
    void connectionResetMidUploadIsRetriedAndLeavesNoPartialObject() throws IOException {
        byte[] content = randomBytes(2 * 1024 * 1024);
        proxy.plan("PUT", new FaultProxy.ResetMidBody());

        store.create("blobs/ab/cd/big.zip", ObjectContent.ofBytes(content));

        assertArrayEquals(content, read("blobs/ab/cd/big.zip"));
        assertEquals(2L, count("PUT "), () -> proxy.seen().toString());
        assertNoTemporaryFiles();
    }

    @Test
    void resetOnEveryAttemptFailsWithNothingVisibleAndThePreviousObjectIntact() throws IOException {
        store.create("indexes/i.zip", ObjectContent.ofBytes(utf8("committed index")));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            proxy.plan("PUT", new FaultProxy.ResetMidBody());
        }

        IOException failed = assertThrows(IOException.class,
                () -> store.replace("indexes/i.zip", ObjectContent.ofBytes(randomBytes(500_000))));

        assertTrue(failed.getMessage().contains("after " + ATTEMPTS + " attempts"), failed.getMessage());
        assertArrayEquals(utf8("committed index"), read("indexes/i.zip"));
        assertEquals(List.of("indexes/i.zip"), store.list("").stream().map(ObjectInfo::key).toList());
        assertNoTemporaryFiles();
    }

    @Test
    void stalledResponseTimesOutAndIsRetried() throws IOException {
        store.create("snapshots/s.zip", ObjectContent.ofBytes(utf8("snapshot")));
        long before = count("GET "); // the create read its start back (Apache's fresh ETag is weak)
        proxy.plan("GET", new FaultProxy.Stall());

        assertArrayEquals(utf8("snap"), store.readRange("snapshots/s.zip", 0, 4));

        assertEquals(2L, count("GET ") - before, () -> proxy.seen().toString());
    }

    @Test
    void stalledMoveWhoseAnswerIsLostStillPublishesOnceWithoutAFalseConflict() throws IOException {
        // The proxy forwards nothing for a stalled MOVE, so it never happened: the store sees its
        // temporary file still there and MOVEs again, rather than reporting success or "exists".
        proxy.plan("MOVE", new FaultProxy.Stall());

        store.create("repo.zip", ObjectContent.ofBytes(utf8("repository")));

        assertArrayEquals(utf8("repository"), read("repo.zip"));
        assertEquals(2L, count("MOVE "), () -> proxy.seen().toString());
        assertNoTemporaryFiles();
    }

    @Test
    void aWonCreateIsConfirmedByOnePropfindOfTheKeyAndItsStartReadBack() throws IOException {
        int opened = proxy.seen().size();
        store.create("repo.zip", ObjectContent.ofBytes(utf8("repository")));

        List<String> create = proxy.seen().subList(opened, proxy.seen().size()).stream()
                .map(request -> request.replaceAll("\\.kg-tmp-[0-9a-f-]{36}\\.tmp", "TMP")).toList();
        // the early stat, the temporary file's size check, and after the MOVE one look at the key; Apache's ETag of
        // a file under a second old is weak (two racing writers' files of one size and clock tick share it), so the
        // object's start is read back too
        assertEquals(List.of("PROPFIND /" + collection + "/repo.zip", "PUT /" + collection + "/TMP",
                "PROPFIND /" + collection + "/TMP", "MOVE /" + collection + "/TMP",
                "PROPFIND /" + collection + "/repo.zip", "GET /" + collection + "/repo.zip"), create);
        assertArrayEquals(utf8("repository"), read("repo.zip"));
    }

    @Test
    void aCreateAnsweredWithSuccessWhileAnothersObjectIsInPlaceIsReportedAsExisting() throws IOException {
        store.create("repo.zip", ObjectContent.ofBytes(utf8("the other writer's repository")));
        // Two racing creates on Apache: both passed the existence check, both MOVEs were answered
        // with success, and the other writer's rename came last.
        proxy.plan("PROPFIND", new FaultProxy.Status(404)); // the early stat saw nothing yet
        proxy.plan("MOVE", new FaultProxy.Status(201));

        assertThrows(ObjectAlreadyExistsException.class,
                () -> store.create("repo.zip", ObjectContent.ofBytes(utf8("this writer's repository"))));

        assertArrayEquals(utf8("the other writer's repository"), read("repo.zip"));
        assertNoTemporaryFiles();
    }

    @Test
    void anotherSameSizedObjectInPlaceIsToldApartByItsContent() throws IOException {
        store.create("locks/writer.lock", ObjectContent.ofBytes(utf8("held by writer A")));
        long before = count("GET "); // writer A's create read its start back (Apache's fresh ETag is weak)
        Path stored = APACHE.server().files().resolve(collection).resolve("locks/writer.lock");
        // an older file: its ETag differs from our temporary file's, and only the bytes can tell
        Files.setLastModifiedTime(stored, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        proxy.plan("PROPFIND", new FaultProxy.Status(404));
        proxy.plan("MOVE", new FaultProxy.Status(201));

        assertThrows(ObjectAlreadyExistsException.class,
                () -> store.create("locks/writer.lock", ObjectContent.ofBytes(utf8("held by writer B"))));

        assertEquals(1L, count("GET ") - before, () -> proxy.seen().toString());
        assertArrayEquals(utf8("held by writer A"), read("locks/writer.lock"));
        assertNoTemporaryFiles();
    }

    @Test
    void rangeReadsAreRightWhenTheServerIgnoresRange() throws IOException {
        byte[] content = randomBytes(100_000);
        store.create("blobs/ab/cd/b.zip", ObjectContent.ofBytes(content));
        for (int i = 0; i < 3; i++) {
            proxy.plan("GET", new FaultProxy.IgnoreRange());
        }

        assertArrayEquals(java.util.Arrays.copyOfRange(content, 70_001, 70_101),
                store.readRange("blobs/ab/cd/b.zip", 70_001, 100));
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 99_990, 100_000),
                store.readRange("blobs/ab/cd/b.zip", 99_990, 1_000));
        assertArrayEquals(new byte[0], store.readRange("blobs/ab/cd/b.zip", 200_000, 10));
        assertEquals(3L, proxy.seen().stream().filter(request -> request.contains("IgnoreRange")).count());
    }

    private long count(String methodPrefix) {
        return proxy.seen().stream().filter(request -> request.startsWith(methodPrefix)).count();
    }

    private byte[] read(String key) throws IOException {
        try (InputStream in = store.read(key)) {
            return in.readAllBytes();
        }
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> paths = Files.walk(APACHE.server().files().resolve(collection))) {
            List<Path> temporary = paths.filter(path -> path.getFileName().toString().startsWith(".kg-tmp-")).toList();
            assertEquals(List.of(), temporary, "temporary files left on the server");
        }
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
