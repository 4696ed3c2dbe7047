package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A Bitwarden json export: {@code {"encrypted": false, "folders": [...], "items": [...]}} for a
 * personal vault, {@code collections} instead of {@code folders} for an organization; Keyguard adds
 * {@code organizations}. Keys of encrypted exports ({@code encKeyValidation_DO_NOT_EDIT}, …) and any
 * others are kept in {@link #other()}.
 */
public record VaultExport(
        Boolean encrypted,
        List<Organization> organizations,
        List<VaultCollection> collections,
        List<Folder> folders,
        List<Item> items,
        Map<String, JsonNode> other) implements ExportRecord {

    public VaultExport {
        organizations = JsonRecords.list(organizations);
        collections = JsonRecords.list(collections);
        folders = JsonRecords.list(folders);
        items = JsonRecords.list(items);
        other = JsonRecords.other(VaultExport.class, other);
    }

    /** What {@code bw export --format json} writes for a personal vault. */
    public static VaultExport personal(List<Folder> folders, List<Item> items) {
        return new VaultExport(false, null, null, folders, items, null);
    }

    /** What {@code bw export --organizationid … --format json} writes. */
    public static VaultExport organization(List<VaultCollection> collections, List<Item> items) {
        return new VaultExport(false, null, collections, null, items, null);
    }

    /** True for the organization shape: collections listed (even none), no folders. */
    public boolean isOrganization() {
        return collections != null && folders == null;
    }

    public List<Item> itemsOrEmpty() {
        return items == null ? List.of() : items;
    }

    public VaultExport withItems(List<Item> newItems) {
        return new VaultExport(encrypted, organizations, collections, folders, newItems, other);
    }

    @Override
    public String toString() {
        return JsonRecords.describe(this);
    }
}
