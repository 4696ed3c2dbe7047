package io.vaultkeep.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SymmetricKeyTest {

    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    @Test
    void sixtyFourBytesAreEncKeyThenMacKey() {
        byte[] bytes = counting(64);
        SymmetricKey key = SymmetricKey.fromBytes(bytes);
        assertTrue(key.hasMac());
        assertEquals(64, key.length());
        assertArrayEquals(Arrays.copyOf(bytes, 32), key.encKey());
        assertArrayEquals(Arrays.copyOfRange(bytes, 32, 64), key.macKey());
        assertArrayEquals(bytes, SymmetricKey.of(Arrays.copyOf(bytes, 32), Arrays.copyOfRange(bytes, 32, 64)).toBytes());
    }

    @Test
    void thirtyTwoBytesAreALegacyAesOnlyKey() {
        SymmetricKey key = SymmetricKey.fromBytes(counting(32));
        assertFalse(key.hasMac());
        assertEquals(32, key.length());
        assertArrayEquals(counting(32), key.toBytes());
        assertArrayEquals(counting(32), SymmetricKey.legacyAesOnly(counting(32)).toBytes());
    }

    @Test
    void otherLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricKey.fromBytes(new byte[48]));
        assertThrows(IllegalArgumentException.class, () -> SymmetricKey.of(new byte[32], new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> SymmetricKey.legacyAesOnly(new byte[64]));
    }

    @Test
    void inputsAndOutputsAreCopies() {
        byte[] bytes = counting(64);
        SymmetricKey key = SymmetricKey.fromBytes(bytes);
        Arrays.fill(bytes, (byte) 0);
        byte[] out = key.toBytes();
        Arrays.fill(out, (byte) 0);
        assertArrayEquals(counting(64), key.toBytes());
    }

    @Test
    void destroyZeroesAndRefusesFurtherUse() {
        SymmetricKey key = SymmetricKey.fromBytes(counting(64));
        byte[] enc = key.encKey();
        byte[] mac = key.macKey();
        key.destroy();
        assertTrue(key.isDestroyed());
        assertArrayEquals(new byte[32], enc);
        assertArrayEquals(new byte[32], mac);
        assertThrows(IllegalStateException.class, key::toBytes);
        assertEquals("SymmetricKey[AES-256-CBC + HMAC-SHA256, destroyed]", key.toString());
    }
}
