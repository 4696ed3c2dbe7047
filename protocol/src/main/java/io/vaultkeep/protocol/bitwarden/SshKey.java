package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code sshKey}. Bitwarden writes {@code keyFingerprint}; some writers (the client cipher view, older
 * tools) use {@code fingerprint}, which stays in {@link #other()} and is read by {@link #fingerprint()}.
 */
public record SshKey(
        String privateKey,
        String publicKey,
        String keyFingerprint,
        Map<String, JsonNode> other) implements ExportRecord {

    public SshKey {
        other = JsonRecords.other(SshKey.class, other);
    }

    /** {@code keyFingerprint}, or else a {@code fingerprint} string. */
    public String fingerprint() {
        if (keyFingerprint != null) {
            return keyFingerprint;
        }
        JsonNode fingerprint = other.get("fingerprint");
        return fingerprint != null && fingerprint.isTextual() ? fingerprint.textValue() : null;
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
