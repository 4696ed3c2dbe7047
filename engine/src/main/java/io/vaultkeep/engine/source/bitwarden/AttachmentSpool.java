package io.vaultkeep.engine.source.bitwarden;

import io.vaultkeep.protocol.crypto.AttachmentCipher;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A downloaded attachment decrypted without holding it in memory. Bitwarden's MAC precedes the data,
 * so nothing may be decrypted before the whole download is checked: its ciphertext (never plaintext)
 * goes to a private file (0600, unlinked as soon as it is open, so no name ever points at it) while the
 * MAC is computed, and the plaintext is then decrypted from that file as it is read. Closing the
 * stream releases the file.
 */
final class AttachmentSpool {

    private AttachmentSpool() {}

    /**
     * @param folder where the spool goes, or null for the system's temporary folder
     * @throws io.vaultkeep.protocol.crypto.MacMismatchException wrong key or damaged download; nothing decrypted
     */
    static InputStream decrypting(InputStream download, SymmetricKey key, Path folder, String field) throws IOException {
        FileChannel spool = open(folder);
        try {
            AttachmentCipher.Verified verified = AttachmentCipher.verifyWhileCopying(download, key,
                    Channels.newOutputStream(spool), field);
            spool.position(0);
            return AttachmentCipher.decrypting(verified, new BufferedInputStream(Channels.newInputStream(spool), 64 * 1024),
                    key, field);
        } catch (IOException | RuntimeException e) {
            spool.close();
            throw e;
        }
    }

    /** A new private file, open for reading and writing, already unlinked where the platform allows it. */
    private static FileChannel open(Path folder) throws IOException {
        Path dir = folder != null ? folder : Path.of(System.getProperty("java.io.tmpdir"));
        FileAttribute<?>[] privateFile = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path file = Files.createTempFile(dir, "vaultkeep-attachment-", ".spool", privateFile);
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
