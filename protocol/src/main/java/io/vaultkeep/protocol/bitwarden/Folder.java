package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code folders[]} of a personal export. */
public record Folder(
        String id,
        String name,
        Map<String, JsonNode> other) implements ExportRecord {

    public Folder {
        other = JsonRecords.other(Folder.class, other);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
