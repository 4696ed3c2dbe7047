package io.vaultkeep.storage.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ObjectStore} must have. An implementation's test extends this class
 * and supplies {@link #newStore()}; it is shipped in storage's test jar so that stores in other
 * modules (WebDAV) run the same suite.
 */
public abstract class ObjectStoreContract {

    /** The store under test, fresh for each test. */
    protected ObjectStore store;

    /** A store over an empty location. Called once before each test. */
    protected abstract ObjectStore newStore() throws Exception;

    /** Called after each test, before the store is closed: remove whatever the location holds, if it outlives the test. */
    protected void cleanUp(ObjectStore store) throws Exception {}

    @BeforeEach
    final void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    final void closeStore() throws Exception {
        try {
            cleanUp(store);
        } finally {
            store.close();
        }
    }

    // ---- create, replace, read

    @Test
    void createdObjectReadsBackIdentically() throws IOException {
        byte[] content = utf8("the first snapshot");

        ObjectInfo created = store.create("snapshots/one.zip", ObjectContent.ofBytes(content));

        assertEquals("snapshots/one.zip", created.key());
        assertEquals(content.length, created.size());
        assertArrayEquals(content, readAll("snapshots/one.zip"));
    }

    @Test
    void createOnAnExistingKeyFailsAndKeepsTheFirstContent() throws IOException {
        store.create("repo.zip", ObjectContent.ofBytes(utf8("first")));

        assertThrows(ObjectAlreadyExistsException.class,
                () -> store.create("repo.zip", ObjectContent.ofBytes(utf8("second, longer"))));

        assertArrayEquals(utf8("first"), readAll("repo.zip"));
        assertEquals(5, store.stat("repo.zip").orElseThrow().size());
    }

    @Test
    void replaceOverwritesAnExistingObject() throws IOException {
        store.create("indexes/i.zip", ObjectContent.ofBytes(utf8("old content, longer")));

        ObjectInfo replaced = store.replace("indexes/i.zip", ObjectContent.ofBytes(utf8("new")));

        assertEquals(3, replaced.size());
        assertArrayEquals(utf8("new"), readAll("indexes/i.zip"));
        assertEquals(3, store.stat("indexes/i.zip").orElseThrow().size());
    }

    @Test
    void replaceCreatesAnAbsentObject() throws IOException {
        store.replace("a/b.bin", ObjectContent.ofBytes(utf8("made by replace")));

        assertArrayEquals(utf8("made by replace"), readAll("a/b.bin"));
    }

    @Test
    void racingCreatesOnOneKeyHaveExactlyOneWinnerWhoseContentIsStored() throws Exception {
        int writers = 16;
        String key = "repo.zip";
        List<byte[]> contents = new ArrayList<>();
        for (int writer = 0; writer < writers; writer++) {
            contents.add(randomBytes(256 * 1024, writer)); // large enough for the writes to overlap
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                byte[] content = contents.get(writer);
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.create(key, ObjectContent.ofBytes(content));
                        return true;
                    } catch (ObjectAlreadyExistsException lost) {
                        return false;
                    }
                }));
            }
            start.countDown();

            List<Integer> winners = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                if (outcomes.get(writer).get(60, TimeUnit.SECONDS)) {
                    winners.add(writer);
                }
            }
            assertEquals(1, winners.size(), "writers that succeeded: " + winners);
            assertArrayEquals(contents.get(winners.get(0)), readAll(key), "the stored content is the winner's");
            assertEquals(List.of(key), keys(store.list("")), "no temporary objects are visible");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readOfAMissingKeyThrowsObjectNotFound() {
        assertThrows(ObjectNotFoundException.class, () -> store.read("snapshots/missing.zip"));
        assertThrows(ObjectNotFoundException.class, () -> store.readRange("snapshots/missing.zip", 0, 10));
    }

    @Test
    void emptyObjectIsStoredReadListedAndStatted() throws IOException {
        ObjectInfo created = store.create("empty.bin", ObjectContent.ofBytes(new byte[0]));

        assertEquals(0, created.size());
        assertArrayEquals(new byte[0], readAll("empty.bin"));
        assertEquals(0, store.stat("empty.bin").orElseThrow().size());
        assertArrayEquals(new byte[0], store.readRange("empty.bin", 0, 10));
        assertEquals(List.of("empty.bin"), keys(store.list("")));
    }

    @Test
    void fiveMegabyteObjectRoundTrips() throws IOException {
        byte[] content = randomBytes(5 * 1024 * 1024, 5);

        ObjectInfo created = store.create("blobs/55/55/large.zip", ObjectContent.ofBytes(content));

        assertEquals(content.length, created.size());
        assertEquals(content.length, store.stat("blobs/55/55/large.zip").orElseThrow().size());
        assertArrayEquals(content, readAll("blobs/55/55/large.zip"));
    }

    @Test
    void deepKeysAreStoredAndListed() throws IOException {
        String blobId = UUID.randomUUID().toString();
        String key = "blobs/" + blobId.substring(0, 2) + "/" + blobId.substring(2, 4) + "/" + blobId + ".zip";

        store.create(key, ObjectContent.ofBytes(utf8("attachment")));

        assertArrayEquals(utf8("attachment"), readAll(key));
        assertEquals(List.of(key), keys(store.list("blobs/" + blobId.substring(0, 2) + "/")));
    }

    @Test
    void streamingContentOfUnknownSizeIsStoredWithItsActualSize() throws IOException {
        ObjectContent streaming = ObjectContent.streaming(out -> {
            for (int chunk = 0; chunk < 3; chunk++) {
                out.write(utf8("chunk " + chunk + ";"));
            }
        });
        assertEquals(-1, streaming.size());

        ObjectInfo created = store.create("snapshots/streamed.zip", streaming);

        byte[] expected = utf8("chunk 0;chunk 1;chunk 2;");
        assertEquals(expected.length, created.size());
        assertArrayEquals(expected, readAll("snapshots/streamed.zip"));
        assertEquals(expected.length, store.stat("snapshots/streamed.zip").orElseThrow().size());
    }

    // ---- failed writes

    @Test
    void writerFailingMidwayLeavesNoObjectAndNoVisibleTemporaryObject() throws IOException {
        IOException boom = new IOException("the source broke");
        ObjectContent failing = ObjectContent.streaming(out -> {
            out.write(randomBytes(100_000, 1));
            throw boom;
        });

        IOException thrown = assertThrows(IOException.class, () -> store.create("snapshots/broken.zip", failing));

        assertTrue(causeChainContains(thrown, boom), "the writer's failure is reported: " + thrown);
        assertTrue(store.stat("snapshots/broken.zip").isEmpty());
        assertThrows(ObjectNotFoundException.class, () -> store.read("snapshots/broken.zip"));
        assertEquals(List.of(), store.list(""), "nothing is visible after the failure");
    }

    @Test
    void failedReplaceLeavesThePreviousContent() throws IOException {
        store.create("indexes/i.zip", ObjectContent.ofBytes(utf8("committed index")));

        assertThrows(IOException.class, () -> store.replace("indexes/i.zip", ObjectContent.streaming(out -> {
            out.write(utf8("half an ind"));
            throw new IOException("interrupted");
        })));

        assertArrayEquals(utf8("committed index"), readAll("indexes/i.zip"));
        assertEquals(List.of("indexes/i.zip"), keys(store.list("")));
    }

    @Test
    void failedCreateCanBeRetried() throws IOException {
        assertThrows(IOException.class, () -> store.create("repo.zip", ObjectContent.streaming(out -> {
            throw new IOException("first attempt fails");
        })));

        store.create("repo.zip", ObjectContent.ofBytes(utf8("second attempt")));

        assertArrayEquals(utf8("second attempt"), readAll("repo.zip"));
    }

    // ---- ranged reads

    @Test
    void readRangeFromTheStart() throws IOException {
        store.create("r.bin", ObjectContent.ofBytes(utf8("0123456789")));

        assertArrayEquals(utf8("0123"), store.readRange("r.bin", 0, 4));
    }

    @Test
    void readRangeFromTheMiddle() throws IOException {
        store.create("r.bin", ObjectContent.ofBytes(utf8("0123456789")));

        assertArrayEquals(utf8("345"), store.readRange("r.bin", 3, 3));
    }

    @Test
    void readRangeLongerThanTheRestReturnsTheRest() throws IOException {
        store.create("r.bin", ObjectContent.ofBytes(utf8("0123456789")));

        assertArrayEquals(utf8("789"), store.readRange("r.bin", 7, 100));
        assertArrayEquals(utf8("0123456789"), store.readRange("r.bin", 0, Integer.MAX_VALUE));
    }

    @Test
    void readRangeAtOrPastTheEndIsEmpty() throws IOException {
        store.create("r.bin", ObjectContent.ofBytes(utf8("0123456789")));

        assertArrayEquals(new byte[0], store.readRange("r.bin", 10, 5));
        assertArrayEquals(new byte[0], store.readRange("r.bin", 1_000, 5));
    }

    @Test
    void readRangeOfALargeObjectReadsTheRightBytes() throws IOException {
        byte[] content = randomBytes(1024 * 1024 + 17, 9);
        store.create("big.bin", ObjectContent.ofBytes(content));

        int offset = 700_001;
        assertArrayEquals(Arrays.copyOfRange(content, offset, offset + 65_536),
                store.readRange("big.bin", offset, 65_536));
    }

    // ---- stat, list, delete

    @Test
    void statOfAMissingKeyIsEmpty() throws IOException {
        assertTrue(store.stat("nothing/here.zip").isEmpty());
    }

    @Test
    void statReportsKeyAndSize() throws IOException {
        store.create("snapshots/s.zip", ObjectContent.ofBytes(new byte[1234]));

        ObjectInfo info = store.stat("snapshots/s.zip").orElseThrow();

        assertEquals("snapshots/s.zip", info.key());
        assertEquals(1234, info.size());
    }

    @Test
    void listByPrefixIsRecursiveSortedAndExcludesOtherPrefixes() throws IOException {
        for (String key : List.of("blobs/zz/00/z.zip", "snapshots/b.zip", "blobs/ab/ef/y.zip", "repo.zip",
                "blobsX/not-a-blob.zip", "blobs/ab/cd/x.zip", "snapshots/a.zip", "indexes/1.zip")) {
            store.create(key, ObjectContent.ofBytes(utf8(key)));
        }

        assertEquals(List.of("blobs/ab/cd/x.zip", "blobs/ab/ef/y.zip", "blobs/zz/00/z.zip"), keys(store.list("blobs/")));
        assertEquals(List.of("blobs/ab/cd/x.zip", "blobs/ab/ef/y.zip"), keys(store.list("blobs/ab")));
        assertEquals(List.of("snapshots/a.zip", "snapshots/b.zip"), keys(store.list("snapshots/")));
        assertEquals(List.of("blobs/ab/cd/x.zip", "blobs/ab/ef/y.zip", "blobs/zz/00/z.zip",
                        "blobsX/not-a-blob.zip", "indexes/1.zip", "repo.zip", "snapshots/a.zip", "snapshots/b.zip"),
                keys(store.list("")));
    }

    @Test
    void listReportsEachObjectsSize() throws IOException {
        store.create("snapshots/a.zip", ObjectContent.ofBytes(new byte[3]));
        store.create("snapshots/b.zip", ObjectContent.ofBytes(new byte[70_000]));

        List<ObjectInfo> listed = store.list("snapshots/");

        assertEquals(List.of(3L, 70_000L), listed.stream().map(ObjectInfo::size).toList());
    }

    @Test
    void listOfAnAbsentPrefixIsEmpty() throws IOException {
        store.create("snapshots/a.zip", ObjectContent.ofBytes(utf8("a")));

        assertEquals(List.of(), store.list("indexes/"));
        assertEquals(List.of(), store.list("no/such/folder/"));
        assertEquals(List.of(), store.list("snapshots/b"));
    }

    @Test
    void deleteIsIdempotent() throws IOException {
        store.create("snapshots/a.zip", ObjectContent.ofBytes(utf8("a")));

        assertTrue(store.delete("snapshots/a.zip"));
        assertTrue(store.stat("snapshots/a.zip").isEmpty());
        assertFalse(store.delete("snapshots/a.zip"));
        assertFalse(store.delete("never/existed.zip"));
    }

    @Test
    void deletedKeyCanBeCreatedAgain() throws IOException {
        store.create("snapshots/a.zip", ObjectContent.ofBytes(utf8("first")));
        store.delete("snapshots/a.zip");

        store.create("snapshots/a.zip", ObjectContent.ofBytes(utf8("second")));

        assertArrayEquals(utf8("second"), readAll("snapshots/a.zip"));
    }

    // ---- the location test

    @Test
    void locationProbePassesAndLeavesNothingBehind() throws IOException {
        LocationProbe.Result result = new LocationProbe(store).run();

        assertTrue(result.ok(), () -> "steps: " + result.steps());
        assertEquals(List.of("create", "stat", "read", "read range", "list", "delete", "gone"),
                result.steps().stream().map(LocationProbe.Step::name).toList());
        assertTrue(result.probeKey().matches("health-check/\\d{13}-[0-9a-f]{16}\\.probe"), result.probeKey());
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void describeNamesTheLocation() {
        assertFalse(store.describe().isBlank());
    }

    // ---- helpers for the tests above

    protected byte[] readAll(String key) throws IOException {
        try (InputStream in = store.read(key)) {
            return in.readAllBytes();
        }
    }

    protected static List<String> keys(List<ObjectInfo> infos) {
        return infos.stream().map(ObjectInfo::key).toList();
    }

    protected static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static boolean causeChainContains(Throwable thrown, Throwable expected) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t == expected) {
                return true;
            }
        }
        return false;
    }
}
