package io.vaultkeep.protocol.bitwarden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A part of a vault export: the items named by id or name, the items in folders named by name
 * (and their subfolders, Bitwarden's {@code Parent/Child} names), and the items of organizations
 * named by id. Each criterion adds items; each must match at least one, so a typo is an error, not
 * a silently smaller restore.
 *
 * <p>It works on the JSON tree, not on {@link VaultExport}: every field of a kept item, known or not,
 * and every item type, known or not, is written back as it came; of the folders, collections and
 * organizations only those a kept item references are kept; every other top-level key stays.
 *
 * @param items item ids or names (a name takes every item of that name)
 * @param folders folder names
 * @param organizations organization ids
 */
public record VaultSelection(List<String> items, List<String> folders, List<String> organizations) {

    /** How many candidates an ambiguous item name lists. */
    private static final int AMBIGUOUS_SHOWN = 10;

    public VaultSelection {
        items = List.copyOf(items);
        folders = List.copyOf(folders);
        organizations = List.copyOf(organizations);
    }

    public static final VaultSelection EVERYTHING = new VaultSelection(List.of(), List.of(), List.of());

    /** No criterion given: the whole vault. */
    public boolean everything() {
        return items.isEmpty() && folders.isEmpty() && organizations.isEmpty();
    }

    /**
     * The selected part: the vault to write, how many items it keeps, and their ids in the vault's
     * order (an item without an id is kept and counted, but has no id to list).
     */
    public record Selected(byte[] vaultJson, int itemCount, List<String> itemIds) {
        public Selected {
            itemIds = List.copyOf(itemIds);
        }
    }

    /**
     * The part of {@code vaultJson} this selection names.
     *
     * @throws NothingSelectedException when a criterion matches nothing
     * @throws ExportFormatException when the vault is not an export with an {@code items} list
     */
    public Selected apply(byte[] vaultJson) throws ExportFormatException {
        ObjectNode root = root(vaultJson);
        ArrayNode allItems = (ArrayNode) root.get("items");
        List<Boolean> kept = new ArrayList<>();
        allItems.forEach(item -> kept.add(false));
        for (String wanted : items) {
            List<Integer> matches = matching(allItems, wanted);
            if (matches.isEmpty()) {
                throw new NothingSelectedException("no item with id or name '" + wanted + "' in the snapshot");
            }
            matches.forEach(i -> kept.set(i, true));
        }
        for (String name : folders) {
            List<String> folderIds = folderIds(root, name);
            if (folderIds.isEmpty()) {
                throw new NothingSelectedException("no folder named '" + name + "' in the snapshot");
            }
            boolean any = false;
            for (int i = 0; i < allItems.size(); i++) {
                String folderId = text(allItems.get(i), "folderId");
                if (folderId != null && folderIds.contains(folderId)) {
                    kept.set(i, true);
                    any = true;
                }
            }
            if (!any) {
                throw new NothingSelectedException("folder '" + name + "' holds no item in the snapshot");
            }
        }
        for (String organization : organizations) {
            boolean any = false;
            for (int i = 0; i < allItems.size(); i++) {
                if (organization.equals(text(allItems.get(i), "organizationId"))) {
                    kept.set(i, true);
                    any = true;
                }
            }
            if (!any) {
                throw new NothingSelectedException("no item of organization " + organization + " in the snapshot");
            }
        }

        ArrayNode keptItems = root.arrayNode();
        List<String> keptIds = new ArrayList<>();
        Set<String> usedFolders = new LinkedHashSet<>();
        Set<String> usedCollections = new LinkedHashSet<>();
        Set<String> usedOrganizations = new LinkedHashSet<>();
        for (int i = 0; i < allItems.size(); i++) {
            if (!kept.get(i)) {
                continue;
            }
            JsonNode item = allItems.get(i);
            keptItems.add(item);
            addIfText(keptIds, text(item, "id")); // an item without an id is kept, but nothing can reference it
            addIfText(usedFolders, text(item, "folderId"));
            addIfText(usedOrganizations, text(item, "organizationId"));
            JsonNode collectionIds = item.get("collectionIds");
            if (collectionIds != null && collectionIds.isArray()) {
                collectionIds.forEach(c -> addIfText(usedCollections, c.isTextual() ? c.asText() : null));
            }
        }
        ObjectNode part = root.deepCopy();
        part.set("items", keptItems);
        keepReferenced(part, "folders", usedFolders);
        keepReferenced(part, "collections", usedCollections);
        keepReferenced(part, "organizations", usedOrganizations);
        return new Selected(BitwardenJson.writeTree(part), keptItems.size(), keptIds);
    }

    /**
     * The one item {@code idOrName} names, exactly as stored.
     *
     * @throws NothingSelectedException when none matches, or a name matches several (listed by id)
     */
    public static ObjectNode oneItem(byte[] vaultJson, String idOrName) throws ExportFormatException {
        ArrayNode allItems = (ArrayNode) root(vaultJson).get("items");
        for (JsonNode item : allItems) {
            if (idOrName.equals(text(item, "id"))) {
                return (ObjectNode) item;
            }
        }
        List<Integer> matches = matching(allItems, idOrName);
        if (matches.isEmpty()) {
            throw new NothingSelectedException("no item with id or name '" + idOrName + "' in the snapshot");
        }
        if (matches.size() > 1) {
            List<String> ids = matches.stream().map(i -> String.valueOf(text(allItems.get(i), "id"))).toList();
            int shown = Math.min(ids.size(), AMBIGUOUS_SHOWN);
            throw new NothingSelectedException(matches.size() + " items are named '" + idOrName + "': "
                    + String.join(", ", ids.subList(0, shown)) + (shown < ids.size() ? ", …" : "") + "; give one of their ids");
        }
        return (ObjectNode) allItems.get(matches.get(0));
    }

    private static ObjectNode root(byte[] vaultJson) throws ExportFormatException {
        JsonNode root = BitwardenJson.readTree(vaultJson);
        if (!(root instanceof ObjectNode object) || !(object.get("items") instanceof ArrayNode)) {
            throw ExportFormatException.of(ExportFormatException.Problem.NOT_AN_EXPORT,
                    "the snapshot's vault has no items list to select from");
        }
        return object;
    }

    /** Indexes of the items whose id or name is {@code wanted}. */
    private static List<Integer> matching(ArrayNode allItems, String wanted) {
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < allItems.size(); i++) {
            JsonNode item = allItems.get(i);
            if (wanted.equals(text(item, "id")) || wanted.equals(text(item, "name"))) {
                matches.add(i);
            }
        }
        return matches;
    }

    /** The ids of the folders named {@code name} and of their subfolders ({@code name/…}). */
    private static List<String> folderIds(ObjectNode root, String name) {
        JsonNode all = root.get("folders");
        List<String> ids = new ArrayList<>();
        if (all != null && all.isArray()) {
            for (JsonNode folder : all) {
                String folderName = text(folder, "name");
                String id = text(folder, "id");
                if (id != null && folderName != null && (folderName.equals(name) || folderName.startsWith(name + "/"))) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private static void keepReferenced(ObjectNode part, String key, Set<String> referenced) {
        JsonNode all = part.get(key);
        if (all instanceof ArrayNode list) {
            ArrayNode kept = part.arrayNode();
            list.forEach(entry -> {
                if (referenced.contains(text(entry, "id"))) {
                    kept.add(entry);
                }
            });
            part.set(key, kept);
        }
    }

    private static void addIfText(java.util.Collection<String> set, String value) {
        if (value != null) {
            set.add(value);
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node == null ? null : node.get(key);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
