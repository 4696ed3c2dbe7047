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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract suite, and what is particular to WebDAV, against a real {@code rclone serve webdav}. */
class RcloneWebDavStoreTest extends ObjectStoreContract {

    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    private static RcloneDav rclone;

    private String collection;

    @BeforeAll
    static void startRclone() throws IOException {
        rclone = RcloneDav.start();
    }

    @AfterAll
    static void stopRclone() throws IOException {
        if (rclone != null) {
            rclone.close();
        }
    }

    @Override
    protected ObjectStore newStore() throws IOException {
        collection = "t" + COLLECTIONS.incrementAndGet();
        return WebDavStore.open(rclone.url(collection), RcloneDav.USER, RcloneDav.PASSWORD, null);
    }

    @Test
    void staleTemporaryFilesAreNeverListedAndAreCleanedWhenOldEnough() throws IOException {
        store.create("blobs/ab/x.zip", ObjectContent.ofBytes(utf8("x")));
        Path folder = rclone.files().resolve(collection).resolve("blobs/ab");
        Path stale = Files.writeString(folder.resolve(".kg-tmp-" + "0".repeat(8) + ".tmp"), "interrupted");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path fresh = Files.writeString(folder.resolve(".kg-tmp-" + "1".repeat(8) + ".tmp"), "in flight");

        assertEquals(List.of("blobs/ab/x.zip"), keys(store.list("")));
        assertEquals(1, store.cleanTemporaryFiles(Duration.ofHours(1).toMillis()));

        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh), "a temporary file younger than the age is left to its writer");
    }

    @Test
    void aWrongPasswordIsRefusedWhenOpening() {
        IOException refused = assertThrows(IOException.class,
                () -> WebDavStore.open(rclone.url(collection), RcloneDav.USER, "wrong".toCharArray(), null));

        assertTrue(refused.getMessage().contains("401"), refused.getMessage());
    }

    @Test
    void describeNamesTheUrlAndNeverTheCredentials() {
        assertEquals("webdav " + rclone.url(collection) + "/", store.describe());
        assertFalse(store.describe().contains(new String(RcloneDav.PASSWORD)));
    }
}
