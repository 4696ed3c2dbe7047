package io.vaultkeep.storage.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Scratch space for bytes too large to hold in memory (an upload being retried, a downloaded
 * attachment being verified): a new file only this user can read, open for reading and writing,
 * whose name is gone at once where the platform allows it, so nothing is left behind by a crash.
 */
public final class PrivateSpool {

    private PrivateSpool() {}

    /** @param folder where the file goes; null: the JVM's temporary folder */
    public static FileChannel open(Path folder, String prefix) throws IOException {
        Path dir = folder != null ? folder : Path.of(System.getProperty("java.io.tmpdir"));
        FileAttribute<?>[] privateFile = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path file = Files.createTempFile(dir, prefix, ".spool", privateFile);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        try {
            Files.deleteIfExists(file); // POSIX: the open channel keeps the data
        } catch (IOException openElsewhere) {
            // Windows cannot unlink an open file: DELETE_ON_CLOSE removes it when the channel closes
        }
        return channel;
    }
}
