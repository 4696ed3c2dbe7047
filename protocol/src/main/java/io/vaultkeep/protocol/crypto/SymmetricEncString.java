package io.vaultkeep.protocol.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;

/**
 * A symmetric EncString: type 2 ({@code 2.iv|data|mac}, AES-256-CBC with HMAC-SHA256 over iv ‖ data) or
 * legacy type 0 ({@code 0.iv|data}, no MAC; {@code mac} is null). Also the binary form attachments use:
 * {@code [0x02][iv 16][mac 32][data]} (or {@code [0x00][iv 16][data]}).
 *
 * <p>Arrays are copied in and out, so the value is immutable.
 */
public record SymmetricEncString(EncType type, byte[] iv, byte[] data, byte[] mac) implements EncString {

    private static final int BUFFER_HEADER_TYPE_2 = 1 + AesCbcHmac.IV_LENGTH + AesCbcHmac.MAC_LENGTH;
    private static final int BUFFER_HEADER_TYPE_0 = 1 + AesCbcHmac.IV_LENGTH;

    public SymmetricEncString {
        validate(type, iv, data, mac, null);
        iv = iv.clone();
        data = data.clone();
        mac = mac == null ? null : mac.clone();
    }

    static SymmetricEncString checked(EncType type, byte[] iv, byte[] data, byte[] mac, String field) {
        validate(type, iv, data, mac, field);
        return new SymmetricEncString(type, iv, data, mac);
    }

    public static SymmetricEncString parse(String value) {
        return parse(value, null);
    }

    /** Parses a type 0 or 2 string; an RSA type is refused. {@code field} labels errors and may be null. */
    public static SymmetricEncString parse(String value, String field) {
        EncString parsed = EncString.parse(value, field);
        if (parsed instanceof SymmetricEncString symmetric) {
            return symmetric;
        }
        throw new InvalidEncStringException(field, "EncString type " + parsed.type().code()
                + " is an RSA EncString; a symmetric one (type 0 or 2) was expected");
    }

    public static SymmetricEncString fromBuffer(byte[] buffer) {
        return fromBuffer(buffer, null);
    }

    /** Reads {@code [0x02][iv 16][mac 32][data]} or {@code [0x00][iv 16][data]}. */
    public static SymmetricEncString fromBuffer(byte[] buffer, String field) {
        if (buffer.length == 0) {
            throw new InvalidEncStringException(field, "the encrypted buffer is empty");
        }
        int code = buffer[0] & 0xFF;
        return switch (code) {
            case 2 -> {
                requireBufferLength(buffer, BUFFER_HEADER_TYPE_2, code, field);
                yield checked(EncType.AES_CBC_256_HMAC_SHA256_B64,
                        Arrays.copyOfRange(buffer, 1, 1 + AesCbcHmac.IV_LENGTH),
                        Arrays.copyOfRange(buffer, BUFFER_HEADER_TYPE_2, buffer.length),
                        Arrays.copyOfRange(buffer, 1 + AesCbcHmac.IV_LENGTH, BUFFER_HEADER_TYPE_2), field);
            }
            case 0 -> {
                requireBufferLength(buffer, BUFFER_HEADER_TYPE_0, code, field);
                yield checked(EncType.AES_CBC_256_B64, Arrays.copyOfRange(buffer, 1, BUFFER_HEADER_TYPE_0),
                        Arrays.copyOfRange(buffer, BUFFER_HEADER_TYPE_0, buffer.length), null, field);
            }
            case 7 -> throw new UnsupportedEncStringException(field, 7,
                    "encrypted buffer type 7 (COSE, Bitwarden's V2 encryption) is not supported");
            default -> throw new InvalidEncStringException(field, "unknown encrypted buffer type " + code);
        };
    }

    /** Encrypts to type 2 with a fresh random IV. */
    public static SymmetricEncString encrypt(byte[] plaintext, SymmetricKey key) {
        if (!key.hasMac()) {
            throw new WrongKeyTypeException(null, "a legacy AES-only key cannot encrypt: VaultKeep writes type 2 only");
        }
        byte[] iv = AesCbcHmac.randomIv();
        byte[] data;
        try {
            data = AesCbcHmac.cipher(Cipher.ENCRYPT_MODE, key, iv).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC encryption failed", e);
        }
        return new SymmetricEncString(EncType.AES_CBC_256_HMAC_SHA256_B64, iv, data, AesCbcHmac.mac(key, iv, data));
    }

    /** Encrypts the UTF-8 bytes of {@code plaintext} to type 2. */
    public static SymmetricEncString encrypt(String plaintext, SymmetricKey key) {
        byte[] bytes = plaintext.getBytes(UTF_8);
        try {
            return encrypt(bytes, key);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    public byte[] decrypt(SymmetricKey key) {
        return decrypt(key, null);
    }

    /**
     * Type 2: the MAC is checked in constant time before anything is decrypted. Type 0: only under a key
     * without a MAC half. {@code field} labels errors (e.g. {@code items[3].login.password}) and may be null.
     *
     * @throws MacMismatchException wrong key, or damaged or tampered data (type 2)
     * @throws CorruptDataException valid MAC but invalid padding (type 2)
     * @throws DecryptionFailedException wrong key or damaged data (type 0, which cannot tell them apart)
     * @throws WrongKeyTypeException type 0 under a key with a MAC half, or type 2 under a key without one
     */
    public byte[] decrypt(SymmetricKey key, String field) {
        if (type == EncType.AES_CBC_256_HMAC_SHA256_B64) {
            if (!key.hasMac()) {
                throw new WrongKeyTypeException(field, "EncString type 2 needs a key with a MAC half; "
                        + "this is a legacy AES-only key");
            }
            if (!MessageDigest.isEqual(AesCbcHmac.mac(key, iv, data), mac)) {
                throw new MacMismatchException(field, "MAC mismatch on EncString type 2: wrong key, or the data "
                        + "was damaged or tampered with");
            }
            try {
                return AesCbcHmac.cipher(Cipher.DECRYPT_MODE, key, iv).doFinal(data);
            } catch (GeneralSecurityException e) {
                throw new CorruptDataException(field, "EncString type 2 has a valid MAC but invalid padding: "
                        + "its producer encrypted malformed data", e);
            }
        }
        if (key.hasMac()) {
            throw new WrongKeyTypeException(field, "EncString type 0 (no MAC) refused under a key that has a MAC half "
                    + "(downgrade protection)");
        }
        try {
            return AesCbcHmac.cipher(Cipher.DECRYPT_MODE, key, iv).doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new DecryptionFailedException(field, "EncString type 0 did not decrypt: wrong key or damaged data "
                    + "(type 0 has no MAC to tell them apart)", e);
        }
    }

    public String decryptString(SymmetricKey key) {
        return decryptString(key, null);
    }

    /** {@link #decrypt(SymmetricKey, String)} then UTF-8 (invalid sequences become U+FFFD, as in the clients). */
    public String decryptString(SymmetricKey key, String field) {
        byte[] plaintext = decrypt(key, field);
        try {
            return new String(plaintext, UTF_8);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        String ivAndData = type.code() + "." + b64.encodeToString(iv) + "|" + b64.encodeToString(data);
        return mac == null ? ivAndData : ivAndData + "|" + b64.encodeToString(mac);
    }

    /** {@code [0x02][iv 16][mac 32][data]} for type 2, {@code [0x00][iv 16][data]} for type 0. */
    public byte[] toBuffer() {
        int header = mac == null ? BUFFER_HEADER_TYPE_0 : BUFFER_HEADER_TYPE_2;
        byte[] buffer = new byte[header + data.length];
        buffer[0] = (byte) type.code();
        System.arraycopy(iv, 0, buffer, 1, iv.length);
        if (mac != null) {
            System.arraycopy(mac, 0, buffer, 1 + iv.length, mac.length);
        }
        System.arraycopy(data, 0, buffer, header, data.length);
        return buffer;
    }

    @Override
    public byte[] iv() {
        return iv.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The MAC, or null for type 0. */
    @Override
    public byte[] mac() {
        return mac == null ? null : mac.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SymmetricEncString other && type == other.type && Arrays.equals(iv, other.iv)
                && Arrays.equals(data, other.data) && Arrays.equals(mac, other.mac);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(iv), Arrays.hashCode(data), Arrays.hashCode(mac));
    }

    @Override
    public String toString() {
        return "SymmetricEncString[type=" + type.code() + ", iv=" + iv.length + " bytes, data=" + data.length + " bytes"
                + (mac == null ? "" : ", mac=" + mac.length + " bytes") + "]";
    }

    private static void validate(EncType type, byte[] iv, byte[] data, byte[] mac, String field) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(data, "data");
        if (!type.isSymmetric()) {
            throw new InvalidEncStringException(field, "EncString type " + type.code() + " is not symmetric");
        }
        String prefix = "EncString type " + type.code() + ": ";
        if (iv.length != AesCbcHmac.IV_LENGTH) {
            throw new InvalidEncStringException(field, prefix + "the iv must be 16 bytes, found " + iv.length);
        }
        if (!AesCbcHmac.isValidCiphertextLength(data.length)) {
            throw new InvalidEncStringException(field, prefix + "the ciphertext must be a non-empty multiple of 16 bytes, "
                    + "found " + data.length);
        }
        if (type == EncType.AES_CBC_256_HMAC_SHA256_B64 && (mac == null || mac.length != AesCbcHmac.MAC_LENGTH)) {
            throw new InvalidEncStringException(field, prefix + "the mac must be 32 bytes, found "
                    + (mac == null ? "none" : mac.length));
        }
        if (type == EncType.AES_CBC_256_B64 && mac != null) {
            throw new InvalidEncStringException(field, prefix + "type 0 has no mac");
        }
    }

    private static void requireBufferLength(byte[] buffer, int header, int code, String field) {
        if (!AesCbcHmac.isValidCiphertextLength(buffer.length - header)) {
            throw new InvalidEncStringException(field, "encrypted buffer type " + code + ": " + buffer.length
                    + " bytes is not a " + header + "-byte header plus a non-empty multiple of 16 bytes");
        }
    }
}
