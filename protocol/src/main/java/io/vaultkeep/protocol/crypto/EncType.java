package io.vaultkeep.protocol.crypto;

import java.util.Optional;

/** The EncString types VaultKeep reads, with Bitwarden's code and the number of '|'-separated parts. */
public enum EncType {
    /** {@code 0.iv|data}: AES-256-CBC without a MAC; legacy, only under an AES-only key. */
    AES_CBC_256_B64(0, 2),
    /** {@code 2.iv|data|mac}: AES-256-CBC, HMAC-SHA256 over iv ‖ data. Everything current. */
    AES_CBC_256_HMAC_SHA256_B64(2, 3),
    /** {@code 3.data}: RSA-OAEP with SHA-256 and MGF1-SHA-256. */
    RSA2048_OAEP_SHA256_B64(3, 1),
    /** {@code 4.data}: RSA-OAEP with SHA-1 (organization keys). */
    RSA2048_OAEP_SHA1_B64(4, 1),
    /** {@code 5.data|mac}: type 3 plus a legacy MAC part that is ignored. */
    RSA2048_OAEP_SHA256_HMAC_SHA256_B64(5, 2),
    /** {@code 6.data|mac}: type 4 plus a legacy MAC part that is ignored. */
    RSA2048_OAEP_SHA1_HMAC_SHA256_B64(6, 2);

    private final int code;
    private final int parts;

    EncType(int code, int parts) {
        this.code = code;
        this.parts = parts;
    }

    public int code() {
        return code;
    }

    /** How many '|'-separated base64 parts follow the {@code <type>.} prefix. */
    public int parts() {
        return parts;
    }

    public boolean isSymmetric() {
        return this == AES_CBC_256_B64 || this == AES_CBC_256_HMAC_SHA256_B64;
    }

    public static Optional<EncType> fromCode(int code) {
        for (EncType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
