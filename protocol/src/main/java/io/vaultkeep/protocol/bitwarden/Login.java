package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** {@code login}. Bitwarden's CLI no longer writes {@code passwordRevisionDate}; older exports and Keyguard do. */
public record Login(
        List<LoginUri> uris,
        String username,
        String password,
        String passwordRevisionDate,
        String totp,
        List<Fido2Credential> fido2Credentials,
        Map<String, JsonNode> other) implements ExportRecord {

    public Login {
        uris = JsonRecords.list(uris);
        fido2Credentials = JsonRecords.list(fido2Credentials);
        other = JsonRecords.other(Login.class, other);
    }

    public static Login of(String username, String password, String totp, List<String> uris) {
        return new Login(uris == null ? null : uris.stream().map(LoginUri::of).toList(), username, password, null, totp, null, null);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
