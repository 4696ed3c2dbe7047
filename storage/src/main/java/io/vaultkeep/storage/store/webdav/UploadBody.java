package io.vaultkeep.storage.store.webdav;

import io.vaultkeep.storage.archive.KeepOpenOutputStream;
import io.vaultkeep.storage.store.ObjectContent;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.http.entity.AbstractHttpEntity;

/**
 * The body of one upload: a repeatable HTTP entity whose length is known before the first byte is
 * sent, so every PUT carries Content-Length (several WebDAV servers store chunked uploads as empty
 * files). Content of unknown size is first spooled: in memory up to {@link #MEMORY_SPOOL_LIMIT}
 * (snapshots and indexes, the whole vault in a plain repository, never touch the disk), beyond it to
 * a private file (0600) that closing the body removes.
 */
final class UploadBody extends AbstractHttpEntity implements AutoCloseable {

    static final int MEMORY_SPOOL_LIMIT = 16 * 1024 * 1024;

    private final ObjectContent content;
    private final long length;
    private final Path spool; // null when the content is sent directly

    private UploadBody(ObjectContent content, long length, Path spool) {
        this.content = content;
        this.length = length;
        this.spool = spool;
        setContentType("application/octet-stream");
    }

    /** The body for {@code content}; spools it under {@code spoolFolder} when its size is unknown. */
    static UploadBody of(ObjectContent content, Path spoolFolder) throws IOException {
        long size = content.size();
        if (size >= 0) {
            return new UploadBody(content, size, null);
        }
        MemorySpool memory = new MemorySpool(spoolFolder);
        try {
            try (memory) {
                content.writeTo(new KeepOpenOutputStream(memory));
            }
            if (memory.file == null) {
                byte[] bytes = memory.toByteArray();
                return new UploadBody(ObjectContent.ofBytes(bytes), bytes.length, null);
            }
            return new UploadBody(ObjectContent.ofFile(memory.file), Files.size(memory.file), memory.file);
        } catch (IOException | RuntimeException failure) {
            if (memory.file != null) {
                Files.deleteIfExists(memory.file);
            }
            throw failure;
        }
    }

    /** Collects bytes in memory and moves them to a private spool file once they pass the limit. */
    private static final class MemorySpool extends OutputStream {
        private final Path folder;
        private byte[] buffer = new byte[64 * 1024];
        private int count;
        private Path file;
        private OutputStream fileOut;

        MemorySpool(Path folder) {
            this.folder = folder;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (fileOut == null && (long) count + length > MEMORY_SPOOL_LIMIT) {
                file = createPrivateFile(folder);
                fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 256 * 1024);
                fileOut.write(buffer, 0, count);
                buffer = null;
            }
            if (fileOut != null) {
                fileOut.write(bytes, offset, length);
                return;
            }
            if (count + length > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(count + length, Math.min(MEMORY_SPOOL_LIMIT, buffer.length * 2)));
            }
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buffer, count);
        }

        @Override
        public void close() throws IOException {
            if (fileOut != null) {
                fileOut.close();
            }
        }
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public InputStream getContent() {
        throw new UnsupportedOperationException("an upload body is written, not read");
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        CountingStream counting = new CountingStream(out, length);
        try {
            content.writeTo(counting);
        } catch (TransferFailure network) {
            throw (IOException) network.getCause(); // the connection's failure: retryable as such
        } catch (IOException failure) {
            // Marked so that the store does not mistake the source's failure for a network one.
            throw new ContentFailure(failure);
        }
        if (counting.written != length) {
            throw new ContentFailure(new IOException(
                    "content declared " + length + " bytes but wrote " + counting.written));
        }
        counting.flush();
    }

    @Override
    public void close() throws IOException {
        if (spool != null) {
            Files.deleteIfExists(spool);
        }
    }

    private static Path createPrivateFile(Path folder) throws IOException {
        boolean posix = folder.getFileSystem().supportedFileAttributeViews().contains("posix");
        // 0600 from the start: spooled content is vault data.
        return posix
                ? Files.createTempFile(folder, "vaultkeep-webdav-", ".spool",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(folder, "vaultkeep-webdav-", ".spool");
    }

    /** A failure of the object's content (its writer), as opposed to the transfer; never retried. */
    static final class ContentFailure extends IOException {
        ContentFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** A write to the connection failed (a reset, a timeout) while the content was being sent. */
    private static final class TransferFailure extends IOException {
        TransferFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Counts what passes and refuses to write past the declared length. */
    private static final class CountingStream extends FilterOutputStream {
        private final long limit;
        private long written;

        CountingStream(OutputStream out, long limit) {
            super(out);
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            check(1);
            try {
                out.write(b);
            } catch (IOException network) {
                throw new TransferFailure(network);
            }
            written++;
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            check(count);
            try {
                out.write(bytes, offset, count);
            } catch (IOException network) {
                throw new TransferFailure(network);
            }
            written += count;
        }

        @Override
        public void close() {
            // the HTTP client owns the connection's stream
        }

        private void check(int count) throws IOException {
            if (written + count > limit) {
                throw new IOException("content wrote more than its declared " + limit + " bytes");
            }
        }
    }
}
