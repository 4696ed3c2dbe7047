package io.vaultkeep.storage.repository;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyguard's attachment dedup key: hex(HMAC-SHA256("keyguard-backup-attachment-fingerprint-v2",
 * payload)) with payload {@code "v2\n"} then {@code name:len:value\n} per field, where len counts
 * UTF-16 code units ({@code String.length()}) and a null value is written {@code name:-1:\n}.
 */
public final class AttachmentFingerprint {

    private static final byte[] KEY = "keyguard-backup-attachment-fingerprint-v2".getBytes(StandardCharsets.UTF_8);

    private AttachmentFingerprint() {}

    public static String of(String accountId, String localCipherId, String remoteCipherId,
                            String attachmentId, Long size) {
        return HexFormat.of().formatHex(hmac(payload(accountId, localCipherId, remoteCipherId, attachmentId, size)));
    }

    /** The exact bytes that are MACed; exposed so tests can pin the format. */
    static byte[] payload(String accountId, String localCipherId, String remoteCipherId,
                          String attachmentId, Long size) {
        StringBuilder b = new StringBuilder("v2\n");
        line(b, "accountId", accountId);
        line(b, "localCipherId", localCipherId);
        line(b, "remoteCipherId", remoteCipherId);
        line(b, "attachmentId", attachmentId);
        line(b, "size", size == null ? null : size.toString());
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(name).append(':').append(value == null ? -1 : value.length()).append(':');
        if (value != null) {
            b.append(value);
        }
        b.append('\n');
    }

    private static byte[] hmac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
