package io.vaultkeep.storage.store;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * File streams that hand the file at most {@link #SLICE} bytes per call. A heap array given to a file
 * channel's stream in one call is copied through a temporary native buffer of its whole size (and the
 * JDK keeps the largest per thread): writing or reading a 6 MB vault at once costs 6 MB more of the
 * process's memory, which is most of what a one-shot command's peak RSS has above the JVM's own. In
 * slices it costs one slice, and the same number of bytes copied.
 */
public final class SlicedFileIo {

    /** What one read or write of a file is given at most. */
    public static final int SLICE = 64 * 1024;

    private SlicedFileIo() {}

    /** {@code out}, written to in slices: for a stream over a file (a channel's, {@link Files#newOutputStream}). */
    public static OutputStream output(OutputStream out) {
        return new FilterOutputStream(Objects.requireNonNull(out, "out")) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                for (int at = 0; at < len; at += SLICE) {
                    out.write(b, off + at, Math.min(SLICE, len - at));
                }
            }
        };
    }

    /** {@code in}, read from in slices: for a stream over a file (a channel's, {@link Files#newInputStream}). */
    public static InputStream input(InputStream in) {
        return new FilterInputStream(Objects.requireNonNull(in, "in")) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, Math.min(len, SLICE));
            }
        };
    }

    /** A whole file's bytes, read in slices; links followed only if {@code options} allow. */
    public static byte[] readAllBytes(Path file, LinkOption... options) throws IOException {
        java.util.Set<java.nio.file.OpenOption> open = new java.util.HashSet<>(Arrays.asList(options));
        open.add(StandardOpenOption.READ);
        try (SeekableByteChannel channel = Files.newByteChannel(file, open);
             InputStream in = input(Channels.newInputStream(channel))) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + " is too large to read into memory (" + size + " bytes)");
            }
            // sized from the file, and still right if it grows or shrinks meanwhile
            byte[] bytes = new byte[(int) size];
            int read = in.readNBytes(bytes, 0, bytes.length);
            if (read < bytes.length) {
                return Arrays.copyOf(bytes, read);
            }
            byte[] more = in.readAllBytes();
            if (more.length == 0) {
                return bytes;
            }
            byte[] all = Arrays.copyOf(bytes, bytes.length + more.length);
            System.arraycopy(more, 0, all, bytes.length, more.length);
            return all;
        }
    }
}
