package io.vaultkeep.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * An RSA EncString: {@code 3.data} (OAEP-SHA-256), {@code 4.data} (OAEP-SHA-1), and the legacy
 * {@code 5.data|mac} / {@code 6.data|mac}, whose MAC part is carried for round trips but ignored, as
 * Bitwarden ignores it. {@code mac} is null for types 3 and 4. All use an empty OAEP label.
 *
 * <p>The OAEP parameters are always passed explicitly: the JDK's default MGF1 digest is SHA-1 whatever
 * the main digest, which would silently break type 3.
 */
public record RsaEncString(EncType type, byte[] data, byte[] mac) implements EncString {

    public RsaEncString {
        validate(type, data, mac, null);
        data = data.clone();
        mac = mac == null ? null : mac.clone();
    }

    static RsaEncString checked(EncType type, byte[] data, byte[] mac, String field) {
        validate(type, data, mac, field);
        return new RsaEncString(type, data, mac);
    }

    public static RsaEncString parse(String value) {
        return parse(value, null);
    }

    /** Parses a type 3 to 6 string; a symmetric type is refused. {@code field} labels errors and may be null. */
    public static RsaEncString parse(String value, String field) {
        EncString parsed = EncString.parse(value, field);
        if (parsed instanceof RsaEncString rsa) {
            return rsa;
        }
        throw new InvalidEncStringException(field, "EncString type " + parsed.type().code()
                + " is symmetric; an RSA one (type 3 to 6) was expected");
    }

    /**
     * Encrypts to type 3 (OAEP-SHA-256) or 4 (OAEP-SHA-1, what Bitwarden uses for organization keys).
     * Types 5 and 6 carry a meaningless MAC and are not written.
     */
    public static RsaEncString encrypt(byte[] plaintext, RsaPublicKey key, EncType type) {
        if (type != EncType.RSA2048_OAEP_SHA256_B64 && type != EncType.RSA2048_OAEP_SHA1_B64) {
            throw new IllegalArgumentException("RSA encryption writes type 3 or 4, not " + type.code());
        }
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.jceKey(), oaep(type));
            return new RsaEncString(type, cipher.doFinal(plaintext), null);
        } catch (IllegalBlockSizeException e) {
            throw new IllegalArgumentException("the plaintext (" + plaintext.length + " bytes) is too long for RSA-OAEP with a "
                    + key.bits() + "-bit key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP is unavailable in this JVM", e);
        }
    }

    public byte[] decrypt(RsaPrivateKey key) {
        return decrypt(key, null);
    }

    /**
     * RSA-OAEP decryption; the MAC part of types 5 and 6 is ignored. {@code field} labels errors and may be null.
     *
     * @throws DecryptionFailedException wrong private key or damaged data (RSA cannot tell them apart)
     */
    public byte[] decrypt(RsaPrivateKey key, String field) {
        return key.decrypt(this, field);
    }

    static OAEPParameterSpec oaep(EncType type) {
        return switch (type) {
            case RSA2048_OAEP_SHA256_B64, RSA2048_OAEP_SHA256_HMAC_SHA256_B64 ->
                    new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
            case RSA2048_OAEP_SHA1_B64, RSA2048_OAEP_SHA1_HMAC_SHA256_B64 ->
                    new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
            default -> throw new IllegalArgumentException("EncString type " + type.code() + " is not RSA");
        };
    }

    @Override
    public String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        String head = type.code() + "." + b64.encodeToString(data);
        return mac == null ? head : head + "|" + b64.encodeToString(mac);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The ignored legacy MAC of types 5 and 6, or null. */
    @Override
    public byte[] mac() {
        return mac == null ? null : mac.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RsaEncString other && type == other.type && Arrays.equals(data, other.data)
                && Arrays.equals(mac, other.mac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(data), Arrays.hashCode(mac));
    }

    @Override
    public String toString() {
        return "RsaEncString[type=" + type.code() + ", data=" + data.length + " bytes"
                + (mac == null ? "" : ", mac=" + mac.length + " bytes (ignored)") + "]";
    }

    private static void validate(EncType type, byte[] data, byte[] mac, String field) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (type.isSymmetric()) {
            throw new InvalidEncStringException(field, "EncString type " + type.code() + " is not an RSA type");
        }
        if (data.length == 0) {
            throw new InvalidEncStringException(field, "EncString type " + type.code() + ": the data part is empty");
        }
        if ((type.parts() == 2) != (mac != null)) {
            throw new InvalidEncStringException(field, "EncString type " + type.code()
                    + (mac == null ? " needs a mac part" : " has no mac part"));
        }
    }
}
