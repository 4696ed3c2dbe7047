package io.vaultkeep.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** A downloaded attachment is verified while its ciphertext spools to an unlinked private file, then decrypted from there. */
class AttachmentSpoolTest {

    private final SymmetricKey key = SymmetricKey.generate();

    @Property(tries = 30)
    void decryptsWhatWasEncrypted(@ForAll @Size(max = 200_000) byte[] plaintext) throws IOException {
        Path folder = Files.createTempDirectory("spool-test");
        try (InputStream in = AttachmentCipher.decryptingStream(new ByteArrayInputStream(AttachmentCipher.encrypt(plaintext, key)),
                key, folder, "attachment")) {
            assertEquals(List.of(), names(folder), "the spool is unlinked as soon as it is open");
            assertArrayEquals(plaintext, in.readAllBytes());
        } finally {
            Files.delete(folder);
        }
    }

    @Example
    void chunkBoundariesAndSingleByteReadsRoundTrip() throws IOException {
        for (int size : new int[] {0, 15, 16, 65_536, 65_537, 3 * 65_536 + 7}) {
            byte[] plaintext = new byte[size];
            new Random(size).nextBytes(plaintext);
            try (InputStream in = AttachmentCipher.decryptingStream(new ByteArrayInputStream(AttachmentCipher.encrypt(plaintext, key)),
                    key, null, null)) {
                byte[] back = new byte[size];
                for (int i = 0; i < size; i++) {
                    back[i] = (byte) in.read();
                }
                assertEquals(-1, in.read());
                assertArrayEquals(plaintext, back, "size " + size);
            }
        }
    }

    /** Tampering anywhere fails before the stream is handed out, and leaves no spool behind. */
    @Property(tries = 60)
    void tamperedDownloadsReleaseNothing(@ForAll @Size(min = 1, max = 100_000) byte[] plaintext,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) throws IOException {
        byte[] encrypted = AttachmentCipher.encrypt(plaintext, key);
        encrypted[1 + position % (encrypted.length - 1)] ^= 0x01;
        Path folder = Files.createTempDirectory("spool-test");
        try {
            assertThrows(VaultCryptoException.class,
                    () -> AttachmentCipher.decryptingStream(new ByteArrayInputStream(encrypted), key, folder, "attachment"));
            assertEquals(List.of(), names(folder));
        } finally {
            Files.delete(folder);
        }
    }

    @Example
    void aWrongKeyIsAMacMismatch() throws IOException {
        byte[] encrypted = AttachmentCipher.encrypt(new byte[1000], key);
        MacMismatchException e = assertThrows(MacMismatchException.class, () -> AttachmentCipher.decryptingStream(
                new ByteArrayInputStream(encrypted), SymmetricKey.generate(), null, "attachment a1"));
        assertEquals("attachment a1: MAC mismatch on encrypted buffer type 2: wrong key, or the data was damaged or tampered with",
                e.getMessage());
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
