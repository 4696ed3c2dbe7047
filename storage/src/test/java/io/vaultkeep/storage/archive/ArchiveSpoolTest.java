package io.vaultkeep.storage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vaultkeep.storage.archive.ZipCodec.EntrySource;

class ArchiveSpoolTest {

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(ArchiveSpool spool, long position, int length) throws IOException {
        byte[] bytes = new byte[length];
        spool.read(position, bytes, 0, length);
        return bytes;
    }

    @Test
    void smallInputStaysInMemory(@TempDir Path parent) throws IOException {
        byte[] bytes = randomBytes(1000);
        try (ArchiveSpool spool = ArchiveSpool.read(new ByteArrayInputStream(bytes), 1024, parent)) {
            assertTrue(spool.file().isEmpty());
            assertEquals(1000, spool.size());
            assertArrayEquals(Arrays.copyOfRange(bytes, 990, 1000), read(spool, 990, 10));
            try (InputStream in = spool.openStream()) {
                assertArrayEquals(bytes, in.readAllBytes());
            }
            try (Stream<Path> files = Files.list(parent)) {
                assertEquals(0, files.count(), "nothing written to disk");
            }
        }
    }

    @Test
    void largeInputIsSpooledToAPrivateFileThatIsDeleted(@TempDir Path parent) throws IOException {
        byte[] bytes = randomBytes(5000);
        ClosingRecorder in = new ClosingRecorder(bytes);
        Path file;
        try (ArchiveSpool spool = ArchiveSpool.read(in, 1024, parent)) {
            file = spool.file().orElseThrow();
            assertEquals(parent, file.getParent().getParent(), "in a directory of its own under the parent");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            assertEquals(5000, spool.size());
            for (int position : new int[] {0, 1020, 1024, 4990}) {
                assertArrayEquals(Arrays.copyOfRange(bytes, position, position + 10), read(spool, position, 10));
            }
            try (InputStream stream = spool.openStream()) {
                assertArrayEquals(bytes, stream.readAllBytes());
            }
        }
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(file.getParent()));
        assertFalse(in.closed, "the caller's stream is not closed");
    }

    /**
     * The spool sizes its array from what the stream says it holds; a stream that tells too little, too much or
     * nothing, or that hands out a few bytes a read, is still read exactly, kept in memory up to the limit inclusive
     * and spooled from one byte beyond it.
     */
    @Test
    void readsExactlyWhateverTheStreamSaysItHolds(@TempDir Path parent) throws IOException {
        int limit = 200_000;
        for (int length : new int[] {0, 1, 65_535, 65_536, 65_537, 150_000, limit - 1, limit, limit + 1, 300_000}) {
            byte[] bytes = randomBytes(length);
            for (int claimed : new int[] {0, 1, length / 2, length, length + 1, 10 * length + 7}) {
                for (int perRead : new int[] {7, Integer.MAX_VALUE}) {
                    String what = length + " bytes, claiming " + claimed + ", " + perRead + " a read";
                    try (ArchiveSpool spool = ArchiveSpool.read(new Claiming(bytes, claimed, perRead), limit, parent)) {
                        assertEquals(length, spool.size(), what);
                        assertEquals(length > limit, spool.file().isPresent(), what + ": spooled to a file");
                        try (InputStream in = spool.openStream()) {
                            assertArrayEquals(bytes, in.readAllBytes(), what);
                        }
                        if (length > 0) {
                            assertArrayEquals(Arrays.copyOfRange(bytes, length - 1, length), read(spool, length - 1, 1), what);
                        }
                    }
                }
            }
        }
        assertDirectoryEmpty(parent);
    }

    @Test
    void verifyCleansUpItsSpoolFileWhetherTheArchiveIsSoundOrNot(@TempDir Path parent) throws IOException {
        Zip4jCodec codec = new Zip4jCodec(1024, parent);
        byte[] zip = TestArchives.write(codec, TestArchives.password(),
                List.of(EntrySource.ofBytes("attachment.bin", randomBytes(4000))));
        assertTrue(zip.length > 1024);

        assertEquals(List.of("attachment.bin"), codec.verify(new ByteArrayInputStream(zip), TestArchives.password()));
        assertDirectoryEmpty(parent);
        byte[] damaged = TestArchives.flipped(zip, 2000);
        assertThrows(CorruptArchiveException.class,
                () -> codec.verify(new ByteArrayInputStream(damaged), TestArchives.password()));
        assertDirectoryEmpty(parent);
    }

    private static void assertDirectoryEmpty(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(), files.toList());
        }
    }

    /** A stream that claims to hold {@code claimed} bytes and gives at most {@code perRead} a read. */
    private static final class Claiming extends ByteArrayInputStream {
        private final int claimed;
        private final int perRead;

        Claiming(byte[] bytes, int claimed, int perRead) {
            super(bytes);
            this.claimed = claimed;
            this.perRead = perRead;
        }

        @Override
        public synchronized int available() {
            return claimed;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, perRead));
        }
    }

    private static final class ClosingRecorder extends ByteArrayInputStream {
        boolean closed;

        ClosingRecorder(byte[] bytes) {
            super(bytes);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
