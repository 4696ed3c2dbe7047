package io.vaultkeep.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** toString and exception messages never carry key bytes, plaintext or ciphertext. */
class SecretHygieneTest {

    private static final String PLAINTEXT = "correct horse battery staple";

    private static void assertNoSecret(String text, byte[]... secrets) {
        assertFalse(text.contains(PLAINTEXT), text);
        for (byte[] secret : secrets) {
            for (String form : List.of(Base64.getEncoder().encodeToString(secret), HexFormat.of().formatHex(secret),
                    HexFormat.of().withUpperCase().formatHex(secret), Arrays.toString(secret))) {
                assertFalse(text.contains(form), text);
            }
        }
    }

    private static final SymmetricKey LEGACY_KEY = SymmetricKey.legacyAesOnly(new byte[32]);

    /**
     * Type 0 whose last block is not PKCS#7-padded. A random wrong key would not do: about one in 256
     * garbage blocks ends in valid padding.
     */
    private static SymmetricEncString badlyPaddedType0() throws Exception {
        Cipher raw = Cipher.getInstance("AES/CBC/NoPadding");
        raw.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new IvParameterSpec(new byte[16]));
        return new SymmetricEncString(EncType.AES_CBC_256_B64, new byte[16], raw.doFinal(new byte[16]), null);
    }

    @Test
    void keysDoNotPrintTheirBytes() {
        SymmetricKey key = SymmetricKey.generate();
        byte[] bytes = key.toBytes();
        assertEquals("SymmetricKey[AES-256-CBC + HMAC-SHA256]", key.toString());
        assertNoSecret(key.toString(), bytes);
        assertEquals("SymmetricKey[AES-256-CBC, legacy, no MAC]", SymmetricKey.legacyAesOnly(new byte[32]).toString());
        MasterKey masterKey = MasterKey.fromBytes(Arrays.copyOf(bytes, 32));
        assertEquals("MasterKey[32 bytes]", masterKey.toString());
        masterKey.destroy();
        assertEquals("MasterKey[32 bytes, destroyed]", masterKey.toString());
        RsaPrivateKey rsa = RsaPrivateKey.fromPkcs8(TestData.b64(TestData.json("rsa-vectors.json").get("privateKeyPkcs8DerB64")));
        assertEquals("RsaPrivateKey[2048 bits]", rsa.toString());
        assertEquals("RsaPublicKey[2048 bits]", rsa.publicKey().toString());
    }

    @Test
    void encStringsDescribeThemselvesWithoutContent() {
        SymmetricKey key = SymmetricKey.generate();
        SymmetricEncString encrypted = SymmetricEncString.encrypt(PLAINTEXT, key);
        assertEquals("SymmetricEncString[type=2, iv=16 bytes, data=32 bytes, mac=32 bytes]", encrypted.toString());
        assertNoSecret(encrypted.toString(), encrypted.iv(), encrypted.data(), encrypted.mac(), key.toBytes());
    }

    /** Every failure mode, provoked on a known plaintext: no message or cause carries it. */
    @Test
    void exceptionMessagesNeverCarryPlaintextOrKeys() {
        SymmetricKey key = SymmetricKey.generate();
        SymmetricKey other = SymmetricKey.generate();
        SymmetricEncString encrypted = SymmetricEncString.encrypt(PLAINTEXT, key);
        String wire = encrypted.format();
        List<VaultCryptoException> failures = new ArrayList<>();
        failures.add(assertThrows(MacMismatchException.class, () -> encrypted.decrypt(other, "items[3].login.password")));
        failures.add(assertThrows(WrongKeyTypeException.class,
                () -> SymmetricEncString.parse("0." + wire.substring(2, wire.lastIndexOf('|'))).decrypt(key)));
        failures.add(assertThrows(InvalidEncStringException.class, () -> EncString.parse(PLAINTEXT)));
        failures.add(assertThrows(InvalidEncStringException.class, () -> EncString.parse("2." + PLAINTEXT + "|x|y")));
        failures.add(assertThrows(InvalidEncStringException.class, () -> EncString.parse("2.!" + PLAINTEXT)));
        failures.add(assertThrows(InvalidEncStringException.class, () -> EncString.parse("9." + PLAINTEXT)));
        failures.add(assertThrows(InvalidEncStringException.class, () -> EncString.parse(PLAINTEXT + "." + PLAINTEXT)));
        failures.add(assertThrows(UnsupportedEncStringException.class, () -> EncString.parse("7." + PLAINTEXT)));
        failures.add(assertThrows(DecryptionFailedException.class, () -> badlyPaddedType0().decrypt(LEGACY_KEY)));
        failures.add(assertThrows(WrongKeyException.class, () -> EncKeyValidation.requireOpens(wire, other)));
        failures.add(assertThrows(WrongKeyException.class,
                () -> UserKeyChain.unwrapUserKey(SymmetricEncString.encrypt(key.toBytes(), other).format(), MasterKey.fromBytes(new byte[32]))));
        for (VaultCryptoException e : failures) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertNoSecret(String.valueOf(t.getMessage()), key.toBytes(), encrypted.data(), encrypted.mac());
                assertNoSecret(t.toString(), key.toBytes(), encrypted.data(), encrypted.mac());
                assertFalse(String.valueOf(t.getMessage()).contains(wire.substring(2, 20)), t.getMessage());
            }
        }
        assertEquals("items[3].login.password: MAC mismatch on EncString type 2: wrong key, or the data was damaged or "
                + "tampered with", failures.get(0).getMessage());
    }
}
