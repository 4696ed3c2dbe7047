package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code passwordHistory[]}: a password the item had before, and when it was last used. Dates are kept as written. */
public record PasswordHistoryEntry(
        String lastUsedDate,
        String password,
        Map<String, JsonNode> other) implements ExportRecord {

    public PasswordHistoryEntry {
        other = JsonRecords.other(PasswordHistoryEntry.class, other);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
