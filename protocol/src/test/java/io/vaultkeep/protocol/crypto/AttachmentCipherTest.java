package io.vaultkeep.protocol.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class AttachmentCipherTest {

    private final SymmetricKey key = SymmetricKey.generate();

    @Property(tries = 40)
    void streamingAndInMemoryFormsAreInterchangeable(@ForAll @Size(max = 200_000) byte[] plaintext) throws IOException {
        byte[] inMemory = AttachmentCipher.encrypt(plaintext, key);
        ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
        long written = AttachmentCipher.decrypt(() -> new ByteArrayInputStream(inMemory), key, decrypted, "attachment");
        assertEquals(plaintext.length, written);
        assertArrayEquals(plaintext, decrypted.toByteArray());

        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        long length = AttachmentCipher.encrypt(() -> new ByteArrayInputStream(plaintext), key, streamed);
        assertEquals(streamed.size(), length);
        assertEquals(inMemory.length, streamed.size());
        assertArrayEquals(plaintext, AttachmentCipher.decrypt(streamed.toByteArray(), key, "attachment"));
    }

    @Example
    void chunkBoundariesRoundTrip() throws IOException {
        for (int size : new int[] {0, 1, 15, 16, 17, 65_535, 65_536, 65_537, 131_072 + 5}) {
            byte[] plaintext = new byte[size];
            new Random(size).nextBytes(plaintext);
            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            AttachmentCipher.encrypt(() -> new ByteArrayInputStream(plaintext), key, streamed);
            ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
            AttachmentCipher.decrypt(() -> new ByteArrayInputStream(streamed.toByteArray()), key, decrypted, null);
            assertArrayEquals(plaintext, decrypted.toByteArray(), "size " + size);
        }
    }

    /** Tampering anywhere, even in the last block, is caught before a single byte of plaintext is written. */
    @Property(tries = 100)
    void tamperedStreamsReleaseNothing(@ForAll @Size(min = 1, max = 150_000) byte[] plaintext,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) {
        byte[] encrypted = AttachmentCipher.encrypt(plaintext, key);
        int index = 1 + position % (encrypted.length - 1);
        encrypted[index] ^= 0x01;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MacMismatchException e = assertThrows(MacMismatchException.class,
                () -> AttachmentCipher.decrypt(() -> new ByteArrayInputStream(encrypted), key, out, "attachments[ab12]"));
        assertEquals("attachments[ab12]", e.field().orElseThrow());
        assertEquals(0, out.size());
    }

    @Example
    void wrongKeyReleasesNothingAndReadsTheSourceOnce() {
        byte[] encrypted = AttachmentCipher.encrypt(new byte[100_000], key);
        AtomicInteger opens = new AtomicInteger();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(MacMismatchException.class, () -> AttachmentCipher.decrypt(() -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(encrypted);
        }, SymmetricKey.generate(), out, null));
        assertEquals(0, out.size());
        assertEquals(1, opens.get());
    }

    @Example
    void aSourceThatChangesBetweenPassesIsDetected() {
        byte[] plaintext = new byte[200_000];
        byte[] encrypted = AttachmentCipher.encrypt(plaintext, key);
        byte[] changed = encrypted.clone();
        changed[changed.length - 20] ^= 0x01;
        AtomicInteger opens = new AtomicInteger();
        MacMismatchException e = assertThrows(MacMismatchException.class, () -> AttachmentCipher.decrypt(
                () -> new ByteArrayInputStream(opens.getAndIncrement() == 0 ? encrypted : changed),
                key, new ByteArrayOutputStream(), null));
        assertTrue(e.getMessage().contains("changed between MAC verification and decryption"), e.getMessage());

        AtomicInteger plainOpens = new AtomicInteger();
        IOException io = assertThrows(IOException.class, () -> AttachmentCipher.encrypt(
                () -> new ByteArrayInputStream(plainOpens.getAndIncrement() == 0 ? plaintext : new byte[200_001]),
                key, new ByteArrayOutputStream()));
        assertTrue(io.getMessage().contains("changed between the two encryption passes"));
    }

    @Example
    void truncatedAndMalformedStreamsAreInvalid() {
        byte[] encrypted = AttachmentCipher.encrypt(new byte[40], key);
        byte[] truncated = Arrays.copyOf(encrypted, encrypted.length - 1);
        InvalidEncStringException e = assertThrows(InvalidEncStringException.class, () -> AttachmentCipher.decrypt(
                () -> new ByteArrayInputStream(truncated), key, new ByteArrayOutputStream(), null));
        assertEquals("encrypted buffer type 2: the ciphertext must be a non-empty multiple of 16 bytes, found 47", e.getMessage());
        assertThrows(InvalidEncStringException.class, () -> AttachmentCipher.decrypt(
                () -> new ByteArrayInputStream(Arrays.copyOf(encrypted, 30)), key, new ByteArrayOutputStream(), null));
        assertThrows(InvalidEncStringException.class, () -> AttachmentCipher.decrypt(
                () -> new ByteArrayInputStream(new byte[0]), key, new ByteArrayOutputStream(), null));
        assertThrows(UnsupportedEncStringException.class, () -> AttachmentCipher.decrypt(
                () -> new ByteArrayInputStream(new byte[] {7, 0, 0}), key, new ByteArrayOutputStream(), null));
    }

    @Example
    void legacyType0BuffersOnlyUnderAnAesOnlyKey() throws IOException {
        SymmetricKey legacy = SymmetricKey.legacyAesOnly(Arrays.copyOf(key.toBytes(), 32));
        SymmetricEncString type2 = SymmetricEncString.parse(SymmetricEncString.encrypt("legacy file", key).format());
        byte[] type0 = new SymmetricEncString(EncType.AES_CBC_256_B64, type2.iv(), type2.data(), null).toBuffer();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AttachmentCipher.decrypt(() -> new ByteArrayInputStream(type0), legacy, out, null);
        assertEquals("legacy file", out.toString(UTF_8));
        assertArrayEquals(out.toByteArray(), AttachmentCipher.decrypt(type0, legacy, null));
        assertThrows(WrongKeyTypeException.class, () -> AttachmentCipher.decrypt(
                () -> new ByteArrayInputStream(type0), key, new ByteArrayOutputStream(), null));
        assertThrows(WrongKeyTypeException.class, () -> AttachmentCipher.decrypt(type0, key, null));
    }
}
