package io.vaultkeep.engine.source.bitwarden;

import io.vaultkeep.protocol.crypto.AttachmentCipher;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import io.vaultkeep.storage.spool.PrivateSpool;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

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
        FileChannel spool = PrivateSpool.open(folder, "vaultkeep-attachment-");
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
}
