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
 * files). Content of unknown size is first spooled to a private file; closing the body removes it.
 */
final class UploadBody extends AbstractHttpEntity implements AutoCloseable {

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
        Path spool = createPrivateFile(spoolFolder);
        try {
            try (OutputStream out = Files.newOutputStream(spool)) {
                content.writeTo(new KeepOpenOutputStream(out));
            }
            return new UploadBody(ObjectContent.ofFile(spool), Files.size(spool), spool);
        } catch (IOException | RuntimeException failure) {
            Files.deleteIfExists(spool);
            throw failure;
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
