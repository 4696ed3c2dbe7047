package io.vaultkeep.protocol.crypto;

/** Bitwarden's key derivation functions, with the numeric code the API and exports use ({@code kdf}, {@code kdfType}). */
public enum KdfType {
    PBKDF2_SHA256(0),
    ARGON2ID(1);

    private final int code;

    KdfType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws InvalidKdfParametersException for a code Bitwarden does not define */
    public static KdfType fromCode(int code) {
        for (KdfType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new InvalidKdfParametersException("type", "unknown KDF type " + code + " (0 = PBKDF2-SHA256, 1 = Argon2id)");
    }
}
