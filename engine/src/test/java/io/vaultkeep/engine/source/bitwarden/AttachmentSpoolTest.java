package io.vaultkeep.engine.source.bitwarden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vaultkeep.protocol.crypto.AttachmentCipher;
import io.vaultkeep.protocol.crypto.MacMismatchException;
import io.vaultkeep.protocol.crypto.SymmetricKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool of a downloaded attachment: private, unlinked at once, gone when the stream closes or the check fails. */
class AttachmentSpoolTest {

    @TempDir
    Path folder;

    private final SymmetricKey key = SymmetricKey.generate();

    @Test
    void aDownloadDecryptsFromAnUnlinkedSpool() throws IOException {
        byte[] plaintext = new byte[3 * 1024 * 1024 + 5];
        new Random(1).nextBytes(plaintext);
        InputStream download = new ByteArrayInputStream(AttachmentCipher.encrypt(plaintext, key));

        try (InputStream in = AttachmentSpool.decrypting(download, key, folder, "attachment a1")) {
            assertEquals(List.of(), names(), "no name points at the spool while it is in use");
            assertEquals(-1, download.read(), "the download was read to its end before the first plaintext byte");
            assertArrayEquals(plaintext, in.readAllBytes());
        }
        assertEquals(List.of(), names());
    }

    @Test
    void aDamagedDownloadLeavesNothingBehind() {
        byte[] encrypted = AttachmentCipher.encrypt(new byte[200_000], key);
        encrypted[encrypted.length - 1] ^= 0x01;

        assertThrows(MacMismatchException.class,
                () -> AttachmentSpool.decrypting(new ByteArrayInputStream(encrypted), key, folder, "attachment a1"));
        assertEquals(List.of(), names());
    }

    private List<String> names() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
