package io.vaultkeep.storage.store.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.store.ObjectStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract suite, and what is particular to WebDAV, against a real Apache httpd with mod_dav. */
class ApacheWebDavStoreTest extends ObjectStoreContract {

    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    private static ApacheDav apache;

    private String collection;

    @BeforeAll
    static void startApache() throws IOException {
        apache = ApacheDav.start();
    }

    @AfterAll
    static void stopApache() throws IOException {
        if (apache != null) {
            apache.close();
        }
    }

    @Override
    protected ObjectStore newStore() throws IOException {
        collection = "t" + COLLECTIONS.incrementAndGet(); // each test gets a fresh, absent collection
        return WebDavStore.open(apache.url(collection), ApacheDav.USER, ApacheDav.PASSWORD, null);
    }

    @Test
    void writesPutATemporarySiblingWithContentLengthThenMoveItIntoPlace() throws IOException {
        ObjectContent streamed = ObjectContent.streaming(out -> out.write(utf8("twelve bytes")));

        store.create("snapshots/s.zip", streamed);
        store.replace("snapshots/s.zip", ObjectContent.ofBytes(utf8("replaced")));

        List<String> writes = apache.accessLog().stream()
                .filter(line -> line.contains("/" + collection + "/snapshots/"))
                .filter(line -> line.startsWith("PUT ") || line.startsWith("MOVE "))
                .toList();
        String temp = "/" + collection + "/snapshots/\\.kg-tmp-[0-9a-f-]{36}\\.tmp";
        assertEquals(4, writes.size(), writes::toString);
        assertTrue(writes.get(0).matches("PUT " + temp + " 201 cl=12 te=- ow=-"), writes.get(0));
        assertTrue(writes.get(1).matches("MOVE " + temp + " 201 cl=- te=- ow=F"), writes.get(1));
        assertTrue(writes.get(2).matches("PUT " + temp + " 201 cl=8 te=- ow=-"), writes.get(2));
        assertTrue(writes.get(3).matches("MOVE " + temp + " 204 cl=- te=- ow=T"), writes.get(3));
        assertArrayEqualsUtf8("replaced", "snapshots/s.zip");
    }

    @Test
    void aServerThatCannotMoveIsRefusedAndNothingIsWrittenInPlace() throws IOException {
        try (WebDavStore noMove = WebDavStore.open(apache.url("nomove/" + collection), ApacheDav.USER,
                ApacheDav.PASSWORD, null)) {
            IOException refused = assertThrows(IOException.class,
                    () -> noMove.create("snapshots/a.zip", ObjectContent.ofBytes(utf8("content"))));

            assertTrue(refused.getMessage().contains("atomic writes unsupported by webdav " + apache.url("nomove/")),
                    refused.getMessage());
            assertTrue(noMove.stat("snapshots/a.zip").isEmpty());
            assertEquals(List.of(), filesUnder(apache.files().resolve("nomove").resolve(collection)),
                    "neither the object nor its temporary file is left on the server");
        }
    }

    @Test
    void staleTemporaryFilesAreNeverListedAndAreCleanedWhenOldEnough() throws IOException {
        store.create("blobs/ab/x.zip", ObjectContent.ofBytes(utf8("x")));
        Path folder = apache.files().resolve(collection).resolve("blobs/ab");
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
        try (ObjectStore deep = WebDavStore.open(apache.url("parents/of/the/repo"), ApacheDav.USER, ApacheDav.PASSWORD, null)) {
            deep.create("repo.json", ObjectContent.ofBytes(utf8("{}")));
        }
        assertTrue(Files.isRegularFile(apache.files().resolve("parents/of/the/repo/repo.json")));
    }

    @Test
    void aWrongPasswordIsRefusedWhenOpening() {
        IOException refused = assertThrows(IOException.class,
                () -> WebDavStore.open(apache.url(collection), ApacheDav.USER, "wrong".toCharArray(), null));

        assertTrue(refused.getMessage().contains("401"), refused.getMessage());
    }

    @Test
    void describeNamesTheUrlAndNeverTheCredentials() {
        assertEquals("webdav " + apache.url(collection) + "/", store.describe());
        assertFalse(store.describe().contains(new String(ApacheDav.PASSWORD)));
        assertFalse(store.describe().contains(ApacheDav.USER + "@"));
    }

    private void assertArrayEqualsUtf8(String expected, String key) throws IOException {
        assertEquals(expected, new String(readAll(key), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }
}
