package io.vaultkeep.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.security.auth.Destroyable;

/**
 * An account's RSA private key, from the PKCS#8 DER that decrypting {@code profile.privateKey} yields.
 * It opens organization keys (and anything else shared with the account as types 3 to 6).
 *
 * <p>{@link #destroy()} zeroes the DER copy held here and drops the JCE key; the JDK's key object keeps
 * its numbers in immutable BigIntegers, which cannot be wiped.
 */
public final class RsaPrivateKey implements Destroyable {

    private final byte[] pkcs8;
    private volatile RSAPrivateCrtKey key;

    private RsaPrivateKey(byte[] pkcs8, RSAPrivateCrtKey key) {
        this.pkcs8 = pkcs8;
        this.key = key;
    }

    public static RsaPrivateKey fromPkcs8(byte[] der) {
        return fromPkcs8(der, null);
    }

    /** {@code field} labels errors and may be null. */
    public static RsaPrivateKey fromPkcs8(byte[] der, String field) {
        try {
            if (KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof RSAPrivateCrtKey crt) {
                return new RsaPrivateKey(der.clone(), crt);
            }
            throw new CorruptDataException(field, "the RSA private key lacks its CRT parameters", null);
        } catch (GeneralSecurityException e) {
            throw new CorruptDataException(field, "not a PKCS#8 DER RSA private key", null);
        }
    }

    /** A copy of the PKCS#8 DER; the caller should zero it. */
    public byte[] toPkcs8() {
        checkNotDestroyed();
        return pkcs8.clone();
    }

    public RsaPublicKey publicKey() {
        RSAPrivateCrtKey k = checkNotDestroyed();
        try {
            return RsaPublicKey.of(KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is unavailable in this JVM", e);
        }
    }

    public int bits() {
        return checkNotDestroyed().getModulus().bitLength();
    }

    byte[] decrypt(RsaEncString encString, String field) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(Cipher.DECRYPT_MODE, checkNotDestroyed(), RsaEncString.oaep(encString.type()));
            return cipher.doFinal(encString.data());
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw new DecryptionFailedException(field, "RSA-OAEP decryption of EncString type " + encString.type().code()
                    + " failed: wrong private key or damaged data", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP is unavailable in this JVM", e);
        }
    }

    @Override
    public void destroy() {
        key = null;
        Arrays.fill(pkcs8, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return key == null;
    }

    @Override
    public String toString() {
        RSAPrivateCrtKey k = key;
        return k == null ? "RsaPrivateKey[destroyed]" : "RsaPrivateKey[" + k.getModulus().bitLength() + " bits]";
    }

    private RSAPrivateCrtKey checkNotDestroyed() {
        RSAPrivateCrtKey k = key;
        if (k == null) {
            throw new IllegalStateException("the private key has been destroyed");
        }
        return k;
    }
}
