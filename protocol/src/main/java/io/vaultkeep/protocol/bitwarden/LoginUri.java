package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code login.uris[]}: {@code match} null means the account default (0 domain … 5 never). */
public record LoginUri(
        Integer match,
        String uri,
        Map<String, JsonNode> other) implements ExportRecord {

    public LoginUri {
        other = JsonRecords.other(LoginUri.class, other);
    }

    public static LoginUri of(String uri) {
        return new LoginUri(null, uri, null);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
