package io.vaultkeep.storage.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes everything on, but a close only flushes: for handing a stream to a writer (zip4j, a
 * content callback) that closes its target when it finishes, while the caller still owns it (a
 * channel to force to disk, a spool file, an outer ZIP).
 */
public final class KeepOpenOutputStream extends FilterOutputStream {

    public KeepOpenOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length); // FilterOutputStream would write byte by byte
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
