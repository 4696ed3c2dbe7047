package io.vaultkeep.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SymmetricEncStringPropertiesTest {

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(64);
    }

    /** Any Unicode text (no unpaired surrogates: those do not survive UTF-8 in any client). */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .list().ofMaxSize(200)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    @Property(tries = 300)
    void encryptThenDecryptIsIdentity(@ForAll @Size(max = 3000) byte[] plaintext, @ForAll("keys") byte[] keyBytes) {
        SymmetricKey key = SymmetricKey.fromBytes(keyBytes);
        SymmetricEncString encrypted = SymmetricEncString.encrypt(plaintext, key);
        assertEquals(EncType.AES_CBC_256_HMAC_SHA256_B64, encrypted.type());
        assertArrayEquals(plaintext, encrypted.decrypt(key));
        assertArrayEquals(plaintext, SymmetricEncString.parse(encrypted.format()).decrypt(key));
        assertArrayEquals(plaintext, SymmetricEncString.fromBuffer(encrypted.toBuffer()).decrypt(key));
    }

    @Property(tries = 300)
    void stringsRoundTrip(@ForAll("texts") String plaintext, @ForAll("keys") byte[] keyBytes) {
        SymmetricKey key = SymmetricKey.fromBytes(keyBytes);
        assertEquals(plaintext, SymmetricEncString.parse(SymmetricEncString.encrypt(plaintext, key).format()).decryptString(key));
    }

    /** Any change to iv, mac or ciphertext is caught by the MAC, before decryption. */
    @Property(tries = 500)
    void tamperingAnyByteIsAMacMismatch(@ForAll @Size(max = 100) byte[] plaintext, @ForAll("keys") byte[] keyBytes,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position, @ForAll @IntRange(min = 1, max = 255) int xor) {
        SymmetricKey key = SymmetricKey.fromBytes(keyBytes);
        byte[] buffer = SymmetricEncString.encrypt(plaintext, key).toBuffer();
        int index = 1 + position % (buffer.length - 1); // past the type byte: iv, mac or ciphertext
        buffer[index] ^= (byte) xor;
        SymmetricEncString tampered = SymmetricEncString.fromBuffer(buffer);
        MacMismatchException e = assertThrows(MacMismatchException.class, () -> tampered.decrypt(key, "items[0].notes"));
        assertEquals("items[0].notes", e.field().orElseThrow());
    }

    @Property(tries = 200)
    void anotherKeyIsAMacMismatch(@ForAll @Size(max = 100) byte[] plaintext, @ForAll("keys") byte[] keyBytes,
            @ForAll("keys") byte[] otherKeyBytes) {
        if (Arrays.equals(keyBytes, otherKeyBytes)) {
            return;
        }
        SymmetricEncString encrypted = SymmetricEncString.encrypt(plaintext, SymmetricKey.fromBytes(keyBytes));
        assertThrows(MacMismatchException.class, () -> encrypted.decrypt(SymmetricKey.fromBytes(otherKeyBytes)));
    }

    @Example
    void everyEncryptionHasAFreshIv() {
        SymmetricKey key = SymmetricKey.generate();
        SymmetricEncString a = SymmetricEncString.encrypt("same", key);
        SymmetricEncString b = SymmetricEncString.encrypt("same", key);
        assertFalse(Arrays.equals(a.iv(), b.iv()));
        assertFalse(Arrays.equals(a.data(), b.data()));
    }

    /** Rewriting "2." to "0." (dropping the MAC) must not get past a key with a MAC half. */
    @Example
    void strippingTheMacIsRefused() {
        SymmetricKey key = SymmetricKey.generate();
        SymmetricEncString encrypted = SymmetricEncString.encrypt("secret", key);
        SymmetricEncString stripped = new SymmetricEncString(EncType.AES_CBC_256_B64, encrypted.iv(), encrypted.data(), null);
        assertThrows(WrongKeyTypeException.class, () -> stripped.decrypt(key));
    }

    @Example
    void legacyKeysDecryptType0OnlyAndNeverEncrypt() {
        SymmetricKey legacy = SymmetricKey.legacyAesOnly(new byte[32]);
        assertThrows(WrongKeyTypeException.class, () -> SymmetricEncString.encrypt("x", legacy));
        SymmetricEncString type2 = SymmetricEncString.encrypt("x", SymmetricKey.generate());
        assertThrows(WrongKeyTypeException.class, () -> type2.decrypt(legacy));
    }

    /** A valid MAC over a bad padding: the key is right, the producer is wrong. */
    @Example
    void badPaddingUnderAValidMacIsCorruptData() throws Exception {
        SymmetricKey key = SymmetricKey.generate();
        byte[] iv = new byte[16];
        Cipher raw = Cipher.getInstance("AES/CBC/NoPadding");
        raw.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Arrays.copyOf(key.toBytes(), 32), "AES"), new IvParameterSpec(iv));
        byte[] data = raw.doFinal(new byte[16]); // a final block of zeros is not PKCS#7
        SymmetricEncString malformed = new SymmetricEncString(EncType.AES_CBC_256_HMAC_SHA256_B64, iv, data,
                AesCbcHmac.mac(key, iv, data));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> malformed.decrypt(key, "items[1].name"));
        assertEquals("items[1].name: EncString type 2 has a valid MAC but invalid padding: its producer encrypted "
                + "malformed data", e.getMessage());
        // The same bytes as type 0 under the AES half alone: no MAC, so only "wrong key or damaged".
        SymmetricEncString legacy = new SymmetricEncString(EncType.AES_CBC_256_B64, iv, data, null);
        assertThrows(DecryptionFailedException.class,
                () -> legacy.decrypt(SymmetricKey.legacyAesOnly(Arrays.copyOf(key.toBytes(), 32))));
    }
}
