package io.vaultkeep.protocol.crypto;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An RSA EncString: {@code 3.data} (OAEP-SHA-256), {@code 4.data} (OAEP-SHA-1), and the legacy
 * {@code 5.data|mac} / {@code 6.data|mac}, whose MAC part is carried for round trips but ignored, as
 * Bitwarden ignores it. {@code mac} is null for types 3 and 4.
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
