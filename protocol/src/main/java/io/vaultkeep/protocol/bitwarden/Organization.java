package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code organizations[]} of a Keyguard json export: the organizations its items belong to. */
public record Organization(
        String id,
        String name,
        Map<String, JsonNode> other) implements ExportRecord {

    public Organization {
        other = JsonRecords.other(Organization.class, other);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
