package io.vaultkeep.storage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class WinZipAesTest {

    private static final byte[] SALT = "sixteen byte slt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static WinZipAes.Keys keys() {
        return WinZipAes.deriveKeys(TestArchives.password(), SALT);
    }

    @Test
    void keystreamIsAesOfALittleEndianCounterFromOne() throws Exception {
        WinZipAes.Keys keys = keys();
        // 70,000 blocks: past the keystream's 64 KiB chunk and past a counter byte carry
        byte[] data = new byte[16 * 70_000];
        new WinZipAes.Keystream(keys).apply(data, 0, data.length);

        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.cipherKey().getEncoded(), "AES"));
        for (long counter : new long[] {1, 2, 255, 256, 4096, 4097, 65_536, 70_000}) {
            byte[] block = new byte[16];
            for (int i = 0; i < 8; i++) {
                block[i] = (byte) (counter >>> (8 * i));
            }
            int at = (int) (counter - 1) * 16;
            assertArrayEquals(aes.doFinal(block), Arrays.copyOfRange(data, at, at + 16), "block " + counter);
        }
    }

    @Test
    void keystreamContinuesAcrossCallsOfAnyLength() {
        byte[] plain = new byte[300_000];
        new SplittableRandom(3).nextBytes(plain);
        byte[] whole = plain.clone();
        new WinZipAes.Keystream(keys()).apply(whole, 0, whole.length);

        byte[] pieces = plain.clone();
        WinZipAes.Keystream keystream = new WinZipAes.Keystream(keys());
        SplittableRandom lengths = new SplittableRandom(4);
        for (int at = 0; at < pieces.length; ) {
            int length = Math.min(pieces.length - at, lengths.nextInt(0, 100_000) >> lengths.nextInt(0, 16));
            keystream.apply(pieces, at, length);
            at += length;
        }
        assertArrayEquals(whole, pieces);

        new WinZipAes.Keystream(keys()).apply(whole, 0, whole.length);
        assertArrayEquals(plain, whole, "applying the keystream twice restores the data");
    }

    @Test
    void keysDependOnPasswordAndSalt() {
        WinZipAes.Keys keys = keys();
        byte[] otherSalt = SALT.clone();
        otherSalt[0] ^= 1;

        assertEquals(keys, WinZipAes.deriveKeys(TestArchives.password(), SALT));
        assertNotEquals(keys, WinZipAes.deriveKeys(TestArchives.password(), otherSalt));
        assertNotEquals(keys, WinZipAes.deriveKeys("another password".toCharArray(), SALT));
    }
}
