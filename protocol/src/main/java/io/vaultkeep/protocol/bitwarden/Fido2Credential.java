package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code login.fido2Credentials[]}: a passkey. Bitwarden writes {@code counter} and {@code discoverable} as strings. */
public record Fido2Credential(
        String credentialId,
        String keyType,
        String keyAlgorithm,
        String keyCurve,
        String keyValue,
        String rpId,
        String userHandle,
        String userName,
        String counter,
        String rpName,
        String userDisplayName,
        String discoverable,
        String creationDate,
        Map<String, JsonNode> other) implements ExportRecord {

    public Fido2Credential {
        other = JsonRecords.other(Fido2Credential.class, other);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
