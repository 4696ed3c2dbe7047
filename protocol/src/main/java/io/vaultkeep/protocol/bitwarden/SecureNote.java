package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code secureNote}: Bitwarden has one note type, 0 (generic). */
public record SecureNote(
        Integer type,
        Map<String, JsonNode> other) implements ExportRecord {

    public static final SecureNote GENERIC = new SecureNote(0, null);

    public SecureNote {
        other = JsonRecords.other(SecureNote.class, other);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
