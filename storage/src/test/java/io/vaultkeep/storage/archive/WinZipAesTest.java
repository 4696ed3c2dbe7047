package io.vaultkeep.storage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.Mac;
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

    /**
     * A thread's engines are keyed again for its next entry: the keystream starts over from the first block of the new
     * key and the MAC forgets the last entry's bytes, exactly as new engines would.
     */
    @Test
    void reusedEnginesAreKeyedAfreshForEachEntry() throws Exception {
        byte[] otherSalt = SALT.clone();
        otherSalt[5] ^= 1;
        WinZipAes.Keys second = WinZipAes.deriveKeys(TestArchives.password(), otherSalt);
        byte[] data = new byte[100_001];
        new SplittableRandom(5).nextBytes(data);

        WinZipAes.EntryCrypto first = WinZipAes.EntryCrypto.open(keys());
        byte[] half = data.clone();
        first.keystream().apply(half, 0, 70_000); // stops inside a keystream chunk
        first.mac().update(data, 0, 1000);
        first.close();

        WinZipAes.EntryCrypto reused = WinZipAes.EntryCrypto.open(second);
        assertSame(first, reused, "the thread's engines, not new ones");
        byte[] encrypted = data.clone();
        reused.keystream().apply(encrypted, 0, encrypted.length);
        reused.mac().update(encrypted);
        byte[] code = WinZipAes.authenticationCode(reused.mac());
        reused.close();

        byte[] expected = data.clone();
        new WinZipAes.Keystream(second).apply(expected, 0, expected.length);
        assertArrayEquals(expected, encrypted);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(second.macKey());
        assertArrayEquals(Arrays.copyOf(mac.doFinal(expected), WinZipAes.AUTHENTICATION_CODE_LENGTH), code);
    }

    /** Entries open at once on one thread (a copy between archives) never share engines; closed ones refuse use. */
    @Test
    void entriesOpenAtOnceHaveEnginesOfTheirOwn() {
        WinZipAes.EntryCrypto outer = WinZipAes.EntryCrypto.open(keys());
        WinZipAes.EntryCrypto inner = WinZipAes.EntryCrypto.open(keys());
        assertNotSame(outer, inner);
        byte[] a = new byte[50];
        byte[] b = new byte[50];
        outer.keystream().apply(a, 0, 20);
        inner.keystream().apply(b, 0, 50);
        outer.keystream().apply(a, 20, 30);
        assertArrayEquals(a, b, "each keystream runs on from its own position");
        inner.close();
        inner.close(); // idempotent: given back once
        assertThrows(IllegalStateException.class, inner::keystream);
        assertThrows(IllegalStateException.class, inner::mac);
        WinZipAes.EntryCrypto next = WinZipAes.EntryCrypto.open(keys());
        assertSame(inner, next);
        assertNotSame(outer, WinZipAes.EntryCrypto.open(keys()), "the one still open is never handed out");
        outer.close();
        next.close();
    }
}
