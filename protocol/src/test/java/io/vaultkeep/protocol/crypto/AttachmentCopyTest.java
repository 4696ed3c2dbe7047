package io.vaultkeep.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** A download read once: its ciphertext is copied while the MAC is checked, then the copy decrypts as it is read. */
class AttachmentCopyTest {

    private static final int HEADER = 1 + 16 + 32;

    private final SymmetricKey key = SymmetricKey.generate();

    @Property(tries = 40)
    void theCopyIsTheCiphertextAndDecryptsToThePlaintext(@ForAll @Size(max = 200_000) byte[] plaintext) throws IOException {
        byte[] encrypted = AttachmentCipher.encrypt(plaintext, key);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();

        AttachmentCipher.Verified verified = AttachmentCipher.verifyWhileCopying(new ByteArrayInputStream(encrypted), key, copy, "a");

        assertArrayEquals(Arrays.copyOfRange(encrypted, HEADER, encrypted.length), copy.toByteArray(), "ciphertext only, never plaintext");
        try (InputStream in = AttachmentCipher.decrypting(verified, new ByteArrayInputStream(copy.toByteArray()), key, "a")) {
            assertArrayEquals(plaintext, in.readAllBytes());
        }
    }

    @Example
    void chunkBoundariesAndSingleByteReadsRoundTrip() throws IOException {
        for (int size : new int[] {0, 15, 16, 65_536, 65_537, 3 * 65_536 + 7}) {
            byte[] plaintext = new byte[size];
            new Random(size).nextBytes(plaintext);
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            AttachmentCipher.Verified verified = AttachmentCipher.verifyWhileCopying(
                    new ByteArrayInputStream(AttachmentCipher.encrypt(plaintext, key)), key, copy, null);
            try (InputStream in = AttachmentCipher.decrypting(verified, new ByteArrayInputStream(copy.toByteArray()), key, null)) {
                byte[] back = new byte[size];
                for (int i = 0; i < size; i++) {
                    back[i] = (byte) in.read();
                }
                assertEquals(-1, in.read());
                assertArrayEquals(plaintext, back, "size " + size);
            }
        }
    }

    /** Tampering anywhere fails the check, before anything can be decrypted. */
    @Property(tries = 60)
    void tamperedDownloadsFailTheCheck(@ForAll @Size(min = 1, max = 100_000) byte[] plaintext,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) {
        byte[] encrypted = AttachmentCipher.encrypt(plaintext, key);
        encrypted[1 + position % (encrypted.length - 1)] ^= 0x01;

        assertThrows(VaultCryptoException.class, () -> AttachmentCipher.verifyWhileCopying(
                new ByteArrayInputStream(encrypted), key, new ByteArrayOutputStream(), "attachment"));
    }

    @Example
    void aCopyChangedAfterTheCheckFailsTheRead() throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        AttachmentCipher.Verified verified = AttachmentCipher.verifyWhileCopying(
                new ByteArrayInputStream(AttachmentCipher.encrypt(new byte[100_000], key)), key, copy, "attachment a1");
        byte[] changed = copy.toByteArray();
        changed[70_000] ^= 0x01;

        try (InputStream in = AttachmentCipher.decrypting(verified, new ByteArrayInputStream(changed), key, "attachment a1")) {
            MacMismatchException e = assertThrows(MacMismatchException.class, in::readAllBytes);
            assertEquals("attachment a1: the encrypted source changed between MAC verification and decryption; discard the output",
                    e.getMessage());
        }
    }

    @Example
    void aWrongKeyIsAMacMismatch() {
        byte[] encrypted = AttachmentCipher.encrypt(new byte[1000], key);
        MacMismatchException e = assertThrows(MacMismatchException.class, () -> AttachmentCipher.verifyWhileCopying(
                new ByteArrayInputStream(encrypted), SymmetricKey.generate(), new ByteArrayOutputStream(), "attachment a1"));
        assertEquals("attachment a1: MAC mismatch on encrypted buffer type 2: wrong key, or the data was damaged or tampered with",
                e.getMessage());
    }
}
