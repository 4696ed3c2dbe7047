package io.vaultkeep.storage.archive;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;

/**
 * A whole archive read for {@link Zip4jCodec#verify}: kept in memory up to a limit, beyond it
 * spooled to a file that only the owner can read, in a private temporary directory; both are
 * deleted on {@link #close()}. Archive bytes may be plaintext (a plain repository), hence the care.
 */
final class ArchiveSpool implements ZipStructure.ByteSource, Closeable {

    private static final String SPOOL_FILE = "archive.zip";
    private static final int INITIAL_CAPACITY = 64 * 1024;

    private final byte[] bytes;
    private final Path directory;
    private final Path file;
    private final FileChannel channel;
    private final long size;

    private ArchiveSpool(byte[] bytes, int length) {
        this.bytes = bytes;
        this.directory = null;
        this.file = null;
        this.channel = null;
        this.size = length;
    }

    private ArchiveSpool(Path directory, Path file, FileChannel channel) throws IOException {
        this.bytes = null;
        this.directory = directory;
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
    }

    /**
     * Reads {@code in} to its end (not closing it).
     *
     * @param spoolParent where the private temporary directory is created; null for the system default
     */
    static ArchiveSpool read(InputStream in, int memoryLimit, Path spoolParent) throws IOException {
        byte[] head = new byte[initialCapacity(in, memoryLimit + 1)];
        int length = 0;
        for (int n; length <= memoryLimit; length += n) {
            if (length == head.length) {
                head = Arrays.copyOf(head, (int) Math.min(memoryLimit + 1L, 2L * head.length));
            }
            n = in.read(head, length, head.length - length);
            if (n < 0) {
                return new ArchiveSpool(head, length);
            }
        }
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path directory = createDirectory(spoolParent, posix);
        Path file = directory.resolve(SPOOL_FILE);
        FileChannel channel = null;
        try {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                // elsewhere the user's own temporary directory is already private
                Files.createFile(file);
            }
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
                out.write(head, 0, length);
                in.transferTo(out);
            }
            channel = FileChannel.open(file, StandardOpenOption.READ);
            return new ArchiveSpool(directory, file, channel);
        } catch (IOException | RuntimeException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
                Files.deleteIfExists(file);
                Files.deleteIfExists(directory);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * What the stream says it holds (a file's stream: the rest of the file) and one byte more, so that its end is
     * seen without growing the array: one read into one array, where reading in chunks and joining them allocated
     * twice the archive (a third of a check's garbage). Streams that cannot tell (most network streams) start small.
     */
    private static int initialCapacity(InputStream in, int limit) throws IOException {
        int hint = in.available();
        return hint > 0 ? (int) Math.min(limit, hint + 1L) : Math.min(limit, INITIAL_CAPACITY);
    }

    private static Path createDirectory(Path parent, boolean posix) throws IOException {
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
        return parent == null
                ? Files.createTempDirectory("vaultkeep-verify-", attributes)
                : Files.createTempDirectory(parent, "vaultkeep-verify-", attributes);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long position, byte[] target, int offset, int length) throws IOException {
        if (bytes != null) {
            System.arraycopy(bytes, Math.toIntExact(position), target, offset, length);
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(target, offset, length);
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException("spool file ended at offset " + at + " of " + size);
            }
            at += n;
        }
    }

    /** A fresh stream over the whole archive. */
    InputStream openStream() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes, 0, Math.toIntExact(size)) : Files.newInputStream(file);
    }

    /** The spool file, when the archive was too large for memory. */
    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public void close() throws IOException {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } finally {
            try {
                Files.deleteIfExists(file);
            } finally {
                Files.deleteIfExists(directory);
            }
        }
    }
}
