package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** {@code collections[]} of an organization export ({@code externalId} is for directory sync). */
public record VaultCollection(
        String id,
        String organizationId,
        String name,
        String externalId,
        Map<String, JsonNode> other) implements ExportRecord {

    public VaultCollection {
        other = JsonRecords.other(VaultCollection.class, other);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
