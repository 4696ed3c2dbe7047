package io.vaultkeep.storage.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FolderStoreTest extends ObjectStoreContract {

    @TempDir
    Path temp;

    private Path root;

    @Override
    protected ObjectStore newStore() throws IOException {
        root = temp.resolve("location"); // absent: the store creates it
        return FolderStore.open(root);
    }

    @Test
    void createsFoldersAs0700AndFilesAs0600() throws IOException {
        assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"), "not a POSIX file system");

        store.create("blobs/ab/cd/abcd.zip", ObjectContent.ofBytes(utf8("secret")));
        store.replace("indexes/1.zip", ObjectContent.ofBytes(utf8("secret too")));

        for (Path folder : List.of(root, root.resolve("blobs"), root.resolve("blobs/ab"),
                root.resolve("blobs/ab/cd"), root.resolve("indexes"))) {
            assertEquals("rwx------", mode(folder), folder.toString());
        }
        assertEquals("rw-------", mode(root.resolve("blobs/ab/cd/abcd.zip")));
        assertEquals("rw-------", mode(root.resolve("indexes/1.zip")));
    }

    @Test
    void keepsTheModeOfFoldersItDidNotCreate() throws IOException {
        assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"), "not a POSIX file system");
        Path shared = temp.resolve("shared");
        Files.createDirectory(shared);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-x---"));

        FolderStore.open(shared).create("repo.zip", ObjectContent.ofBytes(utf8("r")));

        assertEquals("rwxr-x---", mode(shared));
        assertEquals("rw-------", mode(shared.resolve("repo.zip")));
    }

    @Test
    void objectsAreFilesUnderTheRoot() throws IOException {
        store.create("snapshots/20260528104211-x.zip", ObjectContent.ofBytes(utf8("snapshot")));

        assertArrayEquals(utf8("snapshot"), Files.readAllBytes(root.resolve("snapshots/20260528104211-x.zip")));
    }

    @Test
    void statReportsTheFilesModificationTime() throws IOException {
        Instant before = Instant.now().minusSeconds(2);

        ObjectInfo created = store.create("repo.zip", ObjectContent.ofBytes(utf8("r")));

        Instant lastModified = store.stat("repo.zip").orElseThrow().lastModified();
        assertNotNull(lastModified);
        assertTrue(!lastModified.isBefore(before) && !lastModified.isAfter(Instant.now().plusSeconds(2)), lastModified.toString());
        assertEquals(Files.getLastModifiedTime(root.resolve("repo.zip")).toInstant(), lastModified);
        assertEquals(lastModified, created.lastModified());
    }

    @Test
    void strayTemporaryFileIsNotListed() throws IOException {
        store.create("snapshots/a.zip", ObjectContent.ofBytes(utf8("a")));
        Files.write(root.resolve("snapshots/.kg-tmp-x.tmp"), utf8("half written"));
        Files.write(root.resolve(".kg-tmp-y.tmp"), utf8("half written"));

        assertEquals(List.of("snapshots/a.zip"), keys(store.list("")));
        assertEquals(List.of("snapshots/a.zip"), keys(store.list("snapshots/")));
    }

    @Test
    void foldersAndSymlinksAreNotListedAsObjects() throws IOException {
        store.create("snapshots/a.zip", ObjectContent.ofBytes(utf8("a")));
        Files.createDirectories(root.resolve("snapshots/empty-folder"));
        Files.createSymbolicLink(root.resolve("snapshots/link.zip"), root.resolve("snapshots/a.zip"));

        assertEquals(List.of("snapshots/a.zip"), keys(store.list("")));
    }

    @Test
    void aSymlinkedFolderInsideTheLocationIsNeverFollowed() throws IOException {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere/cd"));
        Path precious = Files.writeString(elsewhere.resolve("precious.zip"), "keep me");
        Files.createDirectories(root.resolve("blobs"));
        Files.createSymbolicLink(root.resolve("blobs/zz"), temp.resolve("elsewhere"));
        String key = "blobs/zz/cd/precious.zip";
        ObjectContent content = ObjectContent.ofBytes(utf8("x"));

        for (StoreCall call : List.<StoreCall>of(() -> store.delete(key), () -> store.read(key), () -> store.stat(key),
                () -> store.readRange(key, 0, 4), () -> store.replace(key, content),
                () -> store.create("blobs/zz/cd/new.zip", content), () -> store.list("blobs/zz/"))) {
            OutsideLocationException refused = assertThrows(OutsideLocationException.class, call::run);
            assertTrue(refused.getMessage().contains("is a symbolic link"), refused.getMessage());
        }
        assertEquals("keep me", Files.readString(precious));
        assertFalse(Files.exists(elsewhere.resolve("new.zip")));
        assertEquals(List.of(), keys(store.list("blobs/")), "a listing does not descend into the link either");
    }

    @Test
    void aSymlinkedObjectIsNotAnObject() throws IOException {
        Path outside = Files.writeString(temp.resolve("outside.zip"), "outside");
        Files.createDirectories(root.resolve("snapshots"));
        Files.createSymbolicLink(root.resolve("snapshots/link.zip"), outside);

        assertEquals(Optional.empty(), store.stat("snapshots/link.zip"));
        assertThrows(ObjectNotFoundException.class, () -> store.read("snapshots/link.zip"));
        assertThrows(ObjectNotFoundException.class, () -> store.readRange("snapshots/link.zip", 0, 1));
        assertFalse(store.delete("snapshots/link.zip"));
        assertTrue(Files.isSymbolicLink(root.resolve("snapshots/link.zip")), "the link is left alone");
        assertEquals("outside", Files.readString(outside));
    }

    @FunctionalInterface
    private interface StoreCall {
        Object run() throws IOException;
    }

    @Test
    void cleanTemporaryFilesRemovesOnlyOldTemporaryFiles() throws IOException {
        store.create("blobs/ab/cd/abcd.zip", ObjectContent.ofBytes(utf8("blob")));
        Path oldAtRoot = plantTemporaryFile(root.resolve(".kg-tmp-1.tmp"), Duration.ofHours(2));
        Path oldDeep = plantTemporaryFile(root.resolve("blobs/ab/cd/.kg-tmp-2.tmp"), Duration.ofHours(2));
        Path fresh = plantTemporaryFile(root.resolve("blobs/.kg-tmp-3.tmp"), Duration.ZERO);
        Files.setLastModifiedTime(root.resolve("blobs/ab/cd/abcd.zip"), FileTime.from(Instant.now().minus(Duration.ofDays(30))));

        int removed = store.cleanTemporaryFiles(Duration.ofHours(1).toMillis());

        assertEquals(2, removed);
        assertFalse(Files.exists(oldAtRoot));
        assertFalse(Files.exists(oldDeep));
        assertTrue(Files.exists(fresh), "a write in flight keeps its temporary file");
        assertTrue(Files.exists(root.resolve("blobs/ab/cd/abcd.zip")), "old objects are not temporary files");
        assertEquals(0, store.cleanTemporaryFiles(Duration.ofHours(1).toMillis()));
    }

    @Test
    void writerFailingMidwayLeavesNoTemporaryFileOnDisk() throws IOException {
        assertThrows(IOException.class, () -> store.create("blobs/ab/cd/abcd.zip", ObjectContent.streaming(out -> {
            out.write(new byte[200_000]);
            throw new IOException("source broke");
        })));

        assertEquals(List.of(), temporaryFilesOnDisk());
        assertFalse(Files.exists(root.resolve("blobs/ab/cd/abcd.zip")));
    }

    @Test
    void successfulWritesLeaveNoTemporaryFileOnDisk() throws IOException {
        store.create("repo.zip", ObjectContent.ofBytes(utf8("r")));
        store.replace("indexes/1.zip", ObjectContent.ofBytes(utf8("i")));
        store.replace("indexes/1.zip", ObjectContent.ofBytes(utf8("i2")));
        assertThrows(ObjectAlreadyExistsException.class, () -> store.create("repo.zip", ObjectContent.ofBytes(utf8("again"))));

        assertEquals(List.of(), temporaryFilesOnDisk());
    }

    @Test
    void losingCreateRaceLeavesNoTemporaryFileOnDisk() throws IOException {
        // The early existence check is passed, then another writer publishes first: the hard link must refuse.
        ObjectContent overtaken = ObjectContent.streaming(out -> {
            out.write(utf8("loser"));
            Files.write(root.resolve("repo.zip"), utf8("winner"));
        });

        assertThrows(ObjectAlreadyExistsException.class, () -> store.create("repo.zip", overtaken));

        assertArrayEquals(utf8("winner"), readAll("repo.zip"));
        assertEquals(List.of(), temporaryFilesOnDisk());
    }

    @Test
    void contentShorterThanItsDeclaredSizeIsRejected() throws IOException {
        ObjectContent lying = new ObjectContent() {
            @Override public long size() { return 100; }
            @Override public void writeTo(OutputStream out) throws IOException { out.write(new byte[60]); }
        };

        IOException thrown = assertThrows(IOException.class, () -> store.create("repo.zip", lying));

        assertEquals("content declared 100 bytes but wrote 60", thrown.getMessage());
        assertTrue(store.stat("repo.zip").isEmpty());
        assertEquals(List.of(), temporaryFilesOnDisk());
    }

    @Test
    void writerThatClosesTheStreamLikeAZipWriterIsStoredWhole() throws IOException {
        ObjectContent zip = ObjectContent.streaming(out -> {
            try (ZipOutputStream zipOut = new ZipOutputStream(out)) { // closes `out` when done
                zipOut.putNextEntry(new ZipEntry("attachment.bin"));
                zipOut.write(utf8("attachment bytes"));
                zipOut.closeEntry();
            }
        });

        ObjectInfo created = store.create("blobs/ab/cd/abcd.zip", zip);

        assertTrue(created.size() > 0);
        try (var zipIn = new ZipInputStream(store.read("blobs/ab/cd/abcd.zip"))) {
            assertEquals("attachment.bin", zipIn.getNextEntry().getName());
            assertArrayEquals(utf8("attachment bytes"), zipIn.readAllBytes());
        }
    }

    @Test
    void diskFullDuringTheWriteIsReportedAsLocationFull() throws IOException {
        // What FileChannel.write throws on ENOSPC, surfacing through the content writer as it would.
        ObjectContent onFullDisk = ObjectContent.streaming(out -> {
            out.write(new byte[1000]);
            throw new IOException("No space left on device");
        });

        LocationFullException thrown = assertThrows(LocationFullException.class,
                () -> store.create("blobs/ab/cd/abcd.zip", onFullDisk));

        assertEquals("location full: folder " + root.toRealPath(), thrown.getMessage());
        assertEquals("No space left on device", thrown.getCause().getMessage());
        assertEquals(List.of(), temporaryFilesOnDisk());
    }

    @Test
    void keyThroughAFileIsNotFound() throws IOException {
        store.create("snapshots", ObjectContent.ofBytes(utf8("a file where a folder could be")));

        assertThrows(ObjectNotFoundException.class, () -> store.read("snapshots/a.zip"));
        assertThrows(ObjectNotFoundException.class, () -> store.readRange("snapshots/a.zip", 0, 1));
        assertEquals(Optional.empty(), store.stat("snapshots/a.zip"));
        assertFalse(store.delete("snapshots/a.zip"));
        assertEquals(List.of(), store.list("snapshots/"));
    }

    @Test
    void folderIsNotAnObject() throws IOException {
        store.create("snapshots/a.zip", ObjectContent.ofBytes(utf8("a")));

        assertThrows(ObjectNotFoundException.class, () -> store.read("snapshots"));
        assertEquals(Optional.empty(), store.stat("snapshots"));
        assertFalse(store.delete("snapshots"));
        assertTrue(Files.isDirectory(root.resolve("snapshots")));
    }

    @Test
    void deleteKeepsTheParentFolders() throws IOException {
        store.create("blobs/ab/cd/abcd.zip", ObjectContent.ofBytes(utf8("blob")));

        assertTrue(store.delete("blobs/ab/cd/abcd.zip"));

        assertTrue(Files.isDirectory(root.resolve("blobs/ab/cd")));
    }

    @Test
    void missingRootIsNotSilentlyRecreatedOnWrite() throws IOException {
        Files.delete(root); // e.g. the drive was unmounted after the store was opened

        assertThrows(IOException.class, () -> store.create("repo.zip", ObjectContent.ofBytes(utf8("r"))));
        assertFalse(Files.exists(root));
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void rootReachedThroughASymlinkWorks() throws IOException {
        Path link = Files.createSymbolicLink(temp.resolve("link-to-location"), root);
        FolderStore throughLink = FolderStore.open(link);

        throughLink.create("snapshots/a.zip", ObjectContent.ofBytes(utf8("a")));

        assertEquals(List.of("snapshots/a.zip"), keys(throughLink.list("")));
        assertArrayEquals(utf8("a"), readAll("snapshots/a.zip"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x", "/x", "a//b", "a\\b", "a/", ".", "a/./b", "a/../b", "..", "a\0b",
            "snapshots/.kg-tmp-1.tmp"})
    void invalidKeysAreRejectedBeforeTouchingTheDisk(String key) throws IOException {
        ObjectContent content = ObjectContent.ofBytes(utf8("x"));

        assertThrows(IllegalArgumentException.class, () -> store.create(key, content));
        assertThrows(IllegalArgumentException.class, () -> store.replace(key, content));
        assertThrows(IllegalArgumentException.class, () -> store.read(key));
        assertThrows(IllegalArgumentException.class, () -> store.readRange(key, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> store.stat(key));
        assertThrows(IllegalArgumentException.class, () -> store.delete(key));
        assertFalse(Files.exists(temp.resolve("x")), "nothing was written outside the root");
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(List.of(root), files.toList(), "nothing was written inside the root");
        }
    }

    @Test
    void invalidKeyMessageNamesTheProblem() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> store.stat("../secrets"));

        assertEquals("key must not contain '.' or '..' segments: \"../secrets\"", thrown.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../", "/blobs/", "a//", "a\\b", "../../etc/"})
    void invalidListPrefixesAreRejected(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> store.list(prefix));
    }

    @Test
    void describeGivesTheAbsoluteFolder() throws IOException {
        assertEquals("folder " + root.toRealPath(), store.describe());
        assertTrue(((FolderStore) store).root().isAbsolute());
    }

    @Test
    void locationProbeReportsAWrongSizeFromStat() throws IOException {
        ObjectStore statSaysZeroBytes = new DelegatingStore(store) {
            @Override public Optional<ObjectInfo> stat(String key) throws IOException {
                return delegate.stat(key).map(info -> new ObjectInfo(info.key(), 0, info.lastModified()));
            }
        };

        LocationProbe.Result result = new LocationProbe(statSaysZeroBytes).run();

        assertFalse(result.ok());
        LocationProbe.Step failed = result.firstFailure().orElseThrow();
        assertEquals("stat", failed.name());
        assertEquals("size mismatch: wrote 64, stat says 0", failed.detail());
        assertEquals(List.of("create", "stat", "cleanup"), stepNames(result));
        assertTrue(result.steps().get(2).ok(), result.steps().get(2).toString());
        assertEquals(List.of(), store.list(""), "the probe was cleaned up");
    }

    @Test
    void locationProbeReportsCorruptedReads() throws IOException {
        ObjectStore flipsTheSixthByte = new DelegatingStore(store) {
            @Override public InputStream read(String key) throws IOException {
                byte[] bytes;
                try (InputStream in = delegate.read(key)) {
                    bytes = in.readAllBytes();
                }
                bytes[5] ^= 0x01;
                return new ByteArrayInputStream(bytes);
            }
        };

        LocationProbe.Result result = new LocationProbe(flipsTheSixthByte).run();

        LocationProbe.Step failed = result.firstFailure().orElseThrow();
        assertEquals("read", failed.name());
        assertTrue(failed.detail().matches("read returned different bytes from byte 5 \\(expected 0x[0-9a-f]{2}, got 0x[0-9a-f]{2}\\)"),
                failed.detail());
        assertEquals(List.of(), store.list(""), "the probe was cleaned up");
    }

    @Test
    void locationProbeReportsADeleteThatDoesNotDelete() throws IOException {
        ObjectStore deleteDoesNothing = new DelegatingStore(store) {
            @Override public boolean delete(String key) {
                return true;
            }
        };

        LocationProbe.Result result = new LocationProbe(deleteDoesNothing).run();

        assertEquals(List.of("create", "stat", "read", "read range", "list", "delete", "gone", "cleanup"), stepNames(result));
        LocationProbe.Step failed = result.firstFailure().orElseThrow();
        assertEquals("gone", failed.name());
        assertEquals("probe still present after delete (size 64)", failed.detail());
    }

    @Test
    void locationProbeKeepsTheOriginalErrorWhenCleanupFailsToo() throws IOException {
        ObjectStore brokenAfterCreate = new DelegatingStore(store) {
            @Override public Optional<ObjectInfo> stat(String key) throws IOException {
                throw new IOException("connection reset");
            }
            @Override public boolean delete(String key) throws IOException {
                throw new IOException("connection reset again");
            }
        };

        LocationProbe.Result result = new LocationProbe(brokenAfterCreate).run();

        assertEquals(List.of("create", "stat", "cleanup"), stepNames(result));
        assertEquals("IOException: connection reset", result.firstFailure().orElseThrow().detail());
        assertEquals("IOException: connection reset again", result.steps().get(2).detail());
        assertFalse(result.steps().get(2).ok());
    }

    @Test
    void locationProbeReportsAFailingCreate() throws IOException {
        store.create("health-check", ObjectContent.ofBytes(utf8("a file where the probe folder goes")));

        LocationProbe.Result result = new LocationProbe(store).run();

        assertFalse(result.ok());
        LocationProbe.Step failed = result.firstFailure().orElseThrow();
        assertEquals("create", failed.name());
        assertTrue(failed.detail().startsWith("NotDirectoryException: "), failed.detail());
        assertEquals(List.of("health-check"), keys(store.list("")));
    }

    // ---- helpers for the tests above

    private static List<String> stepNames(LocationProbe.Result result) {
        return result.steps().stream().map(LocationProbe.Step::name).toList();
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static Path plantTemporaryFile(Path file, Duration age) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, utf8("half written"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age).minusSeconds(1)));
        return file;
    }

    private List<Path> temporaryFilesOnDisk() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.getFileName().toString().startsWith(".kg-tmp-")).toList();
        }
    }

}
