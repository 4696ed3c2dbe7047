package io.vaultkeep.protocol.crypto;

import java.util.Base64;
import java.util.Objects;

/**
 * A Bitwarden EncString: {@code <type>.<base64>[|<base64>...]}. Symmetric (types 0, 2) or RSA (3 to 6).
 * Strings without a type prefix (pre-2017 clients) are refused, type 7 (COSE, V2 accounts) and type 1
 * (retired AES-128) are reported as unsupported.
 *
 * <p>{@code toString()} describes the value (type and lengths); {@link #format()} gives the wire form.
 */
public sealed interface EncString permits SymmetricEncString, RsaEncString {

    EncType type();

    /** The wire form, e.g. {@code 2.<iv>|<data>|<mac>}. */
    String format();

    static EncString parse(String value) {
        return parse(value, null);
    }

    /** Parses any supported type; {@code field} labels errors (e.g. {@code items[3].name}) and may be null. */
    static EncString parse(String value, String field) {
        Objects.requireNonNull(value, "value");
        int dot = value.indexOf('.');
        if (dot < 0) {
            throw new InvalidEncStringException(field, "not an EncString: the '<type>.' prefix is missing");
        }
        String prefix = value.substring(0, dot);
        // The prefix is printed only once it is known to be a short number: a field holding a plaintext
        // secret by mistake must not end up in a log.
        if (prefix.isEmpty() || prefix.length() > 2 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidEncStringException(field, "not an EncString: the type prefix is not a number");
        }
        int code = Integer.parseInt(prefix);
        if (code == 7) {
            throw new UnsupportedEncStringException(field, 7, "EncString type 7 (COSE Encrypt0, Bitwarden's V2 "
                    + "encryption for new accounts) is not supported");
        }
        if (code == 1) {
            throw new UnsupportedEncStringException(field, 1, "EncString type 1 (AES-128-CBC + HMAC-SHA256) was retired "
                    + "by Bitwarden and is not supported");
        }
        EncType type = EncType.fromCode(code).orElseThrow(
                () -> new InvalidEncStringException(field, "unknown EncString type " + code));
        String[] parts = value.substring(dot + 1).split("\\|", -1);
        if (parts.length != type.parts()) {
            throw new InvalidEncStringException(field, "EncString type " + code + " needs " + type.parts()
                    + " part(s) separated by '|', found " + parts.length);
        }
        return switch (type) {
            case AES_CBC_256_B64 -> SymmetricEncString.checked(type,
                    decode(parts[0], type, "iv", field), decode(parts[1], type, "data", field), null, field);
            case AES_CBC_256_HMAC_SHA256_B64 -> SymmetricEncString.checked(type,
                    decode(parts[0], type, "iv", field), decode(parts[1], type, "data", field),
                    decode(parts[2], type, "mac", field), field);
            case RSA2048_OAEP_SHA256_B64, RSA2048_OAEP_SHA1_B64 -> RsaEncString.checked(type,
                    decode(parts[0], type, "data", field), null, field);
            case RSA2048_OAEP_SHA256_HMAC_SHA256_B64, RSA2048_OAEP_SHA1_HMAC_SHA256_B64 -> RsaEncString.checked(type,
                    decode(parts[0], type, "data", field), decode(parts[1], type, "mac", field), field);
        };
    }

    private static byte[] decode(String part, EncType type, String name, String field) {
        try {
            return Base64.getDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            // The decoder's message quotes the offending character; it is not chained.
            throw new InvalidEncStringException(field, "EncString type " + type.code() + ": the " + name
                    + " part is not valid base64");
        }
    }
}
