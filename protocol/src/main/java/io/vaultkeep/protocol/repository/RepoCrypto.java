package io.vaultkeep.protocol.repository;

/** How the repository's ZIPs are protected: {@code zip-aes-256} or {@code zip-none}. */
public record RepoCrypto(String archive, String objectArchive, String attachmentFingerprint) {

    public static final String ZIP_AES_256 = "zip-aes-256";
    public static final String ZIP_NONE = "zip-none";
    public static final String HMAC_SHA256 = "hmac-sha256";

    public RepoCrypto {
        archive = archive == null ? ZIP_AES_256 : archive;
        objectArchive = objectArchive == null ? ZIP_AES_256 : objectArchive;
        attachmentFingerprint = attachmentFingerprint == null ? HMAC_SHA256 : attachmentFingerprint;
    }

    public static RepoCrypto forEncryption(boolean encrypted) {
        String mode = encrypted ? ZIP_AES_256 : ZIP_NONE;
        return new RepoCrypto(mode, mode, HMAC_SHA256);
    }
}
