package io.vaultkeep.storage.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of an object about to be written. Content is repeatable: {@link #writeTo} may be called
 * more than once (a WebDAV retry sends it again), and each call writes the same bytes.
 */
public interface ObjectContent {

    /** The exact size in bytes, or -1 if it is only known once written. */
    long size();

    void writeTo(OutputStream out) throws IOException;

    static ObjectContent ofBytes(byte[] bytes) {
        return new ObjectContent() {
            @Override public long size() { return bytes.length; }
            @Override public void writeTo(OutputStream out) throws IOException { out.write(bytes); }
        };
    }

    static ObjectContent ofFile(Path file) {
        return new ObjectContent() {
            @Override public long size() {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return -1;
                }
            }
            @Override public void writeTo(OutputStream out) throws IOException { Files.copy(file, out); }
        };
    }

    /** Content produced by a writer function of unknown size; the writer must be repeatable. */
    static ObjectContent streaming(Writer writer) {
        return new ObjectContent() {
            @Override public long size() { return -1; }
            @Override public void writeTo(OutputStream out) throws IOException { writer.writeTo(out); }
        };
    }

    @FunctionalInterface
    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }
}
