package io.vaultkeep.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The AES-256-CBC and HMAC-SHA256 building blocks shared by string and buffer EncStrings. */
final class AesCbcHmac {

    static final int IV_LENGTH = 16;
    static final int MAC_LENGTH = 32;
    static final int BLOCK_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AesCbcHmac() {
    }

    static byte[] randomIv() {
        byte[] iv = new byte[IV_LENGTH];
        RANDOM.nextBytes(iv);
        return iv;
    }

    /** A MAC already fed with the IV; the caller adds the ciphertext. */
    static Mac macOverIv(SymmetricKey key, byte[] iv) {
        Mac mac = Kdf.hmacSha256(key.macKey());
        mac.update(iv);
        return mac;
    }

    static byte[] mac(SymmetricKey key, byte[] iv, byte[] data) {
        return macOverIv(key, iv).doFinal(data);
    }

    /** AES/CBC/PKCS5Padding; PKCS#5 in JCE naming is PKCS#7 on 16-byte blocks, what Bitwarden uses. */
    static Cipher cipher(int mode, SymmetricKey key, byte[] iv) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode, new SecretKeySpec(key.encKey(), "AES"), new IvParameterSpec(iv));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is unavailable in this JVM", e);
        }
    }

    static boolean isValidCiphertextLength(long length) {
        return length > 0 && length % BLOCK_LENGTH == 0;
    }
}
