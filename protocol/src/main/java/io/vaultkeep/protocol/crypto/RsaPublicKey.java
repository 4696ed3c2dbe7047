package io.vaultkeep.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** An RSA public key in SubjectPublicKeyInfo DER, the form Bitwarden's {@code publicKey} fields carry. */
public final class RsaPublicKey {

    private final RSAPublicKey key;

    private RsaPublicKey(RSAPublicKey key) {
        this.key = key;
    }

    static RsaPublicKey of(PublicKey key) {
        return new RsaPublicKey((RSAPublicKey) key);
    }

    public static RsaPublicKey fromSpki(byte[] der) {
        try {
            if (KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)) instanceof RSAPublicKey rsa) {
                return new RsaPublicKey(rsa);
            }
        } catch (GeneralSecurityException e) {
            // reported below without the JCE's message
        }
        throw new CorruptDataException(null, "not a SubjectPublicKeyInfo DER RSA public key", null);
    }

    public byte[] toSpki() {
        return key.getEncoded();
    }

    public int bits() {
        return key.getModulus().bitLength();
    }

    RSAPublicKey jceKey() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RsaPublicKey other && Arrays.equals(toSpki(), other.toSpki());
    }

    @Override
    public int hashCode() {
        return key.getModulus().hashCode();
    }

    @Override
    public String toString() {
        return "RsaPublicKey[" + bits() + " bits]";
    }
}
