package io.vaultkeep.storage.store.webdav;

import io.vaultkeep.storage.archive.KeepOpenOutputStream;
import io.vaultkeep.storage.spool.PrivateSpool;
import io.vaultkeep.storage.store.ObjectContent;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.http.entity.AbstractHttpEntity;

/**
 * The body of one upload: a repeatable HTTP entity whose length is known before the first byte is
 * sent, so every PUT carries Content-Length (several WebDAV servers store chunked uploads as empty
 * files). Content of unknown size is first spooled: in memory up to {@link #MEMORY_SPOOL_LIMIT}
 * (snapshots and indexes, the whole vault in a plain repository, never touch the disk), beyond it to
 * a private file (0600) that is unlinked as soon as it is opened: only the open channel holds it, so
 * even a process killed mid-upload leaves no copy of the content behind.
 */
final class UploadBody extends AbstractHttpEntity implements AutoCloseable {

    static final int MEMORY_SPOOL_LIMIT = 16 * 1024 * 1024;

    private final ObjectContent content;
    private final long length;
    private final FileChannel spool; // null when the content is in memory or sent directly

    private UploadBody(ObjectContent content, long length, FileChannel spool) {
        this.content = content;
        this.length = length;
        this.spool = spool;
        setContentType("application/octet-stream");
    }

    /** The body for {@code content}; spools it (see above) when its size is unknown. */
    static UploadBody of(ObjectContent content, Path spoolFolder) throws IOException {
        long size = content.size();
        if (size >= 0) {
            return new UploadBody(content, size, null);
        }
        Spool spool = new Spool(spoolFolder);
        try {
            content.writeTo(new KeepOpenOutputStream(spool));
            spool.flush();
            if (spool.channel == null) {
                byte[] bytes = spool.toByteArray();
                return new UploadBody(ObjectContent.ofBytes(bytes), bytes.length, null);
            }
            FileChannel channel = spool.channel;
            long spooled = channel.size();
            return new UploadBody(ObjectContent.streaming(out -> copy(channel, spooled, out)), spooled, channel);
        } catch (IOException | RuntimeException failure) {
            if (spool.channel != null) {
                spool.channel.close();
            }
            throw failure;
        }
    }

    /** Positional reads: each attempt of the upload reads the spool from its start. */
    private static void copy(FileChannel channel, long length, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        long position = 0;
        while (position < length) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new IOException("spool ended early at " + position + " of " + length + " bytes");
            }
            out.write(buffer.array(), 0, read);
            position += read;
        }
    }

    /** Collects bytes in memory and moves them to an unlinked private file once they pass the limit. */
    private static final class Spool extends OutputStream {
        private final Path folder;
        private byte[] buffer = new byte[64 * 1024];
        private int count;
        private FileChannel channel;

        Spool(Path folder) {
            this.folder = folder;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (channel == null && (long) count + length > MEMORY_SPOOL_LIMIT) {
                channel = PrivateSpool.open(folder, "vaultkeep-webdav-");
                writeFully(ByteBuffer.wrap(buffer, 0, count));
                count = 0;
                buffer = new byte[256 * 1024];
            }
            if (channel == null) {
                if (count + length > buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.max(count + length, Math.min(MEMORY_SPOOL_LIMIT, buffer.length * 2)));
                }
                System.arraycopy(bytes, offset, buffer, count, length);
                count += length;
                return;
            }
            if (count + length > buffer.length) {
                flush();
            }
            if (length > buffer.length) {
                writeFully(ByteBuffer.wrap(bytes, offset, length));
            } else {
                System.arraycopy(bytes, offset, buffer, count, length);
                count += length;
            }
        }

        @Override
        public void flush() throws IOException {
            if (channel != null && count > 0) {
                writeFully(ByteBuffer.wrap(buffer, 0, count));
                count = 0;
            }
        }

        private void writeFully(ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, count);
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

    /** Whether {@code stored} holds exactly this body's bytes (read to its end, or to the first difference). */
    boolean sameAs(InputStream stored) throws IOException {
        return compared(stored, false);
    }

    /** Whether this body begins with {@code stored} (the start of an object, read back). */
    boolean startsWith(byte[] stored) throws IOException {
        return compared(new java.io.ByteArrayInputStream(stored), true);
    }

    private boolean compared(InputStream stored, boolean startOnly) throws IOException {
        Comparing comparing = new Comparing(stored, startOnly);
        try {
            content.writeTo(comparing);
        } catch (IOException stopped) {
            // the content's writer may have wrapped our stop: the flags are what count
            if (comparing.differs) {
                return false;
            }
            if (comparing.startMatched) {
                return true;
            }
            throw stopped;
        }
        return stored.read() < 0; // the body ended: equal if what was stored did too
    }

    @Override
    public void close() throws IOException {
        if (spool != null) {
            spool.close();
        }
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

    /** An output that checks what is written against a stream, and stops at the first difference. */
    private static final class Comparing extends OutputStream {
        private final InputStream stored;
        private final boolean startOnly;
        private final byte[] buffer = new byte[64 * 1024];
        private boolean differs;
        private boolean startMatched;

        /** @param startOnly whether {@code stored} is only the object's start: its end stops the comparison, equal */
        Comparing(InputStream stored, boolean startOnly) {
            this.stored = stored;
            this.startOnly = startOnly;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                int n = stored.readNBytes(buffer, 0, Math.min(length, buffer.length));
                if (n == 0 && startOnly) {
                    startMatched = true;
                    throw new IOException("the stored start is compared");
                }
                if (n == 0 || !Arrays.equals(buffer, 0, n, bytes, offset, offset + n)) {
                    differs = true;
                    throw new IOException("the stored object differs");
                }
                offset += n;
                length -= n;
            }
        }
    }
}
